"""The project's audit trail: every change to people's data and registers (from
django-simple-history), and the log of who opened sensitive pages.

Each tracked model says how its history rows are scoped to a project. Reading a page
costs two queries per model, whatever the number of rows.
"""

from dataclasses import dataclass
from datetime import datetime

from beneficiaries import models as b
from labs import models as labs

# model -> lookup from its historical row to the project id
TRACKED = [
    (b.Person, None),
    (b.Household, "project_id"),
    (b.HouseholdMember, "household__project_id"),
    (b.Tenancy, "household__project_id"),
    (b.ArrearsRecord, "household__project_id"),
    (b.Path, "project_id"),
    (b.Consent, None),
    (b.CaseNote, "project_id"),
    (b.ActivityEnrolment, "activity__project_id"),
    (b.Attendance, "session__activity__project_id"),
    (labs.Session, "activity__project_id"),
    (labs.Activity, "project_id"),
    (labs.ResidentReport, "project_id"),
    (labs.ReportingPeriod, "project_id"),
]

ACTIONS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class Change:
    model: str
    object_id: int
    label: str
    action: str
    when: datetime
    user: object
    changes: list  # of (field verbose name, old, new)
    reason: str = ""  # why, when the change said it (a correction, an offline override)


def _scoped_history(model, lookup, project, user):
    """The model's history rows in the project, through the audit trail's row rule."""
    from labs import access

    del lookup  # the rule in reporting/scopes.py knows it
    return access.scoped(model.history.model, user, project)


def recent_changes(project, user, limit: int = 100) -> list[Change]:
    result: list[Change] = []
    for model, lookup in TRACKED:
        rows = list(
            _scoped_history(model, lookup, project, user)
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        if not rows:
            continue
        # All versions of those objects, to diff each row against the one before it.
        versions: dict[int, list] = {}
        for row in model.history.filter(id__in={r.id for r in rows}).order_by("history_date"):
            versions.setdefault(row.id, []).append(row)
        for row in rows:
            chain = versions.get(row.id, [])
            previous = None
            for i, version in enumerate(chain):
                if version.history_id == row.history_id and i > 0:
                    previous = chain[i - 1]
            changes = []
            if previous is not None:
                delta = row.diff_against(previous)
                for change in delta.changes:
                    field = model._meta.get_field(change.field)
                    changes.append((field.verbose_name, change.old, change.new))
            result.append(
                Change(
                    model=str(model._meta.verbose_name),
                    object_id=row.id,
                    label=f"{model._meta.verbose_name} #{row.id}",
                    action=ACTIONS.get(row.history_type, row.history_type),
                    when=row.history_date,
                    user=row.history_user,
                    changes=changes,
                    reason=row.history_change_reason or "",
                )
            )
    result.sort(key=lambda c: c.when, reverse=True)
    return result[:limit]


def recent_sensitive_accesses(project, user, limit: int = 200):
    from labs import access

    return (
        access.scoped(b.SensitiveAccess, user, project)
        .select_related("user", "person")
        .order_by("-accessed_at")[:limit]
    )
