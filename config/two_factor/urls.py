from django.urls import path

from . import views

app_name = "two_factor"

urlpatterns = [
    path("verifica/", views.VerifyView.as_view(), name="verify"),
    path("verifica/attiva/", views.EnrolView.as_view(), name="enrol"),
]
