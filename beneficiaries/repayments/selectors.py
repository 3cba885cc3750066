"""Reads of repayment plans for the pages, always through ``access.scoped``."""

from django.db.models import CharField, F, Prefetch, Value
from django.db.models.functions import Cast, Concat

from labs import access

from .models import RepaymentInstalment, RepaymentPayment, RepaymentPlan, status_day


def with_reference(plans, user, project):
    """Each plan's ``reference``: its household's code for who reads the project's
    sensitive data, "n. <number>" for the partner at the housing desk, who is never sent
    the household (whose arrears are sensitive) at all."""
    if access.can(user, "people.view_sensitive", project.pk):
        return plans.select_related("household").annotate(reference=F("household__code"))
    return plans.annotate(reference=Concat(Value("n. "), Cast("pk", CharField())))


def plans_for(user, project, on=None, *, breakdown: bool = True):
    """The plans the user may see, with their status on ``status_day``: one query.
    ``breakdown``: with what was credited in cash and in hours (``with_status``)."""
    plans = (
        access.scoped(RepaymentPlan, user, project)
        .with_status(on=on or status_day(project), breakdown=breakdown)
        .select_related("creditor", "desk")
        .order_by("household__code", "-start_date", "pk")
    )
    return with_reference(plans, user, project)


def plan_detail_queryset(user, project):
    return plans_for(user, project).prefetch_related(
        Prefetch(
            "instalments",
            access.scoped(RepaymentInstalment, user, project).order_by("number"),
        ),
        Prefetch(
            "payments",
            access.scoped(RepaymentPayment, user, project)
            .select_related("recorded_by")
            .order_by("paid_on", "pk"),
        ),
    )
