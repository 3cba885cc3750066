"""The six-month follow-up worklist and contact attempts."""

from django.urls import path

from beneficiaries.followups import views

app_name = "followups"

urlpatterns = [
    path("rilevazioni-6-mesi/", views.FollowupListView.as_view(), name="followup-list"),
    path(
        "percorsi/<int:pk>/follow-up/contatti/nuovo/",
        views.FollowupContactCreateView.as_view(),
        name="contact-create",
    ),
]
