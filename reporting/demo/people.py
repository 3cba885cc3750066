"""Synthetic people: origin, names, birthplace, a valid and unique codice fiscale, phone
and e-mail. Every choice comes from the demo's one seeded random generator."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from beneficiaries.models import Person

from . import loader
from .codes import ascii_letters, person_tax_code
from .dates import age_on, clamp_birth, years_before
from .state import Demo, ProjectBatch

_NAMES = loader.names()
ITALIAN_MALE: list[str] = _NAMES["italian_male"]
ITALIAN_FEMALE: list[str] = _NAMES["italian_female"]
NORTHERN_SURNAMES: list[str] = _NAMES["northern_surnames"]
SOUTHERN_SURNAMES: list[str] = _NAMES["southern_surnames"]
SOUTHERN_BIRTHPLACES: list[str] = _NAMES["southern_birthplaces"]
MOBILE_PREFIXES: list[int] = _NAMES["mobile_prefixes"]
#: Foreign countries of birth by ISO code: name, cadastral Z-code, EU member, weight, names.
COUNTRIES: dict[str, dict] = _NAMES["countries"]
COUNTRY_NAMES = {c["name"] for c in COUNTRIES.values()}
EU_CITIZENSHIPS = {"IT"} | {k for k, c in COUNTRIES.items() if c["eu"]}


@dataclass
class Origin:
    """Where a household comes from: "north" (Lombardy), "south" (first generation born in
    the South), or "foreign" with a country key of COUNTRIES."""

    kind: str
    country: str | None = None
    arrival_year: int = 0
    naturalised: bool = False


def choose_origin(rng: random.Random, foreign_share: float = 0.3) -> Origin:
    roll = rng.random()
    if roll < foreign_share:
        keys = list(COUNTRIES)
        country = rng.choices(keys, [COUNTRIES[k]["weight"] for k in keys])[0]
        arrival = rng.randint(1991, 2017)
        return Origin("foreign", country, arrival, arrival < 2006 and rng.random() < 0.35)
    if roll < foreign_share + 0.28:
        return Origin("south")
    return Origin("north")


def surname_for(rng: random.Random, origin: Origin) -> str:
    if origin.kind == "foreign":
        return rng.choice(COUNTRIES[origin.country]["surnames"])
    if origin.kind == "south":
        return rng.choice(SOUTHERN_SURNAMES)
    return rng.choice(NORTHERN_SURNAMES if rng.random() < 0.75 else SOUTHERN_SURNAMES)


def first_name_for(rng: random.Random, origin: Origin, sex: str, born_in_italy: bool) -> str:
    if origin.kind == "foreign":
        names = COUNTRIES[origin.country]["male" if sex == "M" else "female"]
        if born_in_italy and rng.random() < 0.3:
            names = ITALIAN_MALE if sex == "M" else ITALIAN_FEMALE
        return rng.choice(names)
    return rng.choice(ITALIAN_MALE if sex == "M" else ITALIAN_FEMALE)


def birthplace(
    demo: Demo, origin: Origin, birth: dt.date, born_abroad: bool, local_places: list[str]
) -> tuple[str, str]:
    """Birthplace and its cadastral code (a Z-code abroad)."""
    if origin.kind == "foreign" and born_abroad:
        country = COUNTRIES[origin.country]
        return country["name"], country["code"]
    if origin.kind == "south" and birth.year <= 1972:
        place = demo.rng.choice(SOUTHERN_BIRTHPLACES)
    else:
        place = demo.rng.choice(local_places)
    return place, demo.place_codes[place]


def unique_tax_code(demo: Demo, last: str, first: str, birth, sex, place_code) -> str | None:
    """The first code, omocodia levels included, no other demo person has (None: all four
    are taken)."""
    for level in range(4):
        candidate = person_tax_code(last, first, birth, sex, place_code, level)
        if candidate not in demo.tax_codes:
            return candidate
    return None


def contacts(rng: random.Random, first_name: str, last_name: str, adult: bool) -> tuple[str, str]:
    """A made-up mobile number and e-mail address for most adults."""
    phone = email = ""
    if adult and rng.random() < 0.8:
        phone = f"+39 {rng.choice(MOBILE_PREFIXES)} 000 {rng.randint(1000, 9999)}"
    if adult and rng.random() < 0.25:
        email = (
            f"{ascii_letters(first_name).lower()}.{ascii_letters(last_name).lower()}"
            f"{rng.randint(1, 99)}@example.org"
        )
    return phone, email


def new_person(
    demo: Demo,
    origin: Origin,
    sex: str,
    birth: dt.date,
    local_places: list[str],
    *,
    last_name: str | None = None,
    first_name: str | None = None,
    no_tax_code_share: float = 0.0,
) -> Person:
    """An unsaved Person with a valid codice fiscale, unique among the demo's people."""
    rng = demo.rng
    birth = clamp_birth(birth)
    born_abroad = origin.kind == "foreign" and birth.year < origin.arrival_year
    birth_place, place_code = birthplace(demo, origin, birth, born_abroad, local_places)
    foreigner = origin.kind == "foreign" and not origin.naturalised
    last_name = last_name or surname_for(rng, origin)
    first_name = first_name or first_name_for(rng, origin, sex, not born_abroad)
    tax_code = None
    if not (born_abroad and rng.random() < no_tax_code_share):
        tax_code = unique_tax_code(demo, last_name, first_name, birth, sex, place_code)
        if tax_code is None:  # four people with the same code: give this one another name
            return new_person(
                demo,
                origin,
                sex,
                birth,
                local_places,
                last_name=last_name,
                no_tax_code_share=no_tax_code_share,
            )
        demo.tax_codes.add(tax_code)
    adult = age_on(birth, dt.date(2019, 1, 1)) >= 18
    phone, email = contacts(rng, first_name, last_name, adult)
    return Person(
        first_name=first_name,
        last_name=last_name,
        tax_code=tax_code,
        birth_date=birth,
        sex=sex,
        birth_place=birth_place,
        citizenship=origin.country if foreigner else "IT",
        phone=phone,
        email=email,
    )


def extra_person(
    demo: Demo,
    batch: ProjectBatch,
    *,
    sex: str | None = None,
    age: tuple[int, int] = (20, 70),
    foreign_share: float = 0.3,
    no_tax_code_share: float = 0.1,
) -> Person:
    """Someone the project meets who is not in one of its households."""
    rng = demo.rng
    origin = choose_origin(rng, foreign_share)
    person = new_person(
        demo,
        origin,
        sex or rng.choice("MF"),
        years_before(batch.ref, rng.uniform(*age)),
        batch.local_places,
        no_tax_code_share=no_tax_code_share,
    )
    batch.extra_people.append(person)
    return person
