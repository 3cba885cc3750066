"""Équipe case reviews, under /progetti/<project>/."""

from django.urls import path

from beneficiaries.reviews import views

app_name = "reviews"

urlpatterns = [
    path("percorsi/<int:pk>/verifiche/", views.PathReviewListView.as_view(), name="path-reviews"),
    path(
        "percorsi/<int:pk>/verifiche/nuova/",
        views.CaseReviewCreateView.as_view(),
        name="review-create",
    ),
    path("verifiche/in-scadenza/", views.DueReviewListView.as_view(), name="review-due"),
]
