"""Participation allowances: what each entitled participant is due from the registers,
what was paid, and recording a payment. Project lead only (names and amounts)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Sum
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from beneficiaries.allowances import services as allowances
from beneficiaries.models import AllowancePayment, Path, PlacementPayment
from labs.budget.forms import AllowancePaymentForm
from labs.budget.services import BudgetError
from labs.scoping import ProjectScopedMixin
from labs.views import RefusalMixin


class AllowanceListView(ProjectScopedMixin, TemplateView):
    capability = "allowances.change"
    template_name = "labs/budget/allowance_list.html"

    def get_context_data(self, **kwargs):
        rows = allowances.allowance_rows(self.project)
        payments = (
            self.scoped(AllowancePayment).select_related("path__person").order_by("-paid_on", "-pk")
        )
        # Placement grants (tirocini, borse lavoro) are allowances too (issue 15).
        grants = self.scoped(PlacementPayment).aggregate(t=Sum("amount"), n=Count("pk"))
        return super().get_context_data(
            rows=rows,
            placement_grants=grants,
            programme=self.project.programme,
            payments=payments[:100],
            totals={
                "due": sum((r.due for r in rows), allowances.ZERO),
                "paid": payments.aggregate(t=Sum("amount"))["t"] or allowances.ZERO,
            },
            **kwargs,
        )


class AllowancePaymentCreateView(RefusalMixin, ProjectScopedMixin, FormView):
    capability = "allowances.change"
    model = Path
    form_class = AllowancePaymentForm
    template_name = "labs/budget/form.html"

    def get_path(self) -> Path:
        return self.get_object(
            self.scoped().filter(allowance_eligible=True).select_related("person", "project")
        )

    def get_context_data(self, **kwargs):
        path = self.get_path()
        title = _("Pagamento dell'indennità: %(name)s") % {"name": path.person}
        return super().get_context_data(title=title, back="allowances:allowance-list", **kwargs)

    def form_valid(self, form):
        try:
            allowances.allowance_payment_record(
                path=self.get_path(), actor=self.request.user, **form.cleaned_data
            )
        except (ValidationError, BudgetError) as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Pagamento registrato."))
        return redirect("allowances:allowance-list", self.project.slug)
