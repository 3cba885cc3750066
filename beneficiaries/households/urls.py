"""Households: members, moves, arrears, diario."""

from django.urls import path

from beneficiaries.households import views
from beneficiaries.records import views as records

app_name = "households"

urlpatterns = [
    path("nuclei/", views.HouseholdListView.as_view(), name="household-list"),
    path("nuclei/nuovo/", views.HouseholdCreateView.as_view(), name="household-create"),
    path("nuclei/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
    path("nuclei/<int:pk>/modifica/", views.HouseholdUpdateView.as_view(), name="household-edit"),
    path("nuclei/<int:pk>/trasloco/", views.HouseholdMoveView.as_view(), name="household-move"),
    path("nuclei/<int:pk>/componenti/nuovo/", views.MemberAddView.as_view(), name="member-add"),
    path(
        "nuclei/<int:pk>/componenti/<int:member_pk>/uscita/",
        views.MemberEndView.as_view(),
        name="member-end",
    ),
    path(
        "nuclei/<int:pk>/morosita/nuova/", views.ArrearsCreateView.as_view(), name="arrears-create"
    ),
    path(
        "nuclei/<int:pk>/diario/nuova/",
        views.HouseholdCaseNoteView.as_view(),
        name="household-note-create",
    ),
    path(
        "nuclei/<int:pk>/scheda.pdf",
        records.HouseholdRecordPdfView.as_view(),
        name="household-record-pdf",
    ),
]
