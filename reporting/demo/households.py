"""Flats and the households living in them, with exactly the figures of the data files:
households and current members per building, vacant flats, flats under works or
occupied without title."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from beneficiaries.models import Household, HouseholdMember, Person, Tenancy
from labs.models import Building, HousingUnit

from .dates import age_on, random_date, years_before
from .people import Origin, choose_origin, new_person, surname_for
from .state import Demo, ProjectBatch

R = HouseholdMember.Relation
ISEE_BANDS = [
    Household.IseeBand.UP_TO_6K,
    Household.IseeBand.UP_TO_9K,
    Household.IseeBand.UP_TO_16K,
    Household.IseeBand.UP_TO_26K,
    Household.IseeBand.OVER_26K,
    Household.IseeBand.UNKNOWN,
]


@dataclass
class NewMember:
    person: Person
    relation: str
    start: dt.date | None = None  # None: from the move-in date
    end: dt.date | None = None


@dataclass
class Family:
    """The people of one household being composed: same origin, ages on ``ref``."""

    demo: Demo
    origin: Origin
    ref: dt.date
    local_places: list[str]

    def person(self, sex, age_min, age_max, **kwargs) -> Person:
        birth = years_before(self.ref, self.demo.rng.uniform(age_min, age_max))
        return new_person(
            self.demo, self.origin, sex, birth, self.local_places, no_tax_code_share=0.12, **kwargs
        )

    def children(self, count, parent_age, surname) -> list[NewMember]:
        rng = self.demo.rng
        oldest = max(1, min(24, int(parent_age) - 19))
        ages = sorted((rng.uniform(0.3, oldest) for _ in range(count)), reverse=True)
        return [
            NewMember(self.person(rng.choice("MF"), age, age + 0.001, last_name=surname), R.CHILD)
            for age in ages
        ]


def living_alone(f: Family, roll: float) -> list[NewMember]:
    rng = f.demo.rng
    if roll < 0.62:  # elderly living alone, mostly women
        return [NewMember(f.person("F" if rng.random() < 0.7 else "M", 66, 93), R.REFERENCE)]
    return [NewMember(f.person("M" if rng.random() < 0.55 else "F", 28, 64), R.REFERENCE)]


def two_people(f: Family, roll: float) -> list[NewMember]:
    """Households of two that are not a single parent with a child."""
    rng = f.demo.rng
    if roll < 0.33:  # elderly couple
        return [
            NewMember(f.person("M", 66, 88), R.REFERENCE),
            NewMember(f.person("F", 63, 86), R.PARTNER),
        ]
    if roll < 0.50:  # elderly parent with an adult child
        parent_sex = "F" if rng.random() < 0.7 else "M"
        parent = f.person(parent_sex, 70, 90)
        child_surname = parent.last_name if parent_sex == "M" else surname_for(rng, f.origin)
        return [
            NewMember(parent, R.REFERENCE),
            NewMember(f.person(rng.choice("MF"), 35, 58, last_name=child_surname), R.CHILD),
        ]
    if roll < 0.56:  # grandparent raising a grandchild
        return [
            NewMember(f.person("F", 62, 80), R.REFERENCE),
            NewMember(f.person(rng.choice("MF"), 4, 16), R.GRANDCHILD),
        ]
    first = f.person(rng.choice("MF"), 45, 75)  # two adult siblings
    return [
        NewMember(first, R.REFERENCE),
        NewMember(f.person(rng.choice("MF"), 45, 75, last_name=first.last_name), R.SIBLING),
    ]


def single_parent(f: Family, size: int) -> list[NewMember]:
    rng = f.demo.rng
    mother = rng.random() < 0.85
    parent_age = rng.uniform(26, 55)
    parent = f.person("F" if mother else "M", parent_age, parent_age + 0.001)
    surname = surname_for(rng, f.origin) if mother else parent.last_name
    return [NewMember(parent, R.REFERENCE)] + f.children(size - 1, parent_age, surname)


def couple(f: Family, size: int) -> list[NewMember]:
    """A couple, with children when larger, sometimes with a grandparent."""
    rng = f.demo.rng
    with_grandparent = size >= 4 and rng.random() < 0.2
    parent_age = rng.uniform(28, 58)
    father = f.person("M", parent_age, parent_age + 0.001)
    mother = f.person("F", max(20, parent_age - 6), parent_age + 1)
    if rng.random() < 0.75:
        members = [NewMember(father, R.REFERENCE), NewMember(mother, R.PARTNER)]
    else:
        members = [NewMember(mother, R.REFERENCE), NewMember(father, R.PARTNER)]
    members += f.children(size - 2 - (1 if with_grandparent else 0), parent_age, father.last_name)
    if with_grandparent:
        members.append(NewMember(f.person("F" if rng.random() < 0.7 else "M", 70, 90), R.PARENT))
    return members


def compose_household(
    demo: Demo, size: int, ref: dt.date, local_places: list[str], foreign_share: float
) -> tuple[list[NewMember], Origin]:
    """People of one household of ``size`` current members, in a plausible shape: elderly
    singles and couples, single parents, couples with children, a grandparent."""
    origin = choose_origin(demo.rng, foreign_share)
    family = Family(demo, origin, ref, local_places)
    roll = demo.rng.random()
    if size == 1:
        return living_alone(family, roll), origin
    if size == 2 and roll < 0.61:
        return two_people(family, roll), origin
    if (size == 2 and roll < 0.80) or (size >= 3 and roll < 0.22):
        return single_parent(family, size), origin
    return couple(family, size), origin


def household_sizes(rng: random.Random, households: int, people: int) -> list[int]:
    """Sizes of ``households`` households adding up to exactly ``people``."""
    sizes = [rng.choices([1, 2, 3, 4, 5, 6], [30, 30, 18, 14, 6, 2])[0] for _ in range(households)]
    while sum(sizes) != people:
        i = rng.randrange(households)
        if sum(sizes) < people and sizes[i] < 7:
            sizes[i] += 1
        elif sum(sizes) > people and sizes[i] > 1:
            sizes[i] -= 1
    return sizes


def build_units(building: Building, spec: dict, rng: random.Random) -> list[HousingUnit]:
    """The flats of a building, staircase by staircase and floor by floor (unsaved)."""
    units = []
    floor, stair_index, slot = 0, 0, 1
    while len(units) < spec["units"]:
        rooms = rng.choices([1, 2, 3, 4, 5], [8, 30, 35, 20, 7])[0]
        staircase = spec["staircases"][stair_index]
        units.append(
            HousingUnit(
                building=building,
                staircase=staircase,
                floor=floor,
                owner_code=f"{building.owner_code}-{staircase}{floor}{slot:02d}",
                rooms=rooms,
                surface_m2=28 + rooms * 16 + rng.randint(-4, 9),
                tenure=HousingUnit.Tenure.SOCIAL_RENT,
            )
        )
        slot += 1
        if slot > spec["per_floor"]:
            slot, floor = 1, floor + 1
            if floor > 5:
                floor, stair_index = 0, stair_index + 1
    return units


def occupy(rng: random.Random, units: list[HousingUnit], spec: dict) -> list[HousingUnit]:
    """The flats the households live in (smallest first); the others get their status."""
    households = spec["households"]
    statuses = (
        [HousingUnit.Status.VACANT] * spec["vacant"]
        + [HousingUnit.Status.UNDER_WORKS] * spec["under_works"]
        + [HousingUnit.Status.OCCUPIED_WITHOUT_TITLE] * spec["no_title"]
    )
    assert households + len(statuses) == len(units), spec["name"]
    shuffled = units[:]
    rng.shuffle(shuffled)
    for unit, status in zip(shuffled[households:], statuses, strict=True):
        unit.status = status
    return sorted(shuffled[:households], key=lambda u: u.rooms)


def moved_in_on(rng: random.Random, reference: Person, origin: Origin) -> dt.date:
    """When the household got its flat: adult, arrived in Italy, by autumn 2018."""
    earliest = max(
        dt.date(1978, 1, 1),
        years_before(reference.birth_date, -20),
        dt.date(origin.arrival_year + 1, 1, 1) if origin.arrival_year else dt.date(1978, 1, 1),
    )
    return random_date(rng, min(earliest, dt.date(2018, 6, 30)), dt.date(2018, 9, 30))


def new_household(
    demo: Demo, batch: ProjectBatch, size: int, unit: HousingUnit, code: str, people: dict
) -> tuple[Household, list[NewMember]]:
    """One household of ``size`` current members living in ``unit`` (unsaved)."""
    rng = demo.rng
    members, origin = compose_household(
        demo, size, batch.ref, batch.local_places, people["foreign_share"]
    )
    moved_in = moved_in_on(rng, members[0].person, origin)
    household = Household(
        project=batch.project,
        code=code,
        isee_band=rng.choices(ISEE_BANDS, [35, 25, 22, 7, 2, 9])[0],
        isee_year=batch.ref.year,
    )
    household.demo_unit = unit
    household.demo_moved_in = moved_in
    household.demo_origin = origin
    return household, members


def add_moved_out_children(
    demo: Demo, batch: ProjectBatch, result: list[tuple[Household, list[NewMember]]], count: int
) -> None:
    """A few grown-up children who left the household during the year (not residents)."""
    rng, ref = demo.rng, batch.ref
    for household, members in rng.sample(result, count):
        reference = members[0]
        if age_on(reference.person.birth_date, ref) < 45:
            continue
        child = new_person(
            demo,
            household.demo_origin,
            rng.choice("MF"),
            years_before(ref, rng.uniform(20, 27)),
            batch.local_places,
            last_name=reference.person.last_name if reference.person.sex == "M" else None,
        )
        left = random_date(rng, ref + dt.timedelta(days=40), ref + dt.timedelta(days=300))
        members.append(NewMember(child, R.CHILD, end=left))


def populate_building(
    demo: Demo, batch: ProjectBatch, building: Building, spec: dict, people: dict
) -> list[tuple[Household, list[NewMember]]]:
    """Households living in a building: exactly ``households`` current tenancies and
    ``people`` current members (members who moved out are extra). Units without a household
    are vacant, under works or occupied without title."""
    rng = demo.rng
    units = build_units(building, spec, rng)
    sizes = household_sizes(rng, spec["households"], spec["people"])
    occupied = occupy(rng, units, spec)
    HousingUnit.objects.bulk_create(units)
    batch.buildings.append(building)
    batch.units_of[building.pk] = units
    order = sorted(range(spec["households"]), key=lambda i: sizes[i])
    prefix = spec["household_prefix"]
    result = [
        new_household(demo, batch, sizes[index], occupied[n], f"{prefix}-{n + 1:03d}", people)
        for n, index in enumerate(order)
    ]
    add_moved_out_children(demo, batch, result, people["moved_out_children"])
    return result


def save_households(
    demo: Demo, batch: ProjectBatch, households: list[tuple[Household, list[NewMember]]]
) -> None:
    """Write people, households, members and tenancies (bulk) for a project."""
    people = [m.person for _, members in households for m in members]
    Person.objects.bulk_create(people, batch_size=500)
    Household.objects.bulk_create([h for h, _ in households], batch_size=500)
    member_rows, tenancies = [], []
    for household, members in households:
        moved_in = household.demo_moved_in
        for member in members:
            start = member.start or max(moved_in, member.person.birth_date)
            member_rows.append(
                HouseholdMember(
                    household=household,
                    person=member.person,
                    relation=member.relation,
                    start_date=start,
                    end_date=member.end,
                )
            )
            batch.people_by_pk[member.person.pk] = member.person
            if member.end is None:
                batch.residents.append(member.person)
                batch.household_of[member.person.pk] = household
        tenancies.append(Tenancy(household=household, unit=household.demo_unit, moved_in=moved_in))
        household.demo_members = members
        batch.households.append(household)
    HouseholdMember.objects.bulk_create(member_rows, batch_size=500)
    Tenancy.objects.bulk_create(tenancies, batch_size=500)


def adults(
    people: list[Person], day: dt.date, min_age: int = 18, max_age: int = 120
) -> list[Person]:
    return [p for p in people if min_age <= age_on(p.birth_date, day) <= max_age]
