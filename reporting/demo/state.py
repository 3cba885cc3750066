"""What a build shares (``Demo``) and one project's rows collected in memory
(``ProjectBatch``), written with ``bulk_create`` by ``flush``."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from beneficiaries.models import (
    ActivityEnrolment,
    ArrearsRecord,
    Attendance,
    CaseNote,
    Consent,
    Household,
    Path,
    Person,
    PersonLink,
    Registration,
)
from labs.models import (
    Activity,
    Axis,
    Building,
    District,
    HousingUnit,
    Lab,
    Municipality,
    Programme,
    Project,
    ResidentReport,
    Session,
)
from partners.models import Organisation


@dataclass
class Demo:
    """What the whole build shares: the random generator and the reference objects."""

    rng: random.Random
    organisations: dict[str, Organisation] = field(default_factory=dict)
    programmes: dict[str, Programme] = field(default_factory=dict)
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    districts: dict[str, District] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    tax_codes: set[str] = field(default_factory=set)
    place_codes: dict[str, str] = field(default_factory=dict)


@dataclass
class ProjectBatch:
    """One project's rows, collected in memory and written with bulk_create at the end."""

    project: Project
    today: dt.date  # the demo's "now" for this project: registers after it do not exist
    activity_start: dt.date
    ref: dt.date | None = None  # the day ages and households are composed on
    local_places: list[str] = field(default_factory=list)
    suspensions: list[tuple[dt.date, dt.date, str]] = field(default_factory=list)
    axes: dict[str, Axis] = field(default_factory=dict)
    labs: dict[str, Lab] = field(default_factory=dict)
    buildings: list[Building] = field(default_factory=list)
    units_of: dict[int, list[HousingUnit]] = field(default_factory=dict)  # building pk
    groups: dict[str, list] = field(default_factory=dict)  # named groups of the data file
    residents: list[Person] = field(default_factory=list)  # current household members
    households: list[Household] = field(default_factory=list)
    household_of: dict[int, Household] = field(default_factory=dict)  # person pk -> household
    extra_people: list[Person] = field(default_factory=list)
    extra_pks: list[int] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    operator_links: list[tuple[Session, object]] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    enrolments: dict[tuple[int, int], ActivityEnrolment] = field(default_factory=dict)
    first_contact: dict[int, dt.date] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    arrears: list[ArrearsRecord] = field(default_factory=list)
    notes: list[CaseNote] = field(default_factory=list)
    reports: list[ResidentReport] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)  # PersonLink fields, written last
    people_by_pk: dict[int, Person] = field(default_factory=dict)

    def contact(self, person: Person, day: dt.date) -> None:
        """Remember the first day the project met the person (for the registration)."""
        known = self.first_contact.get(person.pk)
        if known is None or day < known:
            self.first_contact[person.pk] = day
        self.people_by_pk[person.pk] = person

    def enrol(self, activity: Activity, person: Person, since: dt.date) -> None:
        key = (activity.pk, person.pk)
        if key not in self.enrolments:
            self.enrolments[key] = ActivityEnrolment(activity=activity, person=person, since=since)
        self.contact(person, since)


def save_extra_people(batch: ProjectBatch) -> None:
    """Write the people met outside the project's households, so that they have a key."""
    Person.objects.bulk_create(batch.extra_people, batch_size=500)
    for person in batch.extra_people:
        batch.people_by_pk[person.pk] = person
        batch.extra_pks.append(person.pk)
    batch.extra_people = []


def register_everyone(batch: ProjectBatch) -> None:
    """Registrations: participants from entry, people met outside the registers (e.g. on
    the street) from the start of the activities, everyone else from the first contact."""
    for path in batch.paths:
        batch.contact(path.person, path.entry_date)
    for pk in batch.extra_pks:
        if pk not in batch.first_contact:
            batch.first_contact[pk] = batch.activity_start
    Registration.objects.bulk_create(
        [
            Registration(project=batch.project, person=batch.people_by_pk[pk], registered_on=day)
            for pk, day in sorted(batch.first_contact.items())
        ],
        batch_size=1000,
    )


def flush(batch: ProjectBatch) -> None:
    """Write everything collected for a project, parents before children."""
    save_extra_people(batch)
    Session.objects.bulk_create(batch.sessions, batch_size=500)
    through = Session.operators.through
    through.objects.bulk_create(
        [through(session=s, user=u) for s, u in batch.operator_links], batch_size=500
    )
    Attendance.objects.bulk_create(batch.attendances, batch_size=1000)
    ActivityEnrolment.objects.bulk_create(list(batch.enrolments.values()), batch_size=1000)
    Path.objects.bulk_create(batch.paths, batch_size=500)
    register_everyone(batch)
    Consent.objects.bulk_create(batch.consents, batch_size=1000)
    ArrearsRecord.objects.bulk_create(batch.arrears, batch_size=1000)
    CaseNote.objects.bulk_create(batch.notes, batch_size=500)
    ResidentReport.objects.bulk_create(batch.reports, batch_size=500)
    for link in batch.links:
        PersonLink.objects.create(**link)
