"""Individual paths with the ESF entry profile."""

from django.urls import path

from beneficiaries.paths import views

app_name = "paths"

urlpatterns = [
    path("persone/<int:pk>/percorsi/nuovo/", views.PathCreateView.as_view(), name="path-create"),
    path("percorsi/<int:pk>/uscita/", views.PathExitView.as_view(), name="path-exit"),
    path("percorsi/<int:pk>/follow-up/", views.PathFollowupView.as_view(), name="path-followup"),
]
