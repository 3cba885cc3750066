"""The Region's programme view."""

from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme-list"),
    path("<slug:code>/", views.ProgrammeView.as_view(), name="programme"),
    path("<slug:code>/xlsx/", views.ProgrammeXlsxView.as_view(), name="programme-xlsx"),
]
