"""Host companies and placements of the demo (``data/placements.toml``): the register of
each project's companies and, for a draw of its active-inclusion paths, a placement with
monthly hours, the grant paid each month and, once it ended, its outcome.

A generator of its own (seeded) draws them, so the rest of the demo does not change."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from stdnum import luhn

from beneficiaries.models import Path, Placement, PlacementMonth, PlacementPayment
from labs.companies.models import HostCompany
from labs.models import Project
from partners.models import Organisation

from . import loader
from .state import Demo

CONTRACTS = ["fixed_term", "fixed_term", "apprenticeship", "permanent", "agency"]
#: The demo's "now", as the project files set it.
TODAY_OF = {"valverde": "valverde", "adda-martesana": "adda_martesana"}


def vat_number(project_index: int, n: int) -> str:
    """A synthetic partita IVA with a valid check digit (office code 015, Milano)."""
    body = f"{9100000 + project_index * 1000 + n:07d}015"
    return body + luhn.calc_check_digit(body)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    month, out = start.replace(day=1), []
    while month <= end:
        out.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


def build_companies(project: Project, spec: dict, index: int) -> list[HostCompany]:
    return HostCompany.objects.bulk_create(
        [
            HostCompany(
                project=project,
                name=c["name"],
                kind=c["kind"],
                vat_number=vat_number(index, n),
                ateco_code=c["ateco"],
                sector=c["sector"],
                municipality=c["municipality"],
                contact_office="Ufficio personale",
                email=f"tirocini{n + 1}@azienda{index}.example.it",
                availability=c["availability"],
            )
            for n, c in enumerate(spec["companies"])
        ]
    )


def build_placements(demo: Demo, seed: int) -> None:
    data = loader.read("placements")
    rng = random.Random(seed)
    reasons = data["texts"]["interruptions"]
    for index, spec in enumerate(data["projects"]):
        project = Project.objects.get(slug=spec["slug"])
        today = loader.project(TODAY_OF[spec["slug"]])["calendar"]["today"]
        companies = build_companies(project, spec, index)
        promoter = Organisation.objects.get(pk=demo.organisations[spec["promoter"]].pk)
        tutors = [demo.users[name] for name in spec["tutors"]]
        paths = list(
            Path.objects.filter(
                project=project,
                axis__code=spec["axis"],
                entry_date__lte=today - dt.timedelta(days=60),
            ).order_by("entry_date", "pk")
        )
        chosen = sorted(rng.sample(paths, min(spec["placements"], len(paths))), key=lambda p: p.pk)
        outcomes = list(spec["outcomes"])
        weights = [spec["outcomes"][o] for o in outcomes]
        placements, months, payments, hired_paths = [], [], [], []
        for n, path in enumerate(chosen):
            start = path.entry_date + dt.timedelta(days=rng.randint(30, 75))
            start = min(start, today - dt.timedelta(days=40))
            end = start + dt.timedelta(weeks=rng.choice(spec["weeks"]))
            weekly = Decimal(rng.choice(spec["weekly_hours"]))
            grant = Decimal(rng.choice(spec["monthly_grant"]))
            placement = Placement(
                path=path,
                kind=spec["kinds"][n % len(spec["kinds"])],
                host=companies[rng.randrange(len(companies))],
                promoter=promoter,
                tutor=tutors[n % len(tutors)],
                start_date=start,
                end_date=end,
                weekly_hours=weekly,
                monthly_grant=grant,
            )
            last = min(end, today)
            if end <= today:
                outcome = rng.choices(outcomes, weights)[0]
                placement.outcome = outcome
                if outcome == "interrupted":
                    last = start + (end - start) * rng.randint(35, 80) // 100
                    placement.interruption_reason = rng.choice(reasons)
                elif outcome == "hired":
                    placement.contract_type = rng.choice(CONTRACTS)
                    hired_paths.append(path.pk)
                placement.outcome_date = last
            placements.append(placement)
            for month in months_between(start, last):
                first = max(month, start)
                month_end = (month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
                days = (min(month_end, last) - first).days + 1
                share = Decimal(days) / Decimal(month_end.day)
                presence = Decimal(rng.randint(82, 100)) / 100
                hours = (weekly * Decimal("4.33") * share * presence * 2).quantize(
                    Decimal("1"), rounding=ROUND_HALF_UP
                ) / 2
                months.append((placement, month, hours))
                paid_on = month_end + dt.timedelta(days=10)
                if hours > 0 and paid_on <= today:
                    amount = (grant * share * presence).quantize(
                        Decimal("0.01"), rounding=ROUND_HALF_UP
                    )
                    payments.append((placement, month, paid_on, min(amount, grant)))
        Placement.objects.bulk_create(placements)
        PlacementMonth.objects.bulk_create(
            [PlacementMonth(placement=p, month=m, hours=h) for p, m, h in months]
        )
        PlacementPayment.objects.bulk_create(
            [
                PlacementPayment(
                    placement=p,
                    month=m,
                    paid_on=on,
                    amount=amount,
                    reference=f"Bonifico {m:%m/%Y}",
                    recorded_by=tutors[-1],
                )
                for p, m, on, amount in payments
            ]
        )
        # A hire is the path's result (as placement_save does one placement at a time).
        Path.objects.filter(pk__in=hired_paths).update(exit_employed=True)
