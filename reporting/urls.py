from django.urls import path

from . import export_views, views

app_name = "reporting"

urlpatterns = [
    path("", views.ProjectDashboardView.as_view(), name="dashboard"),
    path("registro-modifiche/", views.AuditLogView.as_view(), name="audit-log"),
    path("relazioni/", views.ReportListView.as_view(), name="report-list"),
    path("relazioni/<int:pk>/pdf/", views.ReportPdfView.as_view(), name="report-pdf"),
    path("relazioni/<int:pk>/stato/", views.ReportStatusView.as_view(), name="report-status"),
    path("relazioni/<int:pk>/testo/", views.ReportNarrativeView.as_view(), name="report-narrative"),
    path("relazioni/<int:pk>/trasmetti/", views.ReportSubmitView.as_view(), name="report-submit"),
    path("relazioni/periodi/<int:period>/", views.ReportPeriodView.as_view(), name="report-period"),
    path(
        "relazioni/periodi/<int:period>/genera/",
        views.ReportGenerateView.as_view(),
        name="report-generate",
    ),
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
