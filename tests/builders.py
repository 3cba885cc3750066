"""Minimal valid rows for constraint, validator and admin tests.

Plain functions with keyword overrides: each builds only what the database requires.
(The shared factories of tests/factories.py serve the named world of conftest.)
"""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from stdnum import luhn
from stdnum.it import codicefiscale

from beneficiaries.models import Household, Person
from labs.models import (
    Activity,
    Axis,
    Building,
    HousingUnit,
    Municipality,
    Neighbourhood,
    Programme,
    Project,
    ReportingPeriod,
    Session,
)
from partners.models import Organisation

MONTHS = "ABCDEHLMPRST"
CONSONANTS = "BCDFGHJKLMNPQRSTVWXZ"
DAY = dt.date(2024, 3, 1)

_seq = itertools.count(1)


def tax_code(
    birth: dt.date = dt.date(1980, 1, 1), sex: str = "M", *, n: int = 0, place: str = "F205"
) -> str:
    """A valid codice fiscale; ``n`` varies the name letters so that codes differ."""
    name = "".join(CONSONANTS[(n // len(CONSONANTS) ** i) % len(CONSONANTS)] for i in range(6))
    day = birth.day + (40 if sex == "F" else 0)
    body = f"{name}{birth.year % 100:02d}{MONTHS[birth.month - 1]}{day:02d}{place}"
    return body + codicefiscale.calc_check_digit(body)


def vat(n: int) -> str:
    """A valid partita IVA (office code 001)."""
    body = f"{n:07d}001"
    return body + luhn.calc_check_digit(body)


def user(**kw):
    n = next(_seq)
    return get_user_model().objects.create_user(username=kw.pop("username", f"u{n}"), **kw)


def organisation(**kw) -> Organisation:
    n = next(_seq)
    kw.setdefault("kind", Organisation.Kind.MUNICIPALITY)
    return Organisation.objects.create(name=kw.pop("name", f"Ente {n}"), **kw)


def programme(**kw) -> Programme:
    n = next(_seq)
    kw.setdefault("fund", Programme.Fund.ESF)
    kw.setdefault("indicator_set", Programme.IndicatorSet.ESF_2014)
    return Programme.objects.create(name=f"Bando {n}", code=f"bando-{n}", **kw)


def cup(n: int) -> str:
    return f"E41H{n:011d}"


def project(**kw) -> Project:
    n = next(_seq)
    defaults = {
        "title": f"Laboratorio sociale {n}",
        "short_name": f"Progetto {n}",
        "slug": f"p-{n}",
        "cup": cup(n),
        "start_date": dt.date(2023, 1, 1),
        "end_date": dt.date(2025, 12, 31),
    }
    kw = defaults | kw
    if "programme" not in kw:
        kw["programme"] = programme()
    if "lead_organisation" not in kw:
        kw["lead_organisation"] = organisation()
    return Project.objects.create(**kw)


def axis(project_: Project | None = None, **kw) -> Axis:
    n = next(_seq)
    return Axis.objects.create(
        project=project_ or project(), code=kw.pop("code", f"A{n}"), name=f"Asse {n}", **kw
    )


def period(project_: Project | None = None, **kw) -> ReportingPeriod:
    kw = {
        "name": "I semestre 2024",
        "start_date": dt.date(2024, 1, 1),
        "end_date": dt.date(2024, 6, 30),
    } | kw
    return ReportingPeriod.objects.create(project=project_ or project(), **kw)


def activity(project_: Project | None = None, **kw) -> Activity:
    project_ = project_ or project()
    kw.setdefault("kind", Activity.Kind.WORKSHOP)
    kw.setdefault("name", f"Laboratorio {next(_seq)}")
    if "axis" not in kw:
        kw["axis"] = axis(project_)
    if "organisation" not in kw:
        kw["organisation"] = project_.lead_organisation
    return Activity.objects.create(project=project_, **kw)


def session(activity_: Activity | None = None, **kw) -> Session:
    """A two-hour session, 9:00-11:00 by default."""
    kw = {"date": DAY, "start_time": dt.time(9), "end_time": dt.time(11)} | kw
    return Session.objects.create(activity=activity_ or activity(), **kw)


def municipality(**kw) -> Municipality:
    n = next(_seq)
    return Municipality.objects.create(
        name=f"Comune {n}", istat_code=f"{n:06d}", province="MI", **kw
    )


def neighbourhood(**kw) -> Neighbourhood:
    kw.setdefault("name", f"Quartiere {next(_seq)}")
    if "municipality" not in kw:
        kw["municipality"] = municipality()
    return Neighbourhood.objects.create(**kw)


def building(**kw) -> Building:
    kw.setdefault("address", f"Via Roma {next(_seq)}")
    kw.setdefault("name", "")
    if "neighbourhood" not in kw:
        kw["neighbourhood"] = neighbourhood()
    if "owner" not in kw:
        kw["owner"] = organisation(kind=Organisation.Kind.HOUSING_AGENCY)
    return Building.objects.create(**kw)


def unit(building_: Building | None = None, **kw) -> HousingUnit:
    kw.setdefault("owner_code", f"U{next(_seq)}")
    return HousingUnit.objects.create(building=building_ or building(), **kw)


def person(**kw) -> Person:
    n = next(_seq)
    kw = {
        "first_name": "Maria",
        "last_name": f"Rossi{n}",
        "birth_date": dt.date(1980, 1, 1),
        "sex": "F",
    } | kw
    return Person.objects.create(**kw)


def household(project_: Project | None = None, **kw) -> Household:
    kw.setdefault("code", f"N{next(_seq)}")
    return Household.objects.create(project=project_ or project(), **kw)
