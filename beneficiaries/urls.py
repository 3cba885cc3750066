from django.urls import path, re_path

from . import duplicate_views as dv
from . import household_views as hv
from . import path_views as pv
from . import record_views as rv
from . import territory_views as tv
from . import views
from .imports import views as iv

app_name = "people"

urlpatterns = [
    path("persone/", views.PersonListView.as_view(), name="person-list"),
    re_path(
        r"^persone/esporta\.(?P<fmt>csv|xlsx)$",
        views.PersonExportView.as_view(),
        name="person-export",
    ),
    path("persone/duplicati/", dv.DuplicateListView.as_view(), name="duplicate-list"),
    path("persone/duplicati/collega/", dv.PersonLinkView.as_view(), name="person-link"),
    path(
        "persone/duplicati/<int:pk>/scollega/", dv.PersonUnlinkView.as_view(), name="person-unlink"
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
    path("persone/<int:pk>/percorsi/nuovo/", pv.PathCreateView.as_view(), name="path-create"),
    path("percorsi/<int:pk>/uscita/", pv.PathExitView.as_view(), name="path-exit"),
    path("percorsi/<int:pk>/follow-up/", pv.PathFollowupView.as_view(), name="path-followup"),
    path("nuclei/", hv.HouseholdListView.as_view(), name="household-list"),
    path("nuclei/nuovo/", hv.HouseholdCreateView.as_view(), name="household-create"),
    path("nuclei/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("nuclei/<int:pk>/modifica/", hv.HouseholdUpdateView.as_view(), name="household-edit"),
    path("nuclei/<int:pk>/trasloco/", hv.HouseholdMoveView.as_view(), name="household-move"),
    path("nuclei/<int:pk>/componenti/nuovo/", hv.MemberAddView.as_view(), name="member-add"),
    path(
        "nuclei/<int:pk>/componenti/<int:member_pk>/uscita/",
        hv.MemberEndView.as_view(),
        name="member-end",
    ),
    path("nuclei/<int:pk>/morosita/nuova/", hv.ArrearsCreateView.as_view(), name="arrears-create"),
    path(
        "nuclei/<int:pk>/diario/nuova/",
        hv.HouseholdCaseNoteView.as_view(),
        name="household-note-create",
    ),
    path("importa/", iv.ImportStartView.as_view(), name="import-start"),
    path(
        "importa/modello/<slug:kind>.xlsx", iv.ImportTemplateView.as_view(), name="import-template"
    ),
    path("importa/<slug:kind>/anteprima/", iv.ImportPreviewView.as_view(), name="import-preview"),
    path("territorio/", tv.TerritoryView.as_view(), name="territory"),
    path("territorio/edifici/<int:pk>/", tv.BuildingDetailView.as_view(), name="building-detail"),
    path("persone/<int:pk>/scheda.pdf", rv.PersonRecordPdfView.as_view(), name="person-record-pdf"),
    path(
        "nuclei/<int:pk>/scheda.pdf",
        rv.HouseholdRecordPdfView.as_view(),
        name="household-record-pdf",
    ),
]
