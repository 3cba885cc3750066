"""What the printable records (schede) of a person and of a household contain.

Both are for project leads and social workers only: the callers fetch the person or the
household through ``with_sensitive_access`` / ``visible_to`` first. Everything is read
within the project named by the URL, with a fixed number of queries.
"""

import datetime as dt
from dataclasses import dataclass
from itertools import zip_longest

from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries.models import (
    ArrearsRecord,
    Attendance,
    CaseNote,
    Consent,
    Household,
    HouseholdMember,
    Path,
    Person,
    Tenancy,
)
from beneficiaries.paths.models import ENTRY_PROFILE_FIELDS, ENTRY_SENSITIVE_FIELDS
from beneficiaries.people.selectors import privacy_notice_state
from labs import access
from labs.models import Project

# The ESF profile of a path, in the order of the entry form, then the exit and follow-up.
PATH_ENTRY_FIELDS = (*ENTRY_PROFILE_FIELDS, *ENTRY_SENSITIVE_FIELDS)
PATH_EXIT_FIELDS = (
    "exit_date",
    "exit_reason",
    "exit_job_searching",
    "exit_in_education",
    "exit_qualification",
    "exit_employed",
    "followup_date",
    "followup_employed",
    "followup_improved",
)


def _display(instance, name: str) -> str:
    """A field's value as a person reads it: choices by label, yes/no, dd/mm/yyyy."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(getattr(instance, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Sì") if value else _("No")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _label(instance, name: str) -> str:
    label = str(instance._meta.get_field(name).verbose_name)
    return label[:1].upper() + label[1:]


def _rows(instance, names) -> list[tuple[str, str]]:
    return [(_label(instance, n), _display(instance, n)) for n in names]


@dataclass
class PathRecord:
    path: Path
    entry_profile: list[tuple[str, str]]
    exit_profile: list[tuple[str, str]]

    @property
    def side_by_side(self) -> list[tuple[tuple[str, str] | None, tuple[str, str] | None]]:
        """Entry and exit rows paired up, for a four-column table."""
        return list(zip_longest(self.entry_profile, self.exit_profile))


def _path_records(paths: QuerySet) -> list[PathRecord]:
    return [
        PathRecord(p, _rows(p, PATH_ENTRY_FIELDS), _rows(p, PATH_EXIT_FIELDS))
        for p in paths.select_related("axis", "tutor", "person")
    ]


def consent_state(consent: Consent, today: dt.date) -> str:
    if consent.withdrawn_on and consent.withdrawn_on <= today:
        return _("revocato")
    if consent.expires_on and consent.expires_on < today:
        return _("scaduto")
    if consent.signed_on > today:
        return _("non ancora in vigore")
    return _("valido")


def _consents(person: Person, today: dt.date) -> list[tuple[Consent, str]]:
    return [(c, consent_state(c, today)) for c in person.consents.all()]


def _attendances(user, project: Project, people) -> QuerySet:
    return (
        access.scoped(Attendance, user, project)
        .filter(person__in=people)
        .select_related("session__activity", "person")
        .order_by("session__date", "session__start_time", "person__last_name")
    )


def _tenancies(user, project, lookup: str) -> Prefetch:
    return Prefetch(
        lookup,
        access.scoped(Tenancy, user, project)
        .select_related("unit__building__neighbourhood__municipality")
        .order_by("-moved_in"),
    )


def person_record(user, project: Project, person: Person) -> dict:
    """The person's record in the project: personal data, consents, household and
    tenancy with arrears, paths with their ESF profile and outcomes, attendance, and the
    diario sociale."""
    today = timezone.localdate()
    memberships = (
        access.scoped(HouseholdMember, user, project)
        .filter(person=person)
        .select_related("household")
        .prefetch_related(
            _tenancies(user, project, "household__tenancies"),
            Prefetch("household__arrears", access.scoped(ArrearsRecord, user, project)),
        )
        .order_by("-start_date")
    )
    attendances = _attendances(user, project, [person])
    return {
        "person": person,
        "privacy_notice": privacy_notice_state(person),
        "consents": _consents(person, today),
        "memberships": memberships,
        "paths": _path_records(access.scoped(Path, user, project).filter(person=person)),
        "attendances": attendances,
        "attended_hours": attendances.aggregate(total=Sum("hours"))["total"] or 0,
        "case_notes": access.scoped(CaseNote, user, project)
        .filter(person=person)
        .select_related("author"),
    }


def household_record(user, project: Project, household: Household) -> dict:
    """The household's record in the project: members with their personal data and
    consents, tenancies, arrears, the members' paths and attendance, and the household's
    diario sociale."""
    today = timezone.localdate()
    members = list(
        access.scoped(HouseholdMember, user, project)
        .filter(household=household)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__consents",
                access.scoped(Consent, user, project).order_by("-signed_on"),
            )
        )
        .order_by("end_date", "start_date", "person__last_name")
    )
    people = list({m.person.pk: m.person for m in members}.values())
    for member in members:
        member.privacy_notice = privacy_notice_state(member.person)
    attendances = _attendances(user, project, people)
    return {
        "household": household,
        "members": members,
        "consents": [c for person in people for c in _consents(person, today)],
        "tenancies": access.scoped(Tenancy, user, project)
        .filter(household=household)
        .select_related("unit__building__neighbourhood__municipality")
        .order_by("-moved_in"),
        "arrears": access.scoped(ArrearsRecord, user, project)
        .filter(household=household)
        .order_by("-recorded_on"),
        "paths": _path_records(
            access.scoped(Path, user, project).filter(person__in=people).order_by("entry_date")
        ),
        "attendances": attendances,
        "attended_hours": attendances.aggregate(total=Sum("hours"))["total"] or 0,
        "case_notes": access.scoped(CaseNote, user, project)
        .filter(household=household)
        .select_related("author"),
    }
