"""Creating a plan with its schedule, recording a payment, and the period figures of the
dashboard and the progress report (database aggregates, a constant number of queries)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from .models import (
    ZERO,
    PlanStatus,
    RepaymentInstalment,
    RepaymentPayment,
    RepaymentPlan,
)

CENT = Decimal("0.01")
MAX_INSTALMENTS = 240


def schedule(debt: Decimal, start: dt.date, amount: Decimal) -> list[tuple[dt.date, Decimal]]:
    """Monthly instalments of ``amount`` from ``start`` until ``debt`` is covered; the
    last one is the remainder."""
    rows, left, n = [], debt, 0
    while left > 0:
        this = min(amount, left)
        rows.append((start + relativedelta(months=n), this))
        left -= this
        n += 1
    return rows


@transaction.atomic
def plan_create(
    *,
    project,
    household,
    creditor,
    desk,
    debt,
    start_date,
    instalment_amount,
    hourly_rate=None,
    notes="",
    actor=None,
) -> RepaymentPlan:
    if household.project_id != project.pk:
        raise ValidationError(_("Il nucleo non è di questo progetto."))
    if not project.partnerships.filter(organisation=desk).exists():
        raise ValidationError(
            {"desk": _("Lo sportello deve essere un ente della partnership del progetto.")}
        )
    if debt <= 0 or instalment_amount <= 0:
        raise ValidationError(_("Debito e rata devono essere maggiori di zero."))
    rows = schedule(debt, start_date, instalment_amount)
    if len(rows) > MAX_INSTALMENTS:
        raise ValidationError(
            {
                "instalment_amount": _(
                    "Con questa rata il piano durerebbe più di %(n)d mesi: aumentare la rata."
                )
                % {"n": MAX_INSTALMENTS}
            }
        )
    plan = RepaymentPlan(
        project=project,
        household=household,
        creditor=creditor,
        desk=desk,
        debt=debt,
        start_date=start_date,
        instalment_amount=instalment_amount,
        hourly_rate=hourly_rate,
        notes=notes,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    cumulative = ZERO
    instalments = []
    for number, (due_on, amount) in enumerate(rows, start=1):
        cumulative += amount
        instalments.append(
            RepaymentInstalment(
                plan=plan, number=number, due_on=due_on, amount=amount, cumulative=cumulative
            )
        )
    RepaymentInstalment.objects.bulk_create(instalments)
    return plan


def payment_value(plan: RepaymentPlan, *, channel: str, amount, hours) -> Decimal:
    """The euros a payment credits to the plan; ValidationError (by field) if the
    payment does not fit the plan."""
    if channel == RepaymentPayment.Channel.COMMUNITY_WORK:
        if plan.hourly_rate is None:
            raise ValidationError(
                {"channel": _("Questo piano non prevede la restituzione in ore di lavoro.")}
            )
        if not hours or hours <= 0:
            raise ValidationError({"hours": _("Indicare le ore di lavoro comunitario svolte.")})
        if amount:
            raise ValidationError(
                {"amount": _("Per le ore di lavoro comunitario non si indica un importo.")}
            )
        return (hours * plan.hourly_rate).quantize(CENT, rounding=ROUND_HALF_UP)
    if not amount or amount <= 0:
        raise ValidationError({"amount": _("Indicare l'importo versato.")})
    if hours:
        raise ValidationError(
            {"hours": _("Le ore si indicano solo con il canale «lavoro comunitario».")}
        )
    return amount


def check_payment(plan: RepaymentPlan, *, paid_on: dt.date, channel: str, amount, hours):
    from django.utils import timezone

    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("La data del pagamento non può essere nel futuro.")})
    if paid_on < plan.start_date - dt.timedelta(days=31):
        raise ValidationError(
            {
                "paid_on": _("La data è precedente all'inizio del piano (%(d)s).")
                % {"d": plan.start_date.strftime("%d/%m/%Y")}
            }
        )
    return payment_value(plan, channel=channel, amount=amount, hours=hours)


def payment_record(
    *, plan: RepaymentPlan, paid_on, channel, amount=None, hours=None, notes="", actor=None
) -> RepaymentPayment:
    value = check_payment(plan, paid_on=paid_on, channel=channel, amount=amount, hours=hours)
    payment = RepaymentPayment(
        plan=plan,
        paid_on=paid_on,
        channel=channel,
        amount=amount if channel != RepaymentPayment.Channel.COMMUNITY_WORK else None,
        hours=hours if channel == RepaymentPayment.Channel.COMMUNITY_WORK else None,
        value=value,
        notes=notes,
        recorded_by=actor,
    )
    payment.full_clean()
    payment.save()
    return payment


def repayment_figures(plans, payments, *, start: dt.date, end: dt.date) -> dict:
    """The report's repayment figures for [start, end] from the project's plans and
    payments (querysets): households with a plan running in the period, plans by status
    at the end and the share on track among the open ones, euros credited in the period
    (cash and community-work hours) and the debt still owed under plans at the start and
    at the end. Three queries.

    The status and the debt owed of each plan come from the database (``with_status``)
    and are counted and summed here: a project has tens of plans, and Django took longer
    to compose ``Count(filter=Q(status=...))`` over the status expression, once per
    figure, than the rows take to read (dashboard: 20 to 11 ms of CPU, docs/performance.md)."""
    at_end = list(
        plans.filter(start_date__lte=end)
        .with_status(on=end, breakdown=False)
        .order_by()
        .values_list("household_id", "status", "outstanding")
    )
    owed_start = sum(
        plans.filter(start_date__lte=start)
        .with_status(on=start - dt.timedelta(days=1), breakdown=False)
        .order_by()
        .values_list("outstanding", flat=True),
        ZERO,
    )
    paid = payments.filter(paid_on__gte=start, paid_on__lte=end).aggregate(
        cash=Sum("value", filter=Q(hours__isnull=True)),
        hours_value=Sum("value", filter=Q(hours__isnull=False)),
        hours=Sum("hours"),
    )
    statuses = Counter(status for _, status, _ in at_end)
    counts = {status.value: statuses[status.value] for status in PlanStatus}
    open_plans = counts["on_track"] + counts["late"] + counts["broken"]
    return {
        "households": len({household for household, _, _ in at_end}),
        "plans": len(at_end),
        **counts,
        "owed_end": sum((owed for _, _, owed in at_end), ZERO),
        "open": open_plans,
        "share_on_track": (
            (Decimal(counts["on_track"]) * 100 / open_plans).quantize(Decimal("1"))
            if open_plans
            else None
        ),
        "owed_start": owed_start,
        "repaid_cash": paid["cash"] or ZERO,
        "repaid_hours_value": paid["hours_value"] or ZERO,
        "hours": paid["hours"] or ZERO,
        "repaid": (paid["cash"] or ZERO) + (paid["hours_value"] or ZERO),
    }
