from django.urls import path

from . import export_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.ProjectDashboardView.as_view(), name="dashboard"),
    path("registro-modifiche/", views.AuditLogView.as_view(), name="audit-log"),
    path("relazioni/", views.ReportListView.as_view(), name="report-list"),
    path("relazioni/<int:pk>/pdf/", views.ReportPdfView.as_view(), name="report-pdf"),
    path(
        "relazioni/periodi/<int:period>/esporta/<str:format>/",
        export_views.ReportExportView.as_view(),
        name="report-export",
    ),
    path(
        "relazioni/periodi/<int:period>/partecipanti-pseudonimi.csv",
        export_views.ParticipantExportView.as_view(),
        name="report-participants",
    ),
]
