"""Governance pages, under /progetti/<project>/governance/."""

from django.urls import path

from labs.governance import views

app_name = "governance"

urlpatterns = [
    path("governance/", views.BodyListView.as_view(), name="body-list"),
    path("governance/organi/nuovo/", views.BodyCreateView.as_view(), name="body-create"),
    path("governance/organi/<int:pk>/", views.BodyDetailView.as_view(), name="body-detail"),
    path(
        "governance/organi/<int:pk>/componenti/nuovo/",
        views.BodyMemberCreateView.as_view(),
        name="member-add",
    ),
    path(
        "governance/organi/<int:pk>/riunioni/nuova/",
        views.MeetingCreateView.as_view(),
        name="meeting-create",
    ),
    path("governance/riunioni/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path(
        "governance/riunioni/<int:pk>/modifica/",
        views.MeetingUpdateView.as_view(),
        name="meeting-edit",
    ),
    path(
        "governance/riunioni/<int:pk>/verbale/",
        views.MeetingMinutesView.as_view(),
        name="meeting-minutes",
    ),
]
