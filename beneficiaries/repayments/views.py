"""Repayment plans: the list, a plan with its schedule and payments, a new plan on a
household (social workers and the lead) and a payment (also the partner running the
plan's housing desk, for its own plans only: the row rule)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView

from beneficiaries.models import Household
from labs.scoping import ProjectScopedMixin
from labs.views import RefusalMixin

from . import selectors, services
from .forms import RepaymentPaymentForm, RepaymentPlanForm
from .models import BROKEN_AFTER, GRACE_DAYS, PlanStatus, RepaymentPlan, status_day


class RepaymentPlanListView(ProjectScopedMixin, ListView):
    capability = "repayments.view"
    model = RepaymentPlan
    template_name = "beneficiaries/repayments/plan_list.html"
    context_object_name = "plans"
    paginate_by = 50

    def get_queryset(self):
        # The list shows what was credited in all, not the cash and hours apart.
        plans = selectors.plans_for(self.request.user, self.project, breakdown=False)
        self.status = self.request.GET.get("stato", "")
        if self.status in PlanStatus.values:
            plans = plans.filter(status=self.status)
        else:
            self.status = ""
        return plans

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=PlanStatus.choices,
            grace=GRACE_DAYS,
            status_on=status_day(self.project),
            broken=BROKEN_AFTER,
            status=self.status,
            can_record=self.can("repayments.record_payment"),
            **kwargs,
        )


class RepaymentPlanDetailView(ProjectScopedMixin, DetailView):
    capability = "repayments.view"
    model = RepaymentPlan
    template_name = "beneficiaries/repayments/plan_detail.html"
    context_object_name = "plan"

    def get_queryset(self):
        return selectors.plan_detail_queryset(self.request.user, self.project)

    def get_context_data(self, **kwargs):
        plan = self.object
        running = services.ZERO
        payments = []
        for payment in plan.payments.all():
            running += payment.value
            payments.append((payment, plan.debt - running))
        return super().get_context_data(
            payments=payments,
            status_on=status_day(self.project),
            can_record=self.can("repayments.record_payment") and plan.status != "closed",
            **kwargs,
        )


class RepaymentPlanCreateView(RefusalMixin, ProjectScopedMixin, FormView):
    capability = "repayments.change"
    model = Household
    form_class = RepaymentPlanForm
    template_name = "labs/budget/form.html"

    def get_household(self) -> Household:
        return self.get_object()

    def get_form_kwargs(self):
        self.get_household()
        return {**super().get_form_kwargs(), "project": self.project, "user": self.request.user}

    def get_context_data(self, **kwargs):
        title = _("Nuovo piano di rientro del nucleo %(code)s") % {
            "code": self.get_household().code
        }
        return super().get_context_data(title=title, back="repayments:plan-list", **kwargs)

    def form_valid(self, form):
        try:
            plan = services.plan_create(
                project=self.project,
                household=self.get_household(),
                actor=self.request.user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Piano di rientro creato con il suo calendario di rate."))
        return redirect("repayments:plan-detail", self.project.slug, plan.pk)


class RepaymentPaymentCreateView(RefusalMixin, ProjectScopedMixin, FormView):
    capability = "repayments.record_payment"
    model = RepaymentPlan
    form_class = RepaymentPaymentForm
    template_name = "labs/budget/form.html"

    def get_plan(self) -> RepaymentPlan:
        if not hasattr(self, "_plan"):
            plans = selectors.with_reference(self.scoped(), self.request.user, self.project)
            self._plan = self.get_object(plans)
        return self._plan

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.get_plan()}

    def get_context_data(self, **kwargs):
        title = _("Pagamento del piano di rientro %(reference)s") % {
            "reference": self.get_plan().reference
        }
        return super().get_context_data(title=title, back="repayments:plan-list", **kwargs)

    def form_valid(self, form):
        try:
            services.payment_record(
                plan=self.get_plan(), actor=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Pagamento registrato."))
        return redirect("repayments:plan-detail", self.project.slug, self.get_plan().pk)
