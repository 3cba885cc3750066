"""Placement pages: the list, a placement's page, its forms.

Staff (lead, social worker) see and manage every placement of the project; a partner
operator sees those their organisation promotes, records their monthly hours, and never
receives the sensitive fields (removed here, on the server). The grant is paid by the
project lead, as the participation allowance. The Region sees none (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q, Sum
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from beneficiaries.placements import services
from beneficiaries.placements.forms import (
    PlacementForm,
    PlacementMonthForm,
    PlacementOutcomeForm,
    PlacementPaymentForm,
)
from beneficiaries.placements.models import Placement, PlacementMonth, PlacementPayment
from labs.budget.services import BudgetError
from labs.concurrency import ConcurrentEditError
from labs.scoping import ProjectScopedMixin, search_param
from labs.views import RefusalMixin

FORM_TEMPLATE = "beneficiaries/placements/placement_form.html"


def strip_sensitive(placement: Placement) -> Placement:
    """Blank the fields a role without sensitive access must not receive."""
    for name in Placement.SENSITIVE_FIELDS:
        setattr(placement, name, "")
    return placement


class PlacementListView(ProjectScopedMixin, ListView):
    capability = "placements.view"
    model = Placement
    template_name = "beneficiaries/placements/placement_list.html"
    context_object_name = "placements"
    paginate_by = 50

    def get_queryset(self):
        self.search = search_param(self.request)
        self.kind = self.request.GET.get("tipo", "")
        self.state = self.request.GET.get("stato", "")
        rows = self.scoped().select_related("path__person", "host", "tutor", "promoter")
        if self.search:
            rows = rows.filter(
                Q(path__person__last_name__icontains=self.search)
                | Q(path__person__first_name__icontains=self.search)
                | Q(host__name__icontains=self.search)
            )
        if self.kind in Placement.Kind.values:
            rows = rows.filter(kind=self.kind)
        if self.state == "open":
            rows = rows.filter(outcome="")
        elif self.state in Placement.Outcome.values:
            rows = rows.filter(outcome=self.state)
        rows = rows.defer(*Placement.SENSITIVE_FIELDS)
        return rows.annotate(hours_total=Sum("months__hours")).order_by("-start_date", "pk")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            search=self.search,
            kind=self.kind,
            state=self.state,
            kinds=Placement.Kind.choices,
            outcomes=Placement.Outcome.choices,
            can_change=self.can("placements.change"),
            **kwargs,
        )


class PlacementObjectMixin(RefusalMixin, ProjectScopedMixin):
    model = Placement

    def get_placement(self) -> Placement:
        if not hasattr(self, "_placement"):
            placement = self.get_object(
                self.scoped().select_related(
                    "path__person", "path__project", "host", "tutor", "promoter"
                )
            )
            if not self.can("people.view_sensitive"):
                strip_sensitive(placement)
            self._placement = placement
        return self._placement

    def get_context_data(self, **kwargs):
        return super().get_context_data(placement=self.get_placement(), **kwargs)

    def done(self, message):
        messages.success(self.request, message)
        return redirect("placements:placement-detail", self.project.slug, self.get_placement().pk)


class PlacementDetailView(PlacementObjectMixin, TemplateView):
    capability = "placements.view"
    template_name = "beneficiaries/placements/placement_detail.html"

    def get_context_data(self, **kwargs):
        placement = self.get_placement()
        months = self.scoped(PlacementMonth).filter(placement=placement).order_by("month")
        payments = (
            self.scoped(PlacementPayment).filter(placement=placement).order_by("month")
            if self.can("people.view_sensitive")
            else None
        )
        return super().get_context_data(
            months=months,
            hours_total=months.aggregate(t=Sum("hours"))["t"] or 0,
            payments=payments,
            paid_total=(payments.aggregate(t=Sum("amount"))["t"] or 0) if payments else 0,
            can_change=self.can("placements.change"),
            can_attend=self.can("placements.attendance"),
            can_pay=self.can("allowances.change"),
            **kwargs,
        )


class PlacementCreateView(RefusalMixin, ProjectScopedMixin, FormView):
    capability = "placements.change"
    form_class = PlacementForm
    template_name = FORM_TEMPLATE

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "project": self.project, "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Nuovo tirocinio o borsa lavoro"), **kwargs)

    def form_valid(self, form):
        try:
            placement = services.placement_save(placement=form.instance)
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Inserimento salvato."))
        return redirect("placements:placement-detail", self.project.slug, placement.pk)


class PlacementEditView(PlacementObjectMixin, FormView):
    capability = "placements.change"
    form_class = PlacementForm
    template_name = FORM_TEMPLATE

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "instance": self.get_placement(),
            "project": self.project,
            "user": self.request.user,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Modifica l'inserimento"), **kwargs)

    def form_valid(self, form):
        try:
            services.placement_save(
                placement=form.instance, expected_version=form.expected_version()
            )
        except (ValidationError, ConcurrentEditError) as error:
            return self.refuse(form, error)
        return self.done(_("Inserimento salvato."))


class PlacementOutcomeView(PlacementEditView):
    form_class = PlacementOutcomeForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        del kwargs["project"], kwargs["user"]
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"title": _("Esito dell'inserimento")}

    def form_valid(self, form):
        try:
            services.placement_save(
                placement=form.instance, expected_version=form.expected_version()
            )
        except (ValidationError, ConcurrentEditError) as error:
            return self.refuse(form, error)
        return self.done(_("Esito registrato."))


class PlacementMonthView(PlacementObjectMixin, FormView):
    capability = "placements.attendance"
    form_class = PlacementMonthForm
    template_name = FORM_TEMPLATE

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Ore del mese"), **kwargs)

    def form_valid(self, form):
        try:
            services.placement_month_record(
                placement=self.get_placement(), actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            return self.refuse(form, error)
        return self.done(_("Ore registrate."))


class PlacementPaymentView(PlacementObjectMixin, FormView):
    capability = "allowances.change"
    form_class = PlacementPaymentForm
    template_name = FORM_TEMPLATE

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Pagamento dell'indennità di tirocinio"), **kwargs)

    def form_valid(self, form):
        try:
            services.placement_payment_record(
                placement=self.get_placement(), actor=self.request.user, **form.cleaned_data
            )
        except (ValidationError, BudgetError) as error:
            return self.refuse(form, error)
        return self.done(_("Pagamento registrato."))
