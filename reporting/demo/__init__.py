"""Demo data: the five seed projects of ``shared/seeds`` as one working data set.

The figures of the seed pages live in ``data/*.toml`` (see ``data/README.md``): partners,
territory, buildings and flats, households and residents per building, targets, periods,
axes, activities with their calendars, staff and budget lines. Valverde's 159 ALER Milano
flats and 343 residents in 144 households, Trezzano's 133 households and 300 people, the
28 municipalities of Adda Martesana in 4 districts, RiCA's three community hubs are
reproduced exactly. Everything else is synthetic and plausible: people and their codici
fiscali, households, a year of sessions with attendance registers, ESF paths, rent
arrears, consents, case notes and residents' reports.

The data are deterministic: one ``random.Random(2018)`` drives every choice, in the order
of the data files' steps, and every date is a fixed calendar date inside each project's
real period (nothing depends on today). Organisations other than the Comune di Canegrate
(whose partita IVA is on its page) get a generated, formally valid partita IVA: they are
demo values, not the real ones.

Entry points:

- ``is_loaded()``: the demo is already in the database (the Valverde project exists);
- ``load_demo()``: build everything in one transaction and return a summary of counts;
- ``delete_demo()``: remove what the demo built and nothing else still uses.

Rows that are many (people, household members, sessions, attendances, consents...) are
written with ``bulk_create``: ``save()`` does not run, so the normalised codice fiscale and
the session's ``duration_minutes`` are set here, and no history rows are written for them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from django.db import transaction

from beneficiaries.models import (
    ArrearsRecord,
    Attendance,
    CaseNote,
    Consent,
    Household,
    Path,
    Person,
)
from labs.models import (
    Activity,
    Building,
    HousingUnit,
    Lab,
    Municipality,
    Partnership,
    Programme,
    Project,
    ResidentReport,
    Session,
)
from partners.models import Organisation

from . import cleanup, loader
from .codes import name_code, organisation_vat, person_tax_code, surname_code
from .governance import build_governance
from .money import build_valverde_money
from .people import ITALIAN_FEMALE, ITALIAN_MALE, NORTHERN_SURNAMES, SOUTHERN_SURNAMES
from .placements import build_placements
from .projects import build_project
from .reference import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, build_reference, build_users, demo_email
from .state import Demo

__all__ = [
    "ADDA_SLUG",
    "D",
    "DEMO_EMAIL_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "ITALIAN_FEMALE",
    "ITALIAN_MALE",
    "MILO_SLUG",
    "NORTHERN_SURNAMES",
    "PROJECT_SLUGS",
    "RICA_SLUG",
    "SEED",
    "SOUTHERN_SURNAMES",
    "TREZZANO_SLUG",
    "VALVERDE_SLUG",
    "delete_demo",
    "demo_email",
    "dt",
    "is_loaded",
    "load_demo",
    "name_code",
    "organisation_vat",
    "person_tax_code",
    "summary",
    "surname_code",
]

SEED = 2018
D = Decimal

#: Slug of each seed project, from its data file, in build order.
PROJECT_SLUGS = [loader.project(name)["project"]["slug"] for name in loader.PROJECT_FILES]
VALVERDE_SLUG, TREZZANO_SLUG, ADDA_SLUG, RICA_SLUG, MILO_SLUG = PROJECT_SLUGS

#: Every demo account. ``roles`` lists (project slug, labs.ProjectRole role); ``kind`` is
#: "admin" (superuser), "regional_officer" (member of Regione Lombardia) or "staff".
DEMO_USERS: list[dict] = loader.demo_users()

SUMMARY_MODELS = [
    (Programme, "Programmi"),
    (Organisation, "Enti"),
    (Project, "Progetti"),
    (Partnership, "Partenariati"),
    (Municipality, "Comuni"),
    (Building, "Edifici"),
    (HousingUnit, "Alloggi"),
    (Household, "Nuclei familiari"),
    (Person, "Persone"),
    (Lab, "Laboratori / hub"),
    (Activity, "Attività"),
    (Session, "Incontri"),
    (Attendance, "Presenze"),
    (Path, "Percorsi FSE"),
    (ArrearsRecord, "Morosità"),
    (Consent, "Consensi"),
    (CaseNote, "Note del diario sociale"),
    (ResidentReport, "Segnalazioni"),
]


def is_loaded() -> bool:
    """The demo is in the database when its first project is."""
    return Project.objects.filter(slug=VALVERDE_SLUG).exists()


def summary() -> list[tuple[str, int]]:
    """Row counts of the main tables, for the command's output."""
    return [(label, model.objects.count()) for model, label in SUMMARY_MODELS]


@transaction.atomic
def load_demo() -> list[tuple[str, int]]:
    """Build the whole demo in one transaction and return the summary counts."""
    demo = Demo(rng=random.Random(SEED))
    build_reference(demo)
    build_users(demo)
    for name in loader.PROJECT_FILES:
        build_project(demo, name)
    build_valverde_money(demo, seed=SEED + 8)
    build_governance(demo, seed=SEED + 15)
    build_placements(demo, seed=SEED + 15)
    return summary()


def delete_demo() -> Counter:
    """Remove the demo projects with everything recorded in them, their people, the demo
    users, and the organisations, territory and programmes of the demo that nothing else
    uses. Returns how many rows of each kind went."""
    return cleanup.delete_demo(PROJECT_SLUGS)
