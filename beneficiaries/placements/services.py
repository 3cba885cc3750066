"""Placements: the writes, where the grant goes (allowances and budget) and the figures
the report gives.

The outcome feeds the path's result: a hire sets the path's "employed on leaving"
(CR04), which the exit form then shows already ticked."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from beneficiaries.placements.models import Placement, PlacementMonth, PlacementPayment
from labs.budget.models import CostCategory
from labs.budget.services import BudgetError, period_check_open
from labs.concurrency import save_if_unchanged
from labs.models import BudgetLine, Project

ZERO = Decimal("0.00")


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _check_month(placement: Placement, month: dt.date) -> dt.date:
    month = month_start(month)
    last = placement.outcome_date or placement.end_date
    if month < month_start(placement.start_date) or month > month_start(last):
        raise ValidationError(
            {
                "month": _("Il mese è fuori dal periodo dell'inserimento (%(a)s – %(b)s).")
                % {"a": placement.start_date.strftime("%d/%m/%Y"), "b": last.strftime("%d/%m/%Y")}
            }
        )
    return month


@transaction.atomic
def placement_save(*, placement: Placement, expected_version: int | None = None) -> Placement:
    """Create a placement, or save an edit only if nobody saved it since the form showed
    it. A hire feeds the path's result."""
    placement.full_clean()
    if placement.pk is None:
        placement.save()
    else:
        save_if_unchanged(placement, expected_version=expected_version or 0)
    _feed_path(placement)
    return placement


def _feed_path(placement: Placement) -> None:
    path = placement.path
    if placement.outcome == Placement.Outcome.HIRED and path.exit_employed is not True:
        path.exit_employed = True
        path.save(update_fields=["exit_employed"])


@transaction.atomic
def placement_month_record(
    *, placement: Placement, actor, month: dt.date, hours: Decimal
) -> PlacementMonth:
    """Record (or correct) the hours of one month; at most the weekly hours × 5 weeks."""
    month = _check_month(placement, month)
    ceiling = placement.weekly_hours * 5
    if hours > ceiling:
        raise ValidationError(
            {
                "hours": _("Ore oltre il massimo del mese (%(h)s: 5 settimane di orario).")
                % {"h": ceiling}
            }
        )
    row, _created = PlacementMonth.objects.update_or_create(
        placement=placement, month=month, defaults={"hours": hours, "recorded_by": actor}
    )
    return row


@transaction.atomic
def placement_payment_record(
    *,
    placement: Placement,
    actor,
    month: dt.date,
    paid_on: dt.date,
    amount: Decimal,
    reference: str = "",
) -> PlacementPayment:
    """Pay the grant of one month: only for a month with hours recorded, at most the
    monthly grant, once per month, never on a day of a closed period."""
    month = _check_month(placement, month)
    period_check_open(project_id=placement.path.project_id, day=paid_on)
    if not placement.months.filter(month=month, hours__gt=0).exists():
        raise BudgetError(_("Per quel mese non sono registrate ore: l'indennità non è dovuta."))
    if placement.payments.filter(month=month).exists():
        raise BudgetError(_("L'indennità di quel mese è già stata pagata."))
    if amount > placement.monthly_grant:
        raise BudgetError(
            _("L'importo supera l'indennità mensile (€ %(g)s).") % {"g": placement.monthly_grant}
        )
    if paid_on < month:
        raise ValidationError({"paid_on": _("Il pagamento non può precedere il mese pagato.")})
    payment = PlacementPayment(
        placement=placement,
        month=month,
        paid_on=paid_on,
        amount=amount,
        reference=reference,
        recorded_by=actor,
    )
    payment.full_clean()
    payment.save()
    return payment


def placement_grant_spending(project: Project, start=None, end=None) -> dict:
    """Placement grants paid, as budget spending in allowances (as the participation
    allowance): {(axis_id, organisation_id, "allowances"): €}; two queries."""
    payments = PlacementPayment.objects.filter(placement__path__project=project)
    if start:
        payments = payments.filter(paid_on__gte=start)
    if end:
        payments = payments.filter(paid_on__lte=end)
    totals = list(payments.values("placement__path__axis_id").annotate(total=Sum("amount")))
    if not totals:  # most projects pay no placement grant: one query, not three
        return {}
    holders = dict(
        BudgetLine.objects.filter(project=project, category=CostCategory.ALLOWANCES).values_list(
            "axis_id", "organisation_id"
        )
    )
    first_axis = project.axes.order_by("order", "code").values_list("pk", flat=True).first()
    out: dict = defaultdict(Decimal)
    for row in totals:
        axis_id = row["placement__path__axis_id"] or first_axis
        organisation_id = holders.get(axis_id, project.lead_organisation_id)
        out[(axis_id, organisation_id, CostCategory.ALLOWANCES.value)] += row["total"]
    return out


def placement_figures(project: Project, start: dt.date, end: dt.date) -> dict:
    """Placements in a period, for the report and the dashboard: started, ended, by
    outcome, hours attended and grant paid. Three aggregate queries, no names."""
    placements = Placement.objects.filter(path__project=project)
    active = Q(start_date__lte=end) & (Q(outcome_date__isnull=True) | Q(outcome_date__gte=start))
    counts = placements.aggregate(
        **{
            f"kind_{value}": Count("pk", filter=active & Q(kind=value))
            for value in Placement.Kind.values
        },
        started=Count("pk", filter=Q(start_date__gte=start, start_date__lte=end)),
        ended=Count("pk", filter=Q(outcome_date__gte=start, outcome_date__lte=end)),
        active=Count("pk", filter=active),
        hired=Count(
            "pk", filter=Q(outcome="hired", outcome_date__gte=start, outcome_date__lte=end)
        ),
        not_hired=Count(
            "pk", filter=Q(outcome="not_hired", outcome_date__gte=start, outcome_date__lte=end)
        ),
        interrupted=Count(
            "pk", filter=Q(outcome="interrupted", outcome_date__gte=start, outcome_date__lte=end)
        ),
    )
    counts["by_kind"] = [
        {"kind": value, "label": str(label), "count": counts.pop(f"kind_{value}")}
        for value, label in Placement.Kind.choices
    ]
    counts["hours"] = PlacementMonth.objects.filter(
        placement__path__project=project, month__gte=month_start(start), month__lte=end
    ).aggregate(t=Sum("hours"))["t"] or Decimal("0")
    counts["hours"] = Decimal(counts["hours"]).quantize(Decimal("0.1"))
    counts["grant_paid"] = (
        PlacementPayment.objects.filter(
            placement__path__project=project, paid_on__gte=start, paid_on__lte=end
        ).aggregate(t=Sum("amount"))["t"]
        or ZERO
    )
    counts["grant_paid"] = Decimal(counts["grant_paid"]).quantize(Decimal("0.01"))
    return counts
