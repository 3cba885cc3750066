"""The retention rule the portal applies (docs/dpia.md, "Conservazione").

A project's people are kept as long as the ESF rules want the project's documents: until
the project's retention date (``Project.retention_until``), or, when none is set, until
``Programme.retention_years`` after the project's end (Reg. 1303/2013 art. 140: about 3
years after the accounts close; ESF+ Reg. 2021/1060 art. 82: 5 years). Once a *closed*
project is past that date, the people it knew are anonymised, unless they are also known
to another project still within its period: those are kept whole.

Anonymising a person removes what identifies them (names, codice fiscale, day and month
of birth, place of birth, citizenship, contacts), their diario sociale, the notes of
their consents, links, follow-up contacts, placements and repayment plans, and the
special-category answers of their ESF profile (disability, migrant background,
minority, other disadvantage). Their history in the audit trail
(django-simple-history) is purged, not anonymised: those rows carry the old values.
What stays is an anonymous record (sex, year of birth, the ESF profile without
special-category answers, dates and hours) that the project's live figures still count.
Submitted progress reports are frozen snapshots (reporting.ProgressReport) and do not
change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import TruncYear
from django.utils import timezone

from labs.models import Project

from .models import (
    ArrearsRecord,
    CaseNote,
    Consent,
    FollowupContact,
    Household,
    Path,
    Person,
    PersonLink,
    Placement,
    RepaymentPlan,
)

ANONYMOUS_FIRST_NAME = "Persona"
ANONYMOUS_LAST_NAME = "(anonimizzata)"
SPECIAL_PATH_FIELDS = (
    "disability",
    "foreign_background",
    "third_country_national",
    "minority",
    "other_disadvantage",
)
# How a person is known to a project.
PROJECT_LINKS = (
    "registrations__project",
    "paths__project",
    "household_memberships__household__project",
    "case_notes__project",
    "activity_enrolments__activity__project",
    "attendances__session__activity__project",
)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_ends(project: Project) -> dt.date:
    """The last day the project's people are kept whole."""
    if project.retention_until:
        return project.retention_until
    return add_years(project.end_date, project.programme.retention_years)


@dataclass
class RetentionPlan:
    """What ``retention_apply`` does, computed without changing anything."""

    today: dt.date
    expired: list[tuple[Project, dt.date]] = field(default_factory=list)
    people: set[int] = field(default_factory=set)  # to anonymise
    kept: set[int] = field(default_factory=set)  # also in a project still within its period
    households: set[int] = field(default_factory=set)


def _people_of(project_ids) -> set[int]:
    ids: set[int] = set()
    for link in PROJECT_LINKS:
        ids.update(
            Person.objects.filter(**{f"{link}__in": project_ids}).values_list("pk", flat=True)
        )
    return ids


def retention_plan(today: dt.date | None = None) -> RetentionPlan:
    today = today or timezone.localdate()
    plan = RetentionPlan(today=today)
    projects = list(Project.objects.select_related("programme").order_by("short_name"))
    expired_ids, open_ids = [], []
    for project in projects:
        ends = retention_ends(project)
        if project.status == Project.Status.CLOSED and ends < today:
            plan.expired.append((project, ends))
            expired_ids.append(project.pk)
        else:
            open_ids.append(project.pk)
    if not expired_ids:
        return plan
    known = _people_of(expired_ids)
    plan.kept = known & _people_of(open_ids)
    already = set(
        Person.objects.filter(pk__in=known, last_name=ANONYMOUS_LAST_NAME).values_list(
            "pk", flat=True
        )
    )
    plan.people = known - plan.kept - already
    plan.households = set(
        Household.objects.filter(project__in=expired_ids)
        .exclude(members__person__in=plan.kept)
        .values_list("pk", flat=True)
    )
    return plan


def _purge_history(people: set[int], households: set[int]) -> int:
    """Delete the audit-trail rows of the anonymised people and households, of every
    beneficiaries model that keeps history and points to them."""
    purged = 0
    for model in apps.get_app_config("beneficiaries").get_models():
        if model.__name__.startswith("Historical") or not hasattr(model, "history"):
            continue
        historical = model.history.model
        names = {f.name for f in model._meta.fields}
        if model is Person:
            rows = historical.objects.filter(id__in=people)
        elif model is Household:
            rows = historical.objects.filter(id__in=households)
        elif "person" in names:
            rows = historical.objects.filter(person_id__in=people)
        elif "household" in names:
            rows = historical.objects.filter(household_id__in=households)
        else:
            continue
        purged += rows.delete()[0]
    return purged


@transaction.atomic
def retention_apply(plan: RetentionPlan) -> dict[str, int]:
    """Anonymise the plan's people and households; return what was changed, by kind.
    Updates go through querysets, so no new history row records the old values."""
    people, households = plan.people, plan.households
    done = {
        "persone": Person.objects.filter(pk__in=people).update(
            first_name=ANONYMOUS_FIRST_NAME,
            last_name=ANONYMOUS_LAST_NAME,
            tax_code=None,
            birth_date=TruncYear("birth_date"),
            birth_place="",
            citizenship="",
            phone="",
            email="",
            version=F("version") + 1,
        ),
        "note del diario sociale": CaseNote.objects.filter(
            Q(person__in=people) | Q(household__in=households)
        ).delete()[0],
        "consensi": Consent.objects.filter(person__in=people).update(notes=""),
        "percorsi": Path.objects.filter(person__in=people).update(
            **{name: "" for name in SPECIAL_PATH_FIELDS}
        ),
        "collegamenti tra persone": PersonLink.objects.filter(
            Q(person__in=people) | Q(same_as__in=people)
        ).update(note=""),
        "contatti di follow-up": FollowupContact.objects.filter(path__person__in=people).update(
            note=""
        ),
        "tirocini": Placement.objects.filter(path__person__in=people).update(
            notes="", interruption_reason=""
        ),
        "piani di rientro": RepaymentPlan.objects.filter(household__in=households).update(notes=""),
        "nuclei": Household.objects.filter(pk__in=households).update(notes=""),
        "morosità": ArrearsRecord.objects.filter(household__in=households).update(notes=""),
    }
    done["righe di storico eliminate"] = _purge_history(people, households)
    return done
