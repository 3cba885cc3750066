"""The offline register's URLs outside a project: the app, its data, its service worker
and manifest (served at the root, so that the worker's scope covers the portal)."""

from django.urls import path

from beneficiaries.registers import offline_views

app_name = "offline"

urlpatterns = [
    path("registri-offline/", offline_views.OfflineAppView.as_view(), name="app"),
    path("registri-offline/dati.json", offline_views.OfflineDataView.as_view(), name="data"),
    path("sw.js", offline_views.service_worker, name="service-worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
]
