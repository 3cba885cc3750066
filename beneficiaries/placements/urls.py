"""Placements (tirocini, borse lavoro, work experiences), under /progetti/<project>/."""

from django.urls import path

from beneficiaries.placements import views

app_name = "placements"

urlpatterns = [
    path("tirocini/", views.PlacementListView.as_view(), name="placement-list"),
    path("tirocini/nuovo/", views.PlacementCreateView.as_view(), name="placement-create"),
    path("tirocini/<int:pk>/", views.PlacementDetailView.as_view(), name="placement-detail"),
    path("tirocini/<int:pk>/modifica/", views.PlacementEditView.as_view(), name="placement-edit"),
    path(
        "tirocini/<int:pk>/esito/", views.PlacementOutcomeView.as_view(), name="placement-outcome"
    ),
    path("tirocini/<int:pk>/ore/", views.PlacementMonthView.as_view(), name="placement-hours"),
    path(
        "tirocini/<int:pk>/pagamento/",
        views.PlacementPaymentView.as_view(),
        name="placement-payment",
    ),
]
