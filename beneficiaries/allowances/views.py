"""Participation allowances: what each entitled participant is due from the registers,
what was paid, and recording a payment. Project lead only (names and amounts)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from beneficiaries.allowances import services as allowances
from beneficiaries.models import AllowancePayment, Path
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
            AllowancePayment.objects.filter(path__project=self.project)
            .select_related("path__person")
            .order_by("-paid_on", "-pk")
        )
        return super().get_context_data(
            rows=rows,
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
    form_class = AllowancePaymentForm
    template_name = "labs/budget/form.html"

    def get_path(self) -> Path:
        return get_object_or_404(
            Path.objects.visible_to(self.request.user).select_related("person", "project"),
            project=self.project,
            allowance_eligible=True,
            pk=self.kwargs["pk"],
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
