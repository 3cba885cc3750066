"""The company register: list with search, create and edit. Staff and partner operators
of the project read and keep it (it holds no personal data); the Region does not."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from labs.companies import services
from labs.companies.forms import HostCompanyForm
from labs.companies.models import HostCompany
from labs.concurrency import ConcurrentEditError
from labs.scoping import ProjectScopedMixin, search_param
from labs.views import RefusalMixin


class HostCompanyListView(ProjectScopedMixin, ListView):
    capability = "companies.view"
    model = HostCompany
    template_name = "labs/companies/company_list.html"
    context_object_name = "companies"
    paginate_by = 50

    def get_queryset(self):
        self.search = search_param(self.request)
        rows = self.scoped()
        if self.search:
            rows = rows.filter(
                Q(name__icontains=self.search)
                | Q(vat_number__icontains=self.search)
                | Q(ateco_code__startswith=self.search)
                | Q(sector__icontains=self.search)
                | Q(municipality__icontains=self.search)
            )
        # Placements hosted: counted by the database, one query whatever the page size.
        return rows.annotate(
            placements_count=Count("placements", distinct=True),
            placements_open=Count("placements", filter=Q(placements__outcome=""), distinct=True),
        ).order_by("name", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            search=self.search, can_change=self.can("companies.change"), **kwargs
        )


class HostCompanyFormView(RefusalMixin, ProjectScopedMixin, FormView):
    capability = "companies.change"
    model = HostCompany
    form_class = HostCompanyForm
    template_name = "labs/companies/company_form.html"

    def get_company(self) -> HostCompany | None:
        if "pk" not in self.kwargs:
            return None
        if not hasattr(self, "_company"):
            self._company = self.get_object()
        return self._company

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.get_company(),
            "project": self.project,
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs):
        title = _("Modifica l'azienda") if self.get_company() else _("Nuova azienda ospitante")
        return super().get_context_data(title=title, **kwargs)

    def form_valid(self, form):
        try:
            services.host_company_save(
                company=form.instance, expected_version=form.expected_version()
            )
        except (ValidationError, ConcurrentEditError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Azienda salvata nel registro."))
        return redirect("companies:company-list", self.project.slug)
