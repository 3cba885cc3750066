"""Attendance registers of sessions (the registro presenze)."""

from django.urls import path

from beneficiaries.registers import offline_views, views

app_name = "registers"

urlpatterns = [
    path("incontri/<int:pk>/registro/", views.RegisterView.as_view(), name="register-edit"),
    path(
        "incontri/<int:pk>/registro/valida/",
        views.RegisterValidateView.as_view(),
        name="register-validate",
    ),
    path(
        "incontri/<int:pk>/registro/offline/",
        offline_views.OfflineSubmitView.as_view(),
        name="offline-submit",
    ),
    path(
        "registri-offline/conflitti/<int:pk>/",
        offline_views.OfflineConflictView.as_view(),
        name="offline-conflict",
    ),
]
