"""The programme view's figures of each project, stored and kept exact.

Summing a call's 42 projects at every request meant joining 6,000 ESF paths with
100,000 people and 40,000 household members (150-300 ms of SQL at the reference size).
Each project's totals are now computed by the database once, stored in
``ProjectFigures``, and read as one row per project. They are never stale: database
triggers (migration ``reporting/0005``) log a ``FiguresChange`` for every write to a row
they count, and ``project_figures`` recomputes the projects with a logged change, or
computed with other rules, before answering. The number of queries does not depend on
the number of projects, stale or not.

Recomputing, in one transaction: the projects' figures rows are locked (readers of the
same projects take turns; writers never wait for them), the changes logged so far are
claimed, the figures computed and stored, and the claimed changes deleted. A change
committed after the claim stays in the log, so the next request recomputes again.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from decimal import Decimal
from functools import cache

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Sum
from django.utils import timezone

from beneficiaries.models import Household, HouseholdMember, Path
from labs import access
from labs.budget.models import cents
from labs.budget.services import SPENT_STATUSES
from labs.models import Expense, Programme, Session, StaffMember, TimesheetEntry
from labs.querysets import held_minutes
from reporting import catalogues, indicators
from reporting.models import FiguresChange, ProjectFigures

# Raise when the way a stored figure is computed changes in code the fingerprint below
# cannot see (a queryset here, ``held_minutes``, ``indicators.age_on``): every project's
# figures are then recomputed at their next reading.
FIGURES_VERSION = 1
ZERO = Decimal("0.00")
FIELDS = ["rules", "households", "people", "participants", "held_minutes", "spent"]


@cache
def rules_key(indicator_set: str) -> str:
    """The catalogue and a fingerprint of everything that decides the figures: the
    indicator rules and the catalogue's indicators, breakdowns and completeness rules
    (labels excluded: they do not change a number)."""
    catalogue = catalogues.catalogue_for(indicator_set)
    parts = [FIGURES_VERSION, sorted((k, repr(q)) for k, q in indicators.RULES.items())]
    if catalogue:
        parts += [
            [(b.key, b.sex) for b in catalogue.breakdowns],
            [(i.code, i.rule, str(i.stage)) for i in catalogue.indicators],
            catalogue.complete_fields,
            catalogue.sensitive_fields,
        ]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:16]
    return f"{indicator_set}:{digest}"


def _by_project(rows, key="project_id") -> dict:
    return {r[key]: r["n"] for r in rows}


def _staff_spending(ids: list[int]) -> dict[int, Decimal]:
    """Cost of the declared hours per project, as the budget page counts it: hours summed
    by the database per staff member and sub-project, times the member's hourly rate."""
    members = {s.pk: s for s in StaffMember.objects.filter(project_id__in=ids)}
    out: dict[int, Decimal] = defaultdict(Decimal)
    rows = (
        TimesheetEntry.objects.filter(staff__project_id__in=ids)
        .values("staff_id", "axis_id")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    for row in rows:
        member = members[row["staff_id"]]
        out[member.project_id] += member.cost_of(row["hours"])
    return out


def _compute(ids: list[int], programme: Programme, key: str) -> list[ProjectFigures]:
    """Every figure of the projects ``ids``, each an aggregate of the database grouped by
    project: eight queries whatever their number."""
    households = _by_project(
        Household.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    # A person has one current household at most (a constraint of HouseholdMember), so
    # counting current members counts people, without COUNT(DISTINCT)'s sort of every row.
    people = _by_project(
        HouseholdMember.objects.filter(household__project_id__in=ids, end_date__isnull=True)
        .values("household__project_id")
        .annotate(n=Count("pk"))
        .order_by(),
        key="household__project_id",
    )
    participants = _by_project(
        Path.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    minutes = _by_project(
        Session.objects.filter(activity__project_id__in=ids)
        .values("activity__project_id")
        .annotate(n=held_minutes())
        .order_by(),
        key="activity__project_id",
    )
    expenses = _by_project(
        Expense.objects.filter(project_id__in=ids, status__in=SPENT_STATUSES)
        .values("project_id")
        .annotate(n=Sum("amount"))
        .order_by()
    )
    staff = _staff_spending(ids)
    esf = indicators.outputs_by_project(
        catalogue=catalogues.catalogue_for(programme.indicator_set), project_ids=ids
    )
    now = timezone.now()
    return [
        ProjectFigures(
            project_id=pk,
            rules=key,
            households=households.get(pk, 0),
            people=people.get(pk, 0),
            participants=participants.get(pk, 0),
            held_minutes=minutes.get(pk, 0),
            spent=cents((expenses.get(pk) or ZERO) + staff.get(pk, ZERO)),
            esf_outputs=esf.get(pk, {}),
            computed_at=now,
        )
        for pk in ids
    ]


def recompute(ids: list[int], programme: Programme) -> dict[int, ProjectFigures]:
    """Compute and store the figures of the projects ``ids`` (one programme's), taking
    the changes logged so far for them off the log: fourteen queries and the
    transaction's own, whatever the number of projects (on SQLite, up to 111 of them: its
    limit of 999 parameters per statement splits larger inserts)."""
    key = rules_key(programme.indicator_set)
    with transaction.atomic():
        ProjectFigures.objects.bulk_create(
            [ProjectFigures(project_id=pk) for pk in ids], ignore_conflicts=True
        )
        # Readers of the same projects take turns from here to the commit (PostgreSQL).
        list(
            ProjectFigures.objects.select_for_update()
            .filter(project_id__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        FiguresChange.objects.filter(project_id__in=ids).update(claimed=True)
        figures = _compute(ids, programme, key)
        ProjectFigures.objects.bulk_create(
            figures,
            update_conflicts=True,
            unique_fields=["project"],
            update_fields=[*FIELDS, "esf_outputs", "computed_at"],
        )
        FiguresChange.objects.filter(project_id__in=ids, claimed=True).delete()
    return {f.project_id: f for f in figures}


def project_figures(user, programme: Programme, ids: list[int]) -> dict[int, ProjectFigures]:
    """The current figures of the projects ``ids`` of ``programme``, read through the
    user's scope: one query when none has changed since it was last computed."""
    key = rules_key(programme.indicator_set)
    pending = FiguresChange.objects.filter(project_id=OuterRef("pk"))
    stored = {
        f.project_id: f
        for f in access.scoped(ProjectFigures, user)
        .filter(project_id__in=ids)
        .annotate(changed=Exists(pending))
    }
    stale = [pk for pk in ids if pk not in stored or stored[pk].changed or stored[pk].rules != key]
    if stale:
        stored.update(recompute(stale, programme))
    return stored
