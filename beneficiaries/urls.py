from django.urls import path, re_path

from . import views

app_name = "people"

urlpatterns = [
    path("persone/", views.PersonListView.as_view(), name="person-list"),
    re_path(
        r"^persone/esporta\.(?P<fmt>csv|xlsx)$",
        views.PersonExportView.as_view(),
        name="person-export",
    ),
    path("persone/nuova/", views.PersonCreateView.as_view(), name="person-create"),
    path("persone/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("persone/<int:pk>/modifica/", views.PersonUpdateView.as_view(), name="person-edit"),
    path(
        "persone/<int:pk>/consensi/nuovo/", views.ConsentCreateView.as_view(), name="consent-create"
    ),
    path(
        "incontri/<int:pk>/presenze/aggiungi/",
        views.AttendanceAddView.as_view(),
        name="attendance-add",
    ),
    path("nuclei/<int:pk>/", views.HouseholdDetailView.as_view(), name="household-detail"),
]
