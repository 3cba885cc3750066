from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.ProjectDashboardView.as_view(), name="dashboard"),
    path("registro-modifiche/", views.AuditLogView.as_view(), name="audit-log"),
    path("relazioni/", views.ReportListView.as_view(), name="report-list"),
    path("relazioni/<int:pk>/pdf/", views.ReportPdfView.as_view(), name="report-pdf"),
]
