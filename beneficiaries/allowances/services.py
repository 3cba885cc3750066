"""Participation allowances (indennità di partecipazione): what is due to each participant
follows the hours they attended, from the registers.

The programme sets the rule: an hourly amount and a cap per participant. Due = attended
hours × hourly amount, never above the cap; only for paths entitled to the allowance.
Attended hours are the register hours of the person in sessions of the path's project
(and sub-project, when the path has one) held between entry and exit.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from beneficiaries.models import AllowancePayment, Attendance, Path
from labs.budget.models import CostCategory
from labs.budget.services import BudgetError, period_check_open
from labs.models import BudgetLine, Project

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def allowance_due(*, hours: Decimal, hourly_amount: Decimal, cap: Decimal) -> Decimal:
    """Hours × hourly amount, to the cent, capped (a cap of 0 means no cap)."""
    due = (Decimal(hours) * Decimal(hourly_amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(due, Decimal(cap)) if cap else due


def paths_with_allowance(project: Project, until: dt.date | None = None):
    """The project's entitled paths annotated with attended hours and paid amount (two
    subqueries: constant queries whatever the number of paths)."""
    # A path without a sub-project counts every session of the project; a path without
    # an exit date counts every session from entry on.
    hours = Attendance.objects.filter(
        person_id=OuterRef("person_id"),
        session__activity__project_id=OuterRef("project_id"),
        session__state="held",
        session__date__gte=OuterRef("entry_date"),
        session__date__lte=Coalesce(OuterRef("exit_date"), F("session__date")),
        session__activity__axis_id=Coalesce(OuterRef("axis_id"), F("session__activity__axis_id")),
    )
    if until:
        hours = hours.filter(session__date__lte=until)
    hours_sum = (
        hours.order_by().values("person_id").annotate(total=Sum("hours")).values("total")[:1]
    )
    paid = (
        AllowancePayment.objects.filter(path_id=OuterRef("pk"))
        .order_by()
        .values("path_id")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    return (
        Path.objects.filter(project=project, allowance_eligible=True)
        .select_related("person", "axis")
        .annotate(
            attended_hours=Coalesce(Subquery(hours_sum), Value(Decimal("0")), output_field=money),
            paid=Coalesce(Subquery(paid), Value(ZERO), output_field=money),
        )
        .order_by("person__last_name", "person__first_name", "entry_date")
    )


def allowance_rows(project: Project, until: dt.date | None = None) -> list:
    """Entitled paths with ``attended_hours``, ``due``, ``paid`` and ``balance``."""
    programme = project.programme
    rows = list(paths_with_allowance(project, until))
    for path in rows:
        path.due = allowance_due(
            hours=path.attended_hours,
            hourly_amount=programme.allowance_hourly_amount,
            cap=programme.allowance_cap,
        )
        path.balance = path.due - path.paid
    return rows


@transaction.atomic
def allowance_payment_record(
    *, path: Path, actor, paid_on: dt.date, amount: Decimal, reference: str = ""
) -> AllowancePayment:
    """Record a payment of the allowance; never more than what is still due, never on a
    day of a closed period."""
    period_check_open(project_id=path.project_id, day=paid_on)
    row = paths_with_allowance(path.project).filter(pk=path.pk).first()
    if row is None:
        raise BudgetError(_("Il percorso non ha diritto all'indennità di partecipazione."))
    programme = path.project.programme
    due = allowance_due(
        hours=row.attended_hours,
        hourly_amount=programme.allowance_hourly_amount,
        cap=programme.allowance_cap,
    )
    if amount > due - row.paid:
        raise BudgetError(
            _("L'importo supera quanto ancora dovuto (€ %(left)s).") % {"left": due - row.paid}
        )
    payment = AllowancePayment(
        path=path, paid_on=paid_on, amount=amount, reference=reference, recorded_by=actor
    )
    payment.full_clean()
    payment.save()
    return payment


def allowance_spending(project: Project, start=None, end=None) -> dict:
    """Allowances paid, as budget spending: {(axis_id, organisation_id, "allowances"): €}.

    Charged to the partner holding the sub-project's allowance budget line (the lead
    organisation if there is none); one query for the lines, one for the payments."""
    payments = AllowancePayment.objects.filter(path__project=project)
    if start:
        payments = payments.filter(paid_on__gte=start)
    if end:
        payments = payments.filter(paid_on__lte=end)
    holders = dict(
        BudgetLine.objects.filter(project=project, category=CostCategory.ALLOWANCES).values_list(
            "axis_id", "organisation_id"
        )
    )
    first_axis = project.axes.order_by("order", "code").values_list("pk", flat=True).first()
    out: dict = defaultdict(Decimal)
    for row in payments.values("path__axis_id").annotate(total=Sum("amount")):
        axis_id = row["path__axis_id"] or first_axis
        organisation_id = holders.get(axis_id, project.lead_organisation_id)
        out[(axis_id, organisation_id, CostCategory.ALLOWANCES.value)] += row["total"]
    return out
