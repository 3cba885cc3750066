"""Reference rows (programmes, organisations, districts, municipalities), the demo
accounts, and a project with its axes, partnership and reporting periods."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password

from beneficiaries.models import Person
from labs.models import (
    Axis,
    District,
    Municipality,
    Partnership,
    Programme,
    Project,
    ProjectRole,
    ReportingPeriod,
)
from partners.models import Membership, Organisation

from . import loader
from .codes import organisation_vat
from .dates import at, semesters
from .state import Demo

DEMO_PASSWORD = "quartieri-demo-2026"
DEMO_EMAIL_DOMAIN = "demo.quartieri.example"
MONEY_FIELDS = ("allowance_hourly_amount", "allowance_cap")
ORGANISATION_KEYS = ("key", "name")


def demo_email(username: str) -> str:
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


def build_programmes(demo: Demo) -> None:
    for spec in loader.reference()["programmes"]:
        values = dict(spec)
        code = values.pop("code")
        for name in MONEY_FIELDS:
            values[name] = Decimal(values[name])
        demo.programmes[code], _ = Programme.objects.get_or_create(code=code, defaults=values)


def build_organisations(demo: Demo) -> None:
    """Organisations by name; without a tax code on the page they get a generated one."""
    for sequence, spec in enumerate(loader.reference()["organisations"]):
        defaults = {k: v for k, v in spec.items() if k not in ORGANISATION_KEYS}
        defaults["tax_code"] = spec.get("tax_code") or organisation_vat(sequence)
        demo.organisations[spec["key"]], _ = Organisation.objects.get_or_create(
            name=spec["name"], defaults=defaults
        )


def build_territory(demo: Demo) -> None:
    data = loader.reference()
    for key, (name, code) in data["districts"].items():
        demo.districts[key], _ = District.objects.get_or_create(name=name, defaults={"code": code})
    for spec in data["municipalities"]:
        district = spec.get("district")
        demo.municipalities[spec["name"]], _ = Municipality.objects.get_or_create(
            istat_code=spec["istat"],
            defaults={
                "name": spec["name"],
                "cadastral_code": spec["cadastral"],
                "province": "MI",
                "district": demo.districts[district] if district else None,
            },
        )
        demo.place_codes[spec["name"]] = spec["cadastral"]
    demo.place_codes.update(data["other_birthplaces"])


def build_reference(demo: Demo) -> None:
    """Programmes, organisations, districts and municipalities (reused if present)."""
    build_programmes(demo)
    build_organisations(demo)
    build_territory(demo)
    demo.tax_codes.update(Person.objects.exclude(tax_code=None).values_list("tax_code", flat=True))


def build_users(demo: Demo) -> None:
    """Demo accounts with one shared password hash (hashed once: it is slow on purpose)."""
    User = get_user_model()
    hashed = make_password(DEMO_PASSWORD)
    for spec in loader.demo_users():
        user, created = User.objects.get_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "email": demo_email(spec["username"]),
                "is_staff": spec["kind"] == "admin",
                "is_superuser": spec["kind"] == "admin",
            },
        )
        if created:
            validate_password(DEMO_PASSWORD, user)
            user.password = hashed
            user.save(update_fields=["password"])
        demo.users[spec["username"]] = user
        if spec["organisation"]:
            Membership.objects.get_or_create(
                user=user,
                organisation=demo.organisations[spec["organisation"]],
                defaults={"job_title": spec["job_title"]},
            )


def add_roles(demo: Demo, project: Project) -> None:
    for spec in loader.demo_users():
        for slug, role in spec["roles"]:
            if slug == project.slug:
                ProjectRole.objects.get_or_create(
                    project=project,
                    user=demo.users[spec["username"]],
                    defaults={
                        "organisation": demo.organisations[spec["organisation"]],
                        "role": role,
                    },
                )


def periods_of(data: dict) -> list[tuple]:
    """(name, start, end) of the reporting periods: listed, or the calendar semesters."""
    fields = data["project"]
    if data.get("periods", "semesters") == "semesters":
        return semesters(fields["start_date"], fields["end_date"])
    return [(p["name"], p["start"], p["end"]) for p in data["periods"]]


def create_project(demo: Demo, data: dict) -> Project:
    """A project (``[project]``) with its axes (``[[axes]]``), partnership (``[[partners]]``,
    adding up to the budget) and reporting periods; the first ``closed_periods`` are
    closed."""
    fields = dict(data["project"])
    programme, lead = fields.pop("programme"), fields.pop("lead")
    axes = data["axes"]
    project = Project.objects.create(
        programme=demo.programmes[programme],
        lead_organisation=demo.organisations[lead],
        budget=sum((Decimal(a["budget"]) for a in axes), Decimal("0.00")),
        **fields,
    )
    shares = sum((Decimal(p["budget_share"]) for p in data["partners"]), Decimal("0.00"))
    assert shares == project.budget, (project.slug, shares, project.budget)
    for order, axis in enumerate(axes):
        Axis.objects.create(
            project=project, **{**axis, "budget": Decimal(axis["budget"])}, order=order
        )
    for spec in data["partners"]:
        Partnership.objects.create(
            project=project,
            **{
                **spec,
                "organisation": demo.organisations[spec["organisation"]],
                "budget_share": Decimal(spec["budget_share"]),
            },
        )
    for name, start, end in periods_of(data):
        ReportingPeriod.objects.create(project=project, name=name, start_date=start, end_date=end)
    add_roles(demo, project)
    close_periods(demo, project, data.get("closed_periods", []))
    return project


def close_periods(demo: Demo, project: Project, closed: list[dict]) -> None:
    """The first periods of the project, closed by the lead on the given day at 10:00."""
    for period, spec in zip(project.periods.order_by("start_date"), closed, strict=False):
        period.closed_at = at(spec["on"], 10)
        period.closed_by = demo.users[spec["by"]]
        period.save()
