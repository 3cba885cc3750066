"""Read-side queries for dashboards and reports. Aggregates are computed by the database."""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from beneficiaries.models import Household, HouseholdMember, Path, Registration
from labs.models import Axis, Project, Session
from labs.querysets import held, held_minutes


def dashboard_figures(project: Project) -> dict:
    """The dashboard's figures since the project began: households and current residents
    in its record, people registered, ESF participants (paths), sessions and hours held,
    against the targets. Not the report's period figures (``indicators.period_figures``)."""
    households = Household.objects.filter(project=project).aggregate(
        total=Count("pk"),
    )["total"]
    people = (
        HouseholdMember.objects.filter(household__project=project, end_date__isnull=True)
        .values("person_id")
        .distinct()
        .count()
    )
    registered = Registration.objects.filter(project=project).count()
    paths = Path.objects.filter(project=project).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(exit_date__isnull=True)),
        closed=Count("pk", filter=Q(exit_date__isnull=False)),
    )
    sessions = Session.objects.filter(activity__project=project).aggregate(
        held=Count("pk", filter=held()), minutes=held_minutes()
    )
    return {
        "households": households,
        "target_households": project.target_households,
        "people": people,
        "target_people": project.target_people,
        "registered": registered,
        "participants": paths["total"],
        "participants_open": paths["open"],
        "participants_closed": paths["closed"],
        "target_participants": project.target_participants,
        "sessions_held": sessions["held"],
        "hours": Decimal(sessions["minutes"]) / 60,
        "target_hours": project.target_hours,
    }


def hours_by_axis(project: Project):
    """Each axis with its sessions held and activity hours, one query."""
    prefix = "activities__sessions__"
    return (
        Axis.objects.filter(project=project)
        .annotate(
            sessions_held=Count("activities__sessions", filter=held(prefix)),
            minutes=held_minutes(prefix),
        )
        .annotate(
            # Divided by 60.0, not 60: SQLite divides two integers as integers (90 min = 1 h).
            hours=ExpressionWrapper(
                F("minutes") / Value(60.0), output_field=DecimalField(decimal_places=2)
            )
        )
        .order_by("order", "code")
    )


@dataclass(frozen=True)
class Progress:
    """What has been reached against a target, as a progress bar shows it."""

    reached: Decimal | int
    target: int

    @property
    def percent(self) -> int | None:
        """Rounded percentage of the target reached (may pass 100); None without a target."""
        if not self.target:
            return None
        share = Decimal(self.reached) * 100 / self.target
        return int(share.to_integral_value(rounding=ROUND_HALF_UP))

    @property
    def capped(self) -> int:
        """The percentage for a screen reader's progress bar, which stops at 100."""
        return min(100, self.percent or 0)

    @property
    def bar(self) -> int:
        """The bar's width: the percentage to the nearest 5, at most 100 (CSS ``q-w-*``)."""
        if not self.percent:
            return 0
        return min(100, (self.percent + 2) // 5 * 5)


def project_progress(figures: dict) -> dict[str, Progress]:
    """The project's four targets against what ``dashboard_figures`` found reached."""
    return {
        "households": Progress(figures["households"], figures["target_households"]),
        "people": Progress(figures["people"], figures["target_people"]),
        "participants": Progress(figures["participants"], figures["target_participants"]),
        "hours": Progress(figures["hours"], figures["target_hours"]),
    }


def axes_progress(project: Project) -> list[Axis]:
    """Each axis as ``hours_by_axis`` gives it, with its ESF participants (paths on the
    axis) and ``hours_progress`` / ``participants_progress`` against its targets. One
    query."""
    paths = (
        Path.objects.filter(axis=OuterRef("pk"))
        .order_by()
        .values("axis")
        .annotate(n=Count("pk"))
        .values("n")
    )
    axes = list(
        hours_by_axis(project).annotate(
            participants=Coalesce(Subquery(paths, output_field=IntegerField()), 0)
        )
    )
    for axis in axes:
        axis.hours_progress = Progress(axis.hours, axis.target_hours)
        axis.participants_progress = Progress(axis.participants, axis.target_participants)
    return axes


class MonthValue(NamedTuple):
    month: dt.date  # the first day of the month
    value: Decimal | int


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def _monthly_series(project: Project, values: dict, zero) -> list[MonthValue]:
    """Every month from the project's start to its end (or this month, if earlier),
    widened to any month with data, each with its value or ``zero``."""
    first = project.start_date.replace(day=1)
    last = max(first, min(project.end_date, timezone.localdate()).replace(day=1))
    if values:
        first, last = min(first, *values), max(last, *values)
    return [MonthValue(m, values.get(m, zero)) for m in _months(first, last)]


def monthly_activity_hours(project: Project) -> list[MonthValue]:
    """Hours of the sessions held in each month, one query."""
    rows = (
        Session.objects.filter(activity__project=project)
        .filter(held())
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(minutes=held_minutes())
        .values_list("month", "minutes")
    )
    hours = {month: (Decimal(minutes) / 60).quantize(Decimal("0.01")) for month, minutes in rows}
    return _monthly_series(project, hours, Decimal("0.00"))


def monthly_new_participants(project: Project) -> list[MonthValue]:
    """ESF participants (paths) entering the project in each month, one query."""
    rows = (
        Path.objects.filter(project=project)
        .annotate(month=TruncMonth("entry_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    return _monthly_series(project, dict(rows), 0)


def followup_response(project: Project, today: dt.date | None = None) -> dict:
    """The six-month follow-up response rate of the project (an aggregate, no names):
    ``beneficiaries.followups.selectors.response_rate``. One query."""
    from beneficiaries.followups.selectors import response_rate

    return response_rate(Path.objects.filter(project=project), today or timezone.localdate())


def repayments_to_date(project: Project) -> dict:
    """The repayment plans since the project began (``indicators.repayment_figures``)."""
    from beneficiaries.repayments.models import status_day

    from .indicators import repayment_figures

    day = status_day(project)
    return {**repayment_figures(project=project, start=project.start_date, end=day), "on": day}
