from django.urls import include, path

from . import views

app_name = "labs"

project_patterns = [
    path("attivita/", views.ActivityListView.as_view(), name="activity-list"),
    path("attivita/nuova/", views.ActivityCreateView.as_view(), name="activity-create"),
    path("attivita/<int:pk>/modifica/", views.ActivityUpdateView.as_view(), name="activity-edit"),
    path("incontri/", views.SessionListView.as_view(), name="session-list"),
    path("incontri/calendario/", views.SessionCalendarView.as_view(), name="session-calendar"),
    path("incontri/nuovo/", views.SessionCreateView.as_view(), name="session-create"),
    path("incontri/serie/", views.SessionSeriesCreateView.as_view(), name="session-series"),
    path("incontri/<int:pk>/", views.SessionDetailView.as_view(), name="session-detail"),
    path("incontri/<int:pk>/modifica/", views.SessionUpdateView.as_view(), name="session-edit"),
    path("incontri/<int:pk>/non-svolto/", views.SessionCancelView.as_view(), name="session-cancel"),
    path(
        "incontri/<int:pk>/registro.pdf",
        views.SessionRegisterPdfView.as_view(),
        name="session-register-pdf",
    ),
    path(
        "incontri/<int:pk>/documenti/nuovo/",
        views.EvidenceUploadView.as_view(),
        name="session-evidence-add",
    ),
    path(
        "incontri/<int:pk>/documenti/<int:file_pk>/",
        views.EvidenceDownloadView.as_view(),
        name="session-evidence",
    ),
    path("segnalazioni/", views.ResidentReportListView.as_view(), name="resident-report-list"),
    path(
        "segnalazioni/nuova/",
        views.ResidentReportCreateView.as_view(),
        name="resident-report-create",
    ),
    path(
        "segnalazioni/<int:pk>/",
        views.ResidentReportDetailView.as_view(),
        name="resident-report-detail",
    ),
    path(
        "segnalazioni/<int:pk>/modifica/",
        views.ResidentReportUpdateView.as_view(),
        name="resident-report-edit",
    ),
    path("periodi/", views.PeriodListView.as_view(), name="period-list"),
    path("periodi/nuovo/", views.PeriodCreateView.as_view(), name="period-create"),
    path("periodi/<int:pk>/chiudi/", views.PeriodCloseView.as_view(), name="period-close"),
    path("periodi/<int:pk>/riapri/", views.PeriodReopenView.as_view(), name="period-reopen"),
]

urlpatterns = [path("progetti/<slug:project>/", include(project_patterns))]
