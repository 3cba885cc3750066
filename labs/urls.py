from django.urls import path

from . import views

app_name = "labs"

urlpatterns = [
    path(
        "progetti/<slug:project>/attivita/", views.ActivityListView.as_view(), name="activity-list"
    ),
    path(
        "progetti/<slug:project>/incontri/<int:pk>/",
        views.SessionDetailView.as_view(),
        name="session-detail",
    ),
    path(
        "progetti/<slug:project>/incontri/<int:pk>/registro.pdf",
        views.SessionRegisterPdfView.as_view(),
        name="session-register-pdf",
    ),
    path(
        "progetti/<slug:project>/incontri/<int:pk>/documenti/<int:file_pk>/",
        views.EvidenceDownloadView.as_view(),
        name="session-evidence",
    ),
]
