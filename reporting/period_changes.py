"""Changes made to a period's data after the period was first closed, from the audit
trail (django-simple-history): what a report submitted before a reopening does not show.

One query for the first closing plus one per tracked model, whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import datetime

from beneficiaries import models as b
from labs import models as labs

from .audit import ACTIONS, _scoped_history

# model, lookup from its historical row to the project, lookup to the day it concerns
# (None: every change of the project's record counts).
PERIOD_DATA = [
    (labs.Session, "activity__project_id", "date"),
    (b.Attendance, "session__activity__project_id", "session__date"),
    (labs.Activity, "project_id", None),
    (b.ActivityEnrolment, "activity__project_id", None),
    (b.Path, "project_id", None),
    (b.Household, "project_id", None),
    (b.HouseholdMember, "household__project_id", None),
    (b.Tenancy, "household__project_id", None),
    (b.ArrearsRecord, "household__project_id", None),
    (labs.ResidentReport, "project_id", None),
    (b.Person, None, None),
]


@dataclass
class PeriodChange:
    model: str
    object_id: int
    action: str
    when: datetime
    user: object
    reason: str


def first_closed_at(period) -> datetime | None:
    """When the period was closed for the first time (its history keeps every closing)."""
    return (
        period.history.filter(closed_at__isnull=False)
        .order_by("history_date")
        .values_list("closed_at", flat=True)
        .first()
    )


def changes_after_closing(period, user, *, limit: int = 200) -> tuple[datetime | None, list]:
    """(first closing, changes to the period's data after it, newest first)."""
    closed_at = first_closed_at(period)
    if closed_at is None:
        return None, []
    result: list[PeriodChange] = []
    for model, lookup, day in PERIOD_DATA:
        rows = _scoped_history(model, lookup, period.project, user).filter(
            history_date__gt=closed_at
        )
        if day is not None:
            rows = rows.filter(**{f"{day}__gte": period.start_date, f"{day}__lte": period.end_date})
        for row in rows.select_related("history_user").order_by("-history_date")[:limit]:
            result.append(
                PeriodChange(
                    model=str(model._meta.verbose_name),
                    object_id=row.id,
                    action=ACTIONS.get(row.history_type, row.history_type),
                    when=row.history_date,
                    user=row.history_user,
                    reason=row.history_change_reason or "",
                )
            )
    result.sort(key=lambda c: c.when, reverse=True)
    return closed_at, result[:limit]
