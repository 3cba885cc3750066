"""Attendance registers of sessions (the registro presenze)."""

from django.urls import path

from beneficiaries.registers import views

app_name = "registers"

urlpatterns = [
    path("incontri/<int:pk>/registro/", views.RegisterView.as_view(), name="register-edit"),
    path(
        "incontri/<int:pk>/registro/valida/",
        views.RegisterValidateView.as_view(),
        name="register-validate",
    ),
]
