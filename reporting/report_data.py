"""Everything a progress report shows, as one JSON-serialisable dict.

``build_report_data`` gathers the figures of a project for a period: the project and its
partners, the territory, targets against what was reached, activities by axis and by
partner, the ESF indicators by sex, residents' reports, rent arrears, budget against
spending, the sessions of the period for the annex and the narrative sections. No
person's name or codice fiscale is in it. The dict is the frozen snapshot of a report:
lists have a fixed order, numbers that are Decimal are written as strings with their
places, dates as ISO strings, so that ``snapshot_sha256`` of the same data is always the
same.

Labels that depend on the language (indicator names, kinds, roles, categories) are not in
the snapshot: it stores codes, and the PDF translates them when it renders.
"""

import datetime as dt
import hashlib
import json
from decimal import Decimal

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import translation
from django.utils.translation import gettext_noop

from labs.governance.partnership_rules import frozen_check
from labs.models import (
    Building,
    HousingUnit,
    Lab,
    Neighbourhood,
    Partnership,
    Project,
    ResidentReport,
    Session,
    SessionEvidence,
)
from labs.querysets import held, held_minutes

from .indicators import HOUR, compute_indicators, period_figures, repayment_figures

SCHEMA_VERSION = 1

# The narrative sections a project lead writes, in report order: key and Italian title
# (gettext_noop-style: translated by the PDF when it renders).
NARRATIVE_SECTIONS = (
    ("context", gettext_noop("Contesto e andamento generale")),
    ("activities", gettext_noop("Attività svolte")),
    ("results", gettext_noop("Risultati raggiunti")),
    ("difficulties", gettext_noop("Criticità e misure correttive")),
    ("next_steps", gettext_noop("Attività previste nel prossimo periodo")),
)


def jsonable(value):
    """Decimal as a string with its places, dates as ISO strings, tuples as lists."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def canonical_json(data: dict) -> bytes:
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode("utf-8")


def snapshot_sha256(data: dict) -> str:
    """SHA-256 of the canonical JSON of the data (sorted keys, no spaces, UTF-8)."""
    return hashlib.sha256(canonical_json(data)).hexdigest()


def _project(project: Project) -> dict:
    programme = project.programme
    lead = project.lead_organisation
    return {
        "id": project.pk,
        "slug": project.slug,
        "title": project.title,
        "short_name": project.short_name,
        "cup": project.cup,
        "funder_reference": project.funder_reference,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "budget": project.budget,
        "status": project.status,
        "description": project.description,
        "expected_results": project.expected_results,
        "lead_organisation": lead.name if lead else "",
        "programme": {
            "name": programme.name,
            "code": programme.code,
            "fund": programme.fund,
            "managing_authority": programme.managing_authority,
            "decree": programme.decree,
            "priority_axis": programme.priority_axis,
            "indicator_set": programme.indicator_set,
        },
        "axes": [
            {
                "code": a.code,
                "name": a.name,
                "action": a.action,
                "budget": a.budget,
                "target_participants": a.target_participants,
                "target_hours": a.target_hours,
            }
            for a in project.axes.order_by("order", "code")
        ],
    }


def _partners(project: Project) -> list[dict]:
    role_order = {r: i for i, r in enumerate(Partnership.Role.values)}
    rows = Partnership.objects.filter(project=project).select_related("organisation")
    partners = [
        {
            "organisation_id": p.organisation_id,
            "name": p.organisation.name,
            "kind": p.organisation.kind,
            "role": p.role,
            "budget_share": p.budget_share,
            "agreement_date": p.agreement_date,
        }
        for p in rows
    ]
    return sorted(partners, key=lambda p: (role_order.get(p["role"], 99), p["name"]))


def _territory(project: Project, figures: dict) -> dict:
    municipalities = [
        {"name": m.name, "province": m.province, "istat_code": m.istat_code}
        for m in project.municipalities.order_by("name")
    ]
    neighbourhoods = list(
        Neighbourhood.objects.in_projects(project)
        .order_by("municipality__name", "name")
        .values_list("pk", "name", "municipality__name")
    )
    building_rows = []
    reached = {b["building_id"]: b for b in figures["buildings"]}
    for b in (
        Building.objects.in_projects(project)
        .annotate(
            unit_count=Count("units", distinct=True),
            units_occupied=Count(
                "units", distinct=True, filter=Q(units__status=HousingUnit.Status.OCCUPIED)
            ),
        )
        .order_by("name", "address", "pk")
        .values(
            "pk",
            "name",
            "address",
            "neighbourhood__name",
            "declared_units",
            "unit_count",
            "units_occupied",
        )
    ):
        r = reached.get(b["pk"], {})
        building_rows.append(
            {
                "name": b["name"],
                "address": b["address"],
                "neighbourhood": b["neighbourhood__name"],
                "declared_units": b["declared_units"],
                "units": b["unit_count"],
                "units_occupied": b["units_occupied"],
                "households_reached": r.get("households", 0),
                "people_reached": r.get("people", 0),
            }
        )
    labs = [
        {"name": lab.name, "address": lab.address, "municipality": lab.municipality.name}
        for lab in Lab.objects.filter(project=project)
        .select_related("municipality")
        .order_by("name", "pk")
    ]
    return {
        "municipalities": municipalities,
        "neighbourhoods": [{"name": n, "municipality": m} for _pk, n, m in neighbourhoods],
        "buildings": building_rows,
        "labs": labs,
    }


def _monthly_hours(project: Project, start: dt.date, end: dt.date) -> list[dict]:
    rows = (
        Session.objects.filter(held(within=(start, end)), activity__project=project)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(minutes=held_minutes(), sessions=Count("pk"))
        .order_by("month")
    )
    found = {(r["month"].year, r["month"].month): (r["minutes"] or 0, r["sessions"]) for r in rows}
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        minutes, sessions = found.get((year, month), (0, 0))
        months.append(
            {
                "month": f"{year:04d}-{month:02d}",
                "sessions": sessions,
                "hours": (Decimal(minutes) / 60).quantize(HOUR),
            }
        )
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _resident_reports_by_category(project: Project, start: dt.date, end: dt.date) -> list:
    rows = (
        ResidentReport.objects.filter(project=project, opened_on__range=(start, end))
        .values("category")
        .annotate(
            opened=Count("pk"),
            solved=Count(
                "pk",
                filter=Q(status=ResidentReport.Status.SOLVED, solved_on__range=(start, end)),
            ),
        )
        .order_by("category")
    )
    order = {c: i for i, c in enumerate(ResidentReport.Category.values)}
    return sorted(
        ({"category": r["category"], "opened": r["opened"], "solved": r["solved"]} for r in rows),
        key=lambda r: order.get(r["category"], 99),
    )


def _sessions(project: Project, start: dt.date, end: dt.date) -> list[dict]:
    """Every session dated in the period, held or not, with its evidence file names. Two
    queries. Only head counts and register sizes: no attendee's name."""
    sessions = (
        Session.objects.filter(activity__project=project, date__range=(start, end))
        .exclude(state=Session.State.PLANNED)
        .annotate(named=Count("attendances", distinct=True))
        .order_by("date", "start_time", "activity__name", "pk")
        .values(
            "pk",
            "date",
            "state",
            "duration_minutes",
            "head_count",
            "named",
            "validated_at",
            "activity__name",
            "activity__axis__code",
            "activity__organisation__name",
            "lab__name",
            "place",
        )
    )
    evidence: dict[int, list[str]] = {}
    for session_id, name in (
        SessionEvidence.objects.filter(
            session__activity__project=project, session__date__range=(start, end)
        )
        .order_by("session_id", "original_name", "pk")
        .values_list("session_id", "original_name")
    ):
        evidence.setdefault(session_id, []).append(name)
    return [
        {
            "date": s["date"],
            "activity": s["activity__name"],
            "axis": s["activity__axis__code"] or "",
            "organisation": s["activity__organisation__name"] or "",
            "place": s["lab__name"] or s["place"] or "",
            "state": s["state"],
            "hours": (Decimal(s["duration_minutes"] or 0) / 60).quantize(HOUR),
            "named_attendees": s["named"],
            "head_count": s["head_count"],
            "validated": s["validated_at"] is not None,
            "evidence": evidence.get(s["pk"], []),
        }
        for s in sessions
    ]


def _budget(project: Project, period) -> dict | None:
    from labs.budget.services import budget_vs_spending

    try:
        return budget_vs_spending(project, period)
    except Exception:  # noqa: BLE001 - a project without budget lines still reports
        return None


def _placements(project: Project, start: dt.date, end: dt.date) -> dict:
    """Tirocini and borse lavoro of the period (issue 15): counts, hours, grant paid."""
    from beneficiaries.placements.services import placement_figures

    return placement_figures(project, start, end)


def _narrative(narrative: dict | None) -> list[dict]:
    narrative = narrative or {}
    known = [key for key, _title in NARRATIVE_SECTIONS]
    sections = [
        {"key": key, "title": title, "text": str(narrative.get(key) or "").strip()}
        for key, title in NARRATIVE_SECTIONS
    ]
    for key in sorted(k for k in narrative if k not in known):
        sections.append({"key": key, "title": key, "text": str(narrative[key] or "").strip()})
    return sections


def build_report_data(project: Project, period, *, narrative: dict | None = None) -> dict:
    """The report of ``project`` for ``period`` (a ReportingPeriod, or any object with
    ``start_date``, ``end_date`` and ``name``) as a JSON-serialisable dict.

    Built with Italian as the active language, so that the few labels computed by other
    modules (budget categories) do not change the checksum with the user's language."""
    start, end = period.start_date, period.end_date
    with translation.override("it"):
        figures = period_figures(project=project, start=start, end=end)
        cumulative = period_figures(project=project, start=project.start_date, end=end)
        indicators = compute_indicators(project=project, start=start, end=end)
        data = {
            "schema": SCHEMA_VERSION,
            "project": _project(project),
            "period": {
                "id": getattr(period, "pk", None),
                "name": getattr(period, "name", "") or f"{start:%d/%m/%Y} – {end:%d/%m/%Y}",
                "start_date": start,
                "end_date": end,
                "closed": bool(getattr(period, "closed_at", None)),
            },
            "partners": _partners(project),
            "partnership_check": frozen_check(
                project, Partnership.objects.filter(project=project).order_by("role", "pk")
            ),
            "territory": _territory(project, figures),
            "targets": {
                key: {
                    "target": target,
                    "period": period_value,
                    "cumulative": cumulative_value,
                }
                for key, target, period_value, cumulative_value in (
                    (
                        "households",
                        project.target_households,
                        figures["households"]["reached"],
                        cumulative["households"]["reached"],
                    ),
                    (
                        "people",
                        project.target_people,
                        figures["people"]["reached"],
                        cumulative["people"]["reached"],
                    ),
                    (
                        "participants",
                        project.target_participants,
                        figures["participants"]["opened"],
                        cumulative["participants"]["opened"],
                    ),
                    (
                        "hours",
                        project.target_hours,
                        figures["activities"]["hours"],
                        cumulative["activities"]["hours"],
                    ),
                )
            },
            "activities": figures["activities"],
            "attendance": figures["attendance"],
            "participants": figures["participants"],
            "esf": indicators,
            "resident_reports": {
                **figures["resident_reports"],
                "by_category": _resident_reports_by_category(project, start, end),
            },
            "arrears": figures["arrears"],
            "repayments": repayment_figures(project=project, start=start, end=end),
            "placements": _placements(project, start, end),
            "monthly_hours": _monthly_hours(project, start, end),
            "budget": _budget(project, period),
            "narrative": _narrative(narrative),
            "sessions": _sessions(project, start, end),
        }
    return jsonable(data)
