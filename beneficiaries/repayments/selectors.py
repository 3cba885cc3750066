"""Reads of repayment plans for the pages, always through ``access.scoped``."""

from django.db.models import Prefetch

from labs import access

from .models import RepaymentInstalment, RepaymentPayment, RepaymentPlan, status_day


def plans_for(user, project, on=None):
    """The plans the user may see, with their status on ``status_day``: one query."""
    return (
        access.scoped(RepaymentPlan, user, project)
        .with_status(on=on or status_day(project))
        .select_related("household", "creditor", "desk")
        .order_by("household__code", "-start_date", "pk")
    )


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
