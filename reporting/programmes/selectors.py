"""The Region's view of a programme (call): every project the user may see in it, in a
row, with targets against reached, spending against budget and each reporting period's
report status, and the ESF output indicators by sex summed across the projects.

Aggregates only, no personal data. The number of queries does not depend on the number
of projects: each project's figures are stored (``figures``), read in one query and
recomputed, by grouped queries, for the projects with a change; one more query reads
the periods with their reports.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labs import access
from labs.models import Programme, Project, ReportingPeriod
from reporting import catalogues, indicators
from reporting.models import ProgressReport

from . import figures

CAPABILITY = "programme.view"
# A period's report is due within this many days of the period's end (Assumption,
# docs/indicators.md "The Region's programme view").
REPORT_DUE_DAYS = 30
ZERO = Decimal("0.00")


class ReportStatus:
    OPEN = "open"  # the period has not ended
    DUE = "due"  # ended, not yet submitted, still within REPORT_DUE_DAYS
    LATE = "late"  # ended more than REPORT_DUE_DAYS ago, not submitted
    SUBMITTED = "submitted"

    LABELS = {
        OPEN: _("periodo in corso"),
        DUE: _("da trasmettere"),
        LATE: _("in ritardo"),
        SUBMITTED: _("trasmessa"),
    }


@dataclass
class PeriodStatus:
    name: str
    start_date: dt.date
    end_date: dt.date
    due_date: dt.date
    submitted_at: dt.datetime | None
    status: str

    @property
    def label(self) -> str:
        return str(ReportStatus.LABELS[self.status])

    # The page lists every period of every project (170 rows for 42 projects): dates
    # written here cost a microsecond, through the template's date filter 25 times that.
    @property
    def start_text(self) -> str:
        return f"{self.start_date:%d/%m/%Y}"

    @property
    def end_text(self) -> str:
        return f"{self.end_date:%d/%m/%Y}"

    @property
    def due_text(self) -> str:
        return f"{self.due_date:%d/%m/%Y}"

    @property
    def submitted_text(self) -> str:
        return f"{timezone.localtime(self.submitted_at):%d/%m/%Y}" if self.submitted_at else ""


@dataclass
class ProjectRow:
    project: Project
    households: int = 0
    people: int = 0
    participants: int = 0
    hours: Decimal = ZERO
    spent: Decimal = ZERO
    periods: list[PeriodStatus] = field(default_factory=list)

    @staticmethod
    def _percent(reached, target) -> int | None:
        return round(100 * Decimal(reached) / Decimal(target)) if target else None

    @property
    def households_percent(self):
        return self._percent(self.households, self.project.target_households)

    @property
    def people_percent(self):
        return self._percent(self.people, self.project.target_people)

    @property
    def participants_percent(self):
        return self._percent(self.participants, self.project.target_participants)

    @property
    def hours_percent(self):
        return self._percent(self.hours, self.project.target_hours)

    @property
    def spent_percent(self):
        return self._percent(self.spent, self.project.budget)

    @property
    def late_reports(self) -> int:
        return sum(1 for p in self.periods if p.status == ReportStatus.LATE)


# The columns a user may sort by: key -> how to read it from a row.
SORT_KEYS = {
    "progetto": lambda r: r.project.short_name.casefold(),
    "nuclei": lambda r: r.households_percent or 0,
    "persone": lambda r: r.people_percent or 0,
    "partecipanti": lambda r: r.participants_percent or 0,
    "ore": lambda r: r.hours_percent or 0,
    "spesa": lambda r: r.spent_percent or 0,
    "ritardi": lambda r: r.late_reports,
}


def programmes_for(user):
    """The programmes in which the user may see the programme view of some project."""
    ids = access.projects_with(user, CAPABILITY)
    return access.scoped(Programme, user).filter(projects__in=ids).distinct().order_by("name")


def projects_for(user, programme: Programme):
    ids = access.projects_with(user, CAPABILITY)
    return (
        access.scoped(Project, user)
        .filter(programme=programme, pk__in=ids)
        .select_related("lead_organisation")
        .order_by("short_name", "pk")
    )


def _period_status(period, today: dt.date) -> PeriodStatus:
    due = period.end_date + dt.timedelta(days=REPORT_DUE_DAYS)
    if period.submitted_at:
        status = ReportStatus.SUBMITTED
    elif period.end_date >= today:
        status = ReportStatus.OPEN
    elif today <= due:
        status = ReportStatus.DUE
    else:
        status = ReportStatus.LATE
    return PeriodStatus(
        period.name, period.start_date, period.end_date, due, period.submitted_at, status
    )


def programme_overview(user, projects, programme: Programme, today: dt.date) -> dict:
    """Rows per project, the totals, and the ESF outputs summed across the projects.

    Each project's figures are stored and kept current by ``figures.project_figures``
    (one query when nothing changed); the periods and their reports are read live (the
    report status depends on today)."""
    projects = list(projects)
    ids = [p.pk for p in projects]
    stored = figures.project_figures(user, programme, ids)
    first_submission = (
        ProgressReport.objects.filter(period=OuterRef("pk"), status=ProgressReport.Status.SUBMITTED)
        .values("period")
        .annotate(first=Min("submitted_at"))
        .values("first")
    )
    periods = defaultdict(list)
    for period in (
        ReportingPeriod.objects.filter(project_id__in=ids)
        .annotate(submitted_at=Subquery(first_submission))
        .order_by("start_date")
    ):
        periods[period.project_id].append(_period_status(period, today))

    rows = [
        ProjectRow(
            project=p,
            households=stored[p.pk].households,
            people=stored[p.pk].people,
            participants=stored[p.pk].participants,
            hours=Decimal(stored[p.pk].held_minutes) / 60,
            spent=stored[p.pk].spent,
            periods=periods[p.pk],
        )
        for p in projects
    ]
    totals = {
        "target_households": sum(p.target_households for p in projects),
        "households": sum(r.households for r in rows),
        "target_people": sum(p.target_people for p in projects),
        "people": sum(r.people for r in rows),
        "target_participants": sum(p.target_participants for p in projects),
        "participants": sum(r.participants for r in rows),
        "target_hours": sum(p.target_hours for p in projects),
        "hours": sum((r.hours for r in rows), Decimal(0)),
        "budget": sum((p.budget for p in projects), ZERO),
        "spent": sum((r.spent for r in rows), ZERO),
        "late_reports": sum(r.late_reports for r in rows),
    }
    catalogue = catalogues.catalogue_for(programme.indicator_set)
    esf = indicators.sum_outputs(catalogue, [stored[pk].esf_outputs for pk in ids])
    return {
        "rows": rows,
        "totals": totals,
        "esf": {
            "sexes": [b.key for b in catalogue.breakdowns] if catalogue and ids else [],
            "participants_total": totals["participants"] if catalogue else 0,
            "indicators": esf,
        },
        "catalogue": catalogue,
    }


def sort_rows(rows: list[ProjectRow], key: str, descending: bool) -> list[ProjectRow]:
    reader = SORT_KEYS.get(key, SORT_KEYS["progetto"])
    return sorted(rows, key=reader, reverse=descending)
