"""People: search, records, consents, duplicates."""

from django.urls import path, re_path

from beneficiaries.people import duplicate_views, views
from beneficiaries.records import views as records

app_name = "people"

urlpatterns = [
    path("persone/", views.PersonListView.as_view(), name="person-list"),
    re_path(
        r"^persone/esporta\.(?P<fmt>csv|xlsx)$",
        views.PersonExportView.as_view(),
        name="person-export",
    ),
    path("persone/duplicati/", duplicate_views.DuplicateListView.as_view(), name="duplicate-list"),
    path(
        "persone/duplicati/collega/", duplicate_views.PersonLinkView.as_view(), name="person-link"
    ),
    path(
        "persone/duplicati/<int:pk>/scollega/",
        duplicate_views.PersonUnlinkView.as_view(),
        name="person-unlink",
    ),
    path("persone/nuova/", views.PersonCreateView.as_view(), name="person-create"),
    path("persone/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path(
        "persone/<int:pk>/diario/nuova/",
        views.PersonCaseNoteView.as_view(),
        name="person-note-create",
    ),
    path("persone/<int:pk>/modifica/", views.PersonUpdateView.as_view(), name="person-edit"),
    path(
        "persone/<int:pk>/consensi/nuovo/", views.ConsentCreateView.as_view(), name="consent-create"
    ),
    path(
        "persone/<int:pk>/scheda.pdf",
        records.PersonRecordPdfView.as_view(),
        name="person-record-pdf",
    ),
]
