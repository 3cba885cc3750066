"""The indicator engine: ESF common indicators and the project's own figures for a period.

Every figure is an aggregate computed by the database (``Count(..., filter=Q(...))``,
``Sum``, ``Subquery``); no loop over participants runs in Python. The ESF output
indicators of a period are one query over ``Path``, the result indicators another.

The rules below read as a list: one named ``Q`` per indicator rule. Which rule feeds
which code, for which sexes, is data in ``reporting.catalogues``. docs/indicators.md
explains every rule in plain words, with its source and the assumptions taken.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import Exact, LessThan

from beneficiaries.models import (
    Answer,
    ArrearsRecord,
    Attendance,
    Household,
    HouseholdMember,
    Path,
    Tenancy,
)
from labs.models import Activity, Axis, Project, ResidentReport, Session
from labs.querysets import held as sessions_held
from labs.querysets import held_minutes

from .catalogues import Catalogue, Stage, catalogue_for

LabourStatus = Path.LabourStatus
HOUR = Decimal("0.01")


def age_on(day: str, birth: str = "person__birth_date") -> ExpressionWrapper:
    """Age in whole years on the date in field ``day``, computed by the database.

    Year difference, less one if (month, day) of ``day`` come before those of the birth
    date. Plain EXTRACTs and a CASE, so the same expression runs on SQLite and
    PostgreSQL (which have no common "age" function)."""
    birthday_not_yet = Case(
        When(LessThan(ExtractMonth(day), ExtractMonth(birth)), then=Value(1)),
        When(
            Q(Exact(ExtractMonth(day), ExtractMonth(birth)))
            & Q(LessThan(ExtractDay(day), ExtractDay(birth))),
            then=Value(1),
        ),
        default=Value(0),
    )
    return ExpressionWrapper(
        ExtractYear(day) - ExtractYear(birth) - birthday_not_yet, output_field=IntegerField()
    )


# Every rule below may use this annotation: the participant's age on the entry date.
AGE = "age_at_entry"


def _yes(field: str) -> Q:
    return Q(**{field: Answer.YES})


# -- Rules on the entry profile ---------------------------------------------------------

UNEMPLOYED = Q(labour_status=LabourStatus.UNEMPLOYED)
INACTIVE = Q(labour_status__in=[LabourStatus.INACTIVE_STUDYING, LabourStatus.INACTIVE_OTHER])
INACTIVE_NOT_IN_EDUCATION = Q(labour_status=LabourStatus.INACTIVE_OTHER)
EMPLOYED = Q(labour_status=LabourStatus.EMPLOYED)
# More than 12 months out of work from age 25, more than 6 below 25 (DOMAIN.md). A
# missing number of months never makes a person long-term unemployed.
LONG_TERM_UNEMPLOYED = UNEMPLOYED & (
    (Q(**{f"{AGE}__gte": 25}) & Q(unemployment_months__gt=12))
    | (Q(**{f"{AGE}__lt": 25}) & Q(unemployment_months__gt=6))
)
ABOVE_54 = Q(**{f"{AGE}__gt": 54})
JOBLESS_HOUSEHOLD = Q(jobless_household=True)
HOMELESS = Q(homeless_or_housing_exclusion=True)
# CR05 and CR09: any "yes" among CO15-CO17, or homeless / housing exclusion (CO18).
DISADVANTAGED = (
    _yes("foreign_background")
    | _yes("third_country_national")
    | _yes("minority")
    | _yes("disability")
    | _yes("other_disadvantage")
    | HOMELESS
)

# -- Rules on the exit and the follow-up -------------------------------------------------

EXIT_JOB_SEARCHING_INACTIVE = INACTIVE & Q(exit_job_searching=True)
EXIT_IN_EDUCATION = Q(exit_in_education=True)
EXIT_QUALIFICATION = Q(exit_qualification=True)
EXIT_EMPLOYED = Q(exit_employed=True)
# In employment, including self-employment, six months after leaving.
FOLLOWUP_EMPLOYED = Q(followup_employed=True) | Q(followup_self_employed=True)
# A follow-up counts only when taken inside its window (Path.followup_window): from six
# months after the exit to FOLLOWUP_WINDOW_DAYS later. Outside it, it is flagged on the
# worklist and counted nowhere.
FOLLOWUP_IN_WINDOW = Q(followup_date__gte=F("followup_due_date")) & Q(
    followup_date__lte=F("followup_window_end")
)

RULES: dict[str, Q] = {
    # Every complete record: the sum of unemployed, inactive and employed.
    "participant": UNEMPLOYED | INACTIVE | EMPLOYED,
    "unemployed": UNEMPLOYED,
    "long_term_unemployed": LONG_TERM_UNEMPLOYED,
    "inactive": INACTIVE,
    "inactive_not_in_education": INACTIVE_NOT_IN_EDUCATION,
    "employed": EMPLOYED,
    "age_below_18": Q(**{f"{AGE}__lt": 18}),
    "age_18_29": Q(**{f"{AGE}__gte": 18, f"{AGE}__lte": 29}),
    "age_below_25": Q(**{f"{AGE}__lt": 25}),
    "age_above_54": ABOVE_54,
    "age_55_and_above": Q(**{f"{AGE}__gte": 55}),
    "age_above_54_unemployed_or_inactive_not_in_education": ABOVE_54
    & (UNEMPLOYED | INACTIVE_NOT_IN_EDUCATION),
    "isced_0": Q(education_level=0),
    "isced_0_2": Q(education_level__lte=2),
    "isced_1_2": Q(education_level__in=[1, 2]),
    "isced_3_4": Q(education_level__in=[3, 4]),
    "isced_5_8": Q(education_level__gte=5),
    "jobless_household": JOBLESS_HOUSEHOLD,
    "jobless_household_with_children": JOBLESS_HOUSEHOLD & Q(dependent_children=True),
    "single_adult_with_children": Q(single_adult_household=True, dependent_children=True),
    "migrant_foreign_or_minority": _yes("foreign_background")
    | _yes("third_country_national")
    | _yes("minority"),
    "foreign_background": _yes("foreign_background"),
    "third_country_national": _yes("third_country_national"),
    "minority": _yes("minority"),
    "disability": _yes("disability"),
    "other_disadvantage": _yes("other_disadvantage"),
    "homeless_or_housing_exclusion": HOMELESS,
    "rural_area": Q(rural_area=True),
    "exit_job_searching_inactive": EXIT_JOB_SEARCHING_INACTIVE,
    "exit_job_searching": Q(exit_job_searching=True),
    "exit_in_education": EXIT_IN_EDUCATION,
    "exit_qualification": EXIT_QUALIFICATION,
    "exit_employed": EXIT_EMPLOYED,
    "exit_disadvantaged_any_outcome": DISADVANTAGED
    & (EXIT_JOB_SEARCHING_INACTIVE | EXIT_IN_EDUCATION | EXIT_QUALIFICATION | EXIT_EMPLOYED),
    "followup_employed": FOLLOWUP_EMPLOYED,
    "followup_improved": Q(followup_improved=True),
    "followup_employed_above_54": ABOVE_54 & FOLLOWUP_EMPLOYED,
    "followup_employed_disadvantaged": DISADVANTAGED & FOLLOWUP_EMPLOYED,
}

VALID_SEXES = ["F", "M", "X"]


def _answered(field_name: str) -> Q:
    field = Path._meta.get_field(field_name)
    answered = Q(**{f"{field_name}__isnull": False})
    if isinstance(field, CharField):
        answered &= ~Q(**{field_name: ""})
    return answered


def _complete(catalogue: Catalogue | None) -> Q:
    """Non-sensitive data complete: sex, (birth date, required by Person), and the
    catalogue's entry-profile fields."""
    complete = Q(person__sex__in=VALID_SEXES)
    for field_name in catalogue.complete_fields if catalogue else ():
        complete &= _answered(field_name)
    return complete


def _not_answered(catalogue: Catalogue | None) -> Q:
    """At least one of the catalogue's sensitive questions declined or left blank."""
    fields = catalogue.sensitive_fields if catalogue else ()
    if not fields:
        return Q(pk__in=[])
    not_answered = Q()
    for field_name in fields:
        not_answered |= Q(**{f"{field_name}__in": [Answer.DECLINED, ""]})
    return not_answered


# The one rule that depends on the catalogue: which questions are its sensitive ones.
SENSITIVE_NOT_ANSWERED = "sensitive_not_answered"


def _rule(catalogue: Catalogue, name: str) -> Q:
    if name == SENSITIVE_NOT_ANSWERED:
        return _not_answered(catalogue)
    return RULES[name]


def _participants(project: Project) -> QuerySet:
    """Only people on a path are ESF participants; one path per person and project."""
    return Path.objects.filter(project=project).annotate(**{AGE: age_on("entry_date")})


def _indicator_counts(
    catalogue: Catalogue, stage_windows: dict[Stage, Q], complete: Q
) -> tuple[dict, dict]:
    """The Count expressions for every indicator of the stages given, and how to read
    their results back: {alias: Count}, {code: {column: alias}}."""
    aggregates, columns = {}, {}
    for n, indicator in enumerate(catalogue.indicators):
        if indicator.stage not in stage_windows:
            continue
        base = complete & stage_windows[indicator.stage] & _rule(catalogue, indicator.rule)
        columns[indicator.code] = {}
        for breakdown in catalogue.breakdowns:
            alias = f"i{n}_{breakdown.key}"
            aggregates[alias] = Count("pk", filter=base & Q(person__sex=breakdown.sex))
            columns[indicator.code][breakdown.key] = alias
        aggregates[f"i{n}_total"] = Count("pk", filter=base)
        columns[indicator.code]["total"] = f"i{n}_total"
    return aggregates, columns


def output_indicators(
    *, catalogue: Catalogue | None, project: Project, start: dt.date, end: dt.date
) -> dict:
    """Participants entering the project in [start, end] and the catalogue's output
    indicators by sex. One query.

    Incomplete records count only in ``participants_total`` and
    ``participants_incomplete``."""
    complete = _complete(catalogue)
    aggregates = {
        "participants_total": Count("pk"),
        "participants_complete": Count("pk", filter=complete),
        "sensitive_not_answered": Count("pk", filter=complete & _not_answered(catalogue)),
    }
    columns = {}
    if catalogue:
        counts, columns = _indicator_counts(catalogue, {Stage.ENTRY: Q()}, complete)
        aggregates.update(counts)
    row = _participants(project).filter(entry_date__range=(start, end)).aggregate(**aggregates)
    return {
        "participants_total": row["participants_total"],
        "participants_complete": row["participants_complete"],
        "participants_incomplete": row["participants_total"] - row["participants_complete"],
        "sensitive_not_answered": row["sensitive_not_answered"],
        "indicators": {
            code: {column: row[alias] for column, alias in aliases.items()}
            for code, aliases in columns.items()
        },
    }


def result_indicators(
    *, catalogue: Catalogue, project: Project, start: dt.date, end: dt.date
) -> dict:
    """The catalogue's result indicators by sex. One query.

    Results on leaving count paths with exit_date in [start, end]; results six months
    after count paths with followup_date in [start, end], whenever they entered."""
    left = Q(exit_date__range=(start, end))
    followed_up = Q(followup_date__range=(start, end)) & FOLLOWUP_IN_WINDOW
    counts, columns = _indicator_counts(
        catalogue, {Stage.EXIT: left, Stage.FOLLOWUP: followed_up}, _complete(catalogue)
    )
    if not counts:
        return {}
    row = _participants(project).filter(left | followed_up).aggregate(**counts)
    return {
        code: {column: row[alias] for column, alias in aliases.items()}
        for code, aliases in columns.items()
    }


def compute_indicators(*, project: Project, start: dt.date, end: dt.date) -> dict:
    """The ESF indicators of a project for the period [start, end], both days included.

    The catalogue is the one the project's programme asks for. Returns::

        {"catalogue": "esf_2014_2020", "sexes": ["men", "women"],
         "indicators": {"CO01": {"men": 3, "women": 4, "total": 8}, ...},
         "participants_total": 10, "participants_complete": 8,
         "participants_incomplete": 2, "sensitive_not_answered": 1}

    ESF+ adds a "non_binary" column. A programme without ESF indicators ("none") gets an
    empty ``indicators`` dict and still its participant counts. Two queries at most (one
    for outputs, one for results), plus one to read the programme if not loaded."""
    indicator_set = project.programme.indicator_set
    catalogue = catalogue_for(indicator_set)
    figures = output_indicators(catalogue=catalogue, project=project, start=start, end=end)
    indicators = figures.pop("indicators")
    if catalogue:
        indicators |= result_indicators(catalogue=catalogue, project=project, start=start, end=end)
        # Report order: the catalogue's, outputs and results interleaved as listed there.
        indicators = {i.code: indicators[i.code] for i in catalogue.indicators}
    return {
        "catalogue": indicator_set,
        "sexes": [b.key for b in catalogue.breakdowns] if catalogue else [],
        "indicators": indicators,
        **figures,
    }


# -- The project's own figures -------------------------------------------------------------


def _hours(minutes: int | None) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(HOUR)


def _overlaps(start: dt.date, end: dt.date, since: str, until: str) -> Q:
    """A dated row (``since`` to ``until``, open when null) overlapping [start, end]."""
    return Q(**{f"{since}__lte": end}) & (
        Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__gte": start})
    )


def _reach(project: Project, start: dt.date, end: dt.date) -> dict:
    """Households with a member in the period (current or past), and those members."""
    members = HouseholdMember.objects.filter(
        _overlaps(start, end, "start_date", "end_date"), household__project=project
    )
    reached = members.aggregate(
        households=Count("household", distinct=True), people=Count("person", distinct=True)
    )
    # By the building of the unit the household lived in during the period: a household
    # that moved between buildings counts in both.
    buildings = (
        Tenancy.objects.filter(
            _overlaps(start, end, "moved_in", "moved_out"),
            _overlaps(start, end, "household__members__start_date", "household__members__end_date"),
            household__project=project,
        )
        .values("unit__building_id", "unit__building__name", "unit__building__address")
        .annotate(
            households=Count("household", distinct=True),
            people=Count("household__members__person", distinct=True),
        )
        .order_by("unit__building__name", "unit__building__address")
    )
    return {
        "households": {"reached": reached["households"], "target": project.target_households},
        "people": {"reached": reached["people"], "target": project.target_people},
        "buildings": [
            {
                "building_id": row["unit__building_id"],
                "name": row["unit__building__name"],
                "address": row["unit__building__address"],
                "households": row["households"],
                "people": row["people"],
            }
            for row in buildings
        ],
    }


def _activities(project: Project, start: dt.date, end: dt.date) -> dict:
    """Activities with a session held in the period, sessions held and their hours: in
    all, by axis and by the organisation that runs them."""

    def held(prefix: str) -> Q:
        return sessions_held(prefix, (start, end))

    def minutes(prefix: str):
        return held_minutes(prefix, (start, end))

    per_axis = (
        Axis.objects.filter(project=project)
        .annotate(
            activity_count=Count(
                "activities", distinct=True, filter=held("activities__sessions__")
            ),
            sessions_held=Count("activities__sessions", filter=held("activities__sessions__")),
            minutes=minutes("activities__sessions__"),
        )
        .order_by("order", "code")
        .values("pk", "code", "name", "activity_count", "sessions_held", "minutes")
    )
    per_organisation = (
        Activity.objects.filter(project=project)
        .values("organisation_id", "organisation__name")
        .annotate(
            activity_count=Count("pk", distinct=True, filter=held("sessions__")),
            sessions_held=Count("sessions", filter=held("sessions__")),
            minutes=minutes("sessions__"),
        )
        .order_by("organisation__name")
    )
    totals = Session.objects.filter(held(""), activity__project=project).aggregate(
        sessions_held=Count("pk"),
        minutes=minutes(""),
        head_count=Coalesce(Sum("head_count"), 0),
    )
    attendance = Attendance.objects.filter(
        held("session__"), session__activity__project=project
    ).aggregate(
        rows=Count("pk"),
        people=Count("person", distinct=True),
        hours=Coalesce(Sum("hours"), Value(Decimal("0")), output_field=DecimalField()),
    )
    return {
        "activities": {
            "sessions_held": totals["sessions_held"],
            "hours": _hours(totals["minutes"]),
            "target_hours": project.target_hours,
            "by_axis": [
                {
                    "axis_id": row["pk"],
                    "code": row["code"],
                    "name": row["name"],
                    "activities": row["activity_count"],
                    "sessions_held": row["sessions_held"],
                    "hours": _hours(row["minutes"]),
                }
                for row in per_axis
            ],
            "by_organisation": [
                {
                    "organisation_id": row["organisation_id"],
                    "name": row["organisation__name"],
                    "activities": row["activity_count"],
                    "sessions_held": row["sessions_held"],
                    "hours": _hours(row["minutes"]),
                }
                for row in per_organisation
            ],
        },
        "attendance": {
            "named_rows": attendance["rows"],
            "named_people": attendance["people"],
            "named_hours": attendance["hours"].quantize(HOUR),
            "head_count": totals["head_count"],
        },
    }


def _participants_flow(project: Project, start: dt.date, end: dt.date) -> dict:
    flow = Path.objects.filter(project=project).aggregate(
        opened=Count("pk", filter=Q(entry_date__range=(start, end))),
        active_at_end=Count(
            "pk", filter=Q(entry_date__lte=end) & (Q(exit_date__isnull=True) | Q(exit_date__gt=end))
        ),
        closed=Count("pk", filter=Q(exit_date__range=(start, end))),
    )
    return {**flow, "target": project.target_participants}


def _median_days_to_solve(solved: QuerySet, count: int) -> Decimal | None:
    """Median of (solved_on - opened_on) in days. The database sorts; only the middle one
    or two values are fetched (an ordered OFFSET query, fine on SQLite and PostgreSQL)."""
    if not count:
        return None
    days = ExpressionWrapper(F("solved_on") - F("opened_on"), output_field=DurationField())
    middle = list(
        solved.annotate(days=days)
        .order_by("days", "pk")
        .values_list("days", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    return Decimal(sum(d.days for d in middle)) / len(middle)


def _resident_reports(project: Project, start: dt.date, end: dt.date) -> dict:
    reports = ResidentReport.objects.filter(project=project)
    solved = reports.filter(status=ResidentReport.Status.SOLVED, solved_on__range=(start, end))
    counts = reports.aggregate(
        opened=Count("pk", filter=Q(opened_on__range=(start, end))),
        solved=Count(
            "pk",
            filter=Q(status=ResidentReport.Status.SOLVED, solved_on__range=(start, end)),
        ),
    )
    return {**counts, "median_days_to_solve": _median_days_to_solve(solved, counts["solved"])}


def _arrears(project: Project, start: dt.date, end: dt.date) -> dict:
    """Rent arrears of the project's households on the first and last day of the period:
    each household's latest record on or before the day; a household is in arrears when
    that amount is above zero. One query."""

    def latest_amount(day: dt.date) -> Subquery:
        return Subquery(
            ArrearsRecord.objects.filter(household=OuterRef("pk"), recorded_on__lte=day)
            .order_by("-recorded_on")
            .values("amount")[:1]
        )

    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=12, decimal_places=2))
    row = (
        Household.objects.filter(project=project)
        .annotate(at_start=latest_amount(start), at_end=latest_amount(end))
        .aggregate(
            start_total=Coalesce(Sum("at_start", filter=Q(at_start__gt=0)), zero),
            start_households=Count("pk", filter=Q(at_start__gt=0)),
            end_total=Coalesce(Sum("at_end", filter=Q(at_end__gt=0)), zero),
            end_households=Count("pk", filter=Q(at_end__gt=0)),
        )
    )
    return {
        "start": {
            "date": start,
            "total": Decimal(row["start_total"]).quantize(HOUR),
            "households": row["start_households"],
        },
        "end": {
            "date": end,
            "total": Decimal(row["end_total"]).quantize(HOUR),
            "households": row["end_households"],
        },
    }


def period_figures(*, project: Project, start: dt.date, end: dt.date) -> dict:
    """The report's figures for the period [start, end], both days included.

    Households and people reached (a member in the period) against targets, and by
    building; activities, sessions held and hours by axis and by organisation;
    attendance (named register rows and hours, head counts of open events); paths
    opened, active at the end and closed; residents' reports opened and solved with the
    median days to solve; rent arrears at the start and at the end. Every number is a
    database aggregate: ten queries, whatever the size of the project.

    Not the dashboard's running totals (``selectors.dashboard_figures``)."""
    return {
        **_reach(project, start, end),
        **_activities(project, start, end),
        "participants": _participants_flow(project, start, end),
        "resident_reports": _resident_reports(project, start, end),
        "arrears": _arrears(project, start, end),
    }


def outputs_by_project(*, catalogue: Catalogue | None, project_ids: list[int]) -> dict:
    """The catalogue's output indicators by sex of every participant who ever entered each
    of the projects given (the Region's programme view stores them per project):
    ``{project_id: {code: {column: n}}}``. One query grouped by project; none for a
    programme without ESF indicators.

    Only complete records count in an indicator, so the completeness test goes in the
    WHERE clause, once per row, instead of in each of the ~60 FILTER clauses."""
    if catalogue is None or not project_ids:
        return {}
    aggregates, columns = _indicator_counts(catalogue, {Stage.ENTRY: Q()}, Q())
    rows = (
        Path.objects.filter(_complete(catalogue), project_id__in=project_ids)
        .annotate(**{AGE: age_on("entry_date")})
        .values("project_id")
        .annotate(**aggregates)
        .order_by()
    )
    return {
        row["project_id"]: {
            code: {column: row[alias] for column, alias in aliases.items()}
            for code, aliases in columns.items()
        }
        for row in rows
    }


def sum_outputs(catalogue: Catalogue | None, per_project: list[dict]) -> dict:
    """The programme's output indicators: each project's counts (``outputs_by_project``)
    added up, every code and column of the catalogue present, zero when no project has
    a participant."""
    if catalogue is None:
        return {}
    totals = {
        i.code: {**{b.key: 0 for b in catalogue.breakdowns}, "total": 0} for i in catalogue.outputs
    }
    for outputs in per_project:
        for code, values in outputs.items():
            if code in totals:
                for column, n in values.items():
                    totals[code][column] += n
    return totals


REPAYMENT_KEYS = (
    "households",
    "plans",
    "on_track",
    "late",
    "broken",
    "closed",
    "open",
    "share_on_track",
    "owed_start",
    "owed_end",
    "repaid",
    "repaid_cash",
    "repaid_hours_value",
    "hours",
)


def repayment_figures(*, project: Project, start: dt.date, end: dt.date) -> dict:
    """Repayment plans (piani di rientro) for [start, end]: households with a plan, plans
    by status at the end and the share on track among the open ones, euros repaid in the
    period in cash and in community-work hours, and the debt still owed under the plans at
    the start and at the end. Three queries (``repayments.services.repayment_figures``)."""
    from beneficiaries.repayments import services as repayments
    from beneficiaries.repayments.models import RepaymentPayment, RepaymentPlan

    figures = repayments.repayment_figures(
        RepaymentPlan.objects.filter(project=project),
        RepaymentPayment.objects.filter(plan__project=project),
        start=start,
        end=end,
    )
    return {key: figures[key] for key in REPAYMENT_KEYS}
