"""Imports from spreadsheets."""

from django.urls import path

from beneficiaries.imports import views

app_name = "imports"

urlpatterns = [
    path("importa/", views.ImportStartView.as_view(), name="import-start"),
    path(
        "importa/modello/<slug:kind>.xlsx",
        views.ImportTemplateView.as_view(),
        name="import-template",
    ),
    path(
        "importa/<slug:kind>/anteprima/", views.ImportPreviewView.as_view(), name="import-preview"
    ),
]
