"""Territory: neighbourhoods, buildings, units."""

from django.urls import path

from labs.territory import views

app_name = "territory"

urlpatterns = [
    path("territorio/", views.TerritoryView.as_view(), name="territory"),
    path(
        "territorio/edifici/<int:pk>/", views.BuildingDetailView.as_view(), name="building-detail"
    ),
]
