"""The company register, under /progetti/<project>/."""

from django.urls import path

from labs.companies import views

app_name = "companies"

urlpatterns = [
    path("aziende/", views.HostCompanyListView.as_view(), name="company-list"),
    path("aziende/nuova/", views.HostCompanyFormView.as_view(), name="company-create"),
    path("aziende/<int:pk>/modifica/", views.HostCompanyFormView.as_view(), name="company-edit"),
]
