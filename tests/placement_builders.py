"""Host companies and placements added to the named world (issue 15): a company and a
placement in each project; Maria's placement in Valle is promoted by Coop Aurora, so
paolo (its partner operator) sees it, and another promoted by the Comune di Valle, which
he does not."""

import datetime as dt
from decimal import Decimal

from beneficiaries.models import Path, Placement, PlacementMonth
from labs.companies.models import HostCompany
from tests import factories as f

VAT_VALLE = "00743110157"
VAT_BORGO = "02438750586"
SECRET_REASON = "Interrotto per ricovero in reparto psichiatrico"


def company(w, project=None, vat=None, name=None):
    project = project or w.a
    vat = vat or (VAT_VALLE if project == w.a else VAT_BORGO)
    row, _ = HostCompany.objects.get_or_create(
        project=project,
        vat_number=vat,
        defaults={"name": name or f"Officina {project.slug}", "ateco_code": "25.62"},
    )
    return row


def placement(w, project=None, promoter=None, **extra):
    project = project or w.a
    if project == w.a:
        path, person = w.path, w.maria
    else:
        path = Path.objects.filter(project=w.b, person=w.carla).first()
        path = path or f.PathFactory(project=w.b, person=w.carla)
        person = w.carla
    del person
    promoter = promoter or (w.aurora if project == w.a else w.borgo)
    row, _ = Placement.objects.get_or_create(
        path=path,
        promoter=promoter,
        defaults={
            "kind": Placement.Kind.TRAINEESHIP,
            "host": company(w, project),
            "start_date": dt.date(2019, 4, 1),
            "end_date": dt.date(2019, 9, 30),
            "weekly_hours": Decimal("20"),
            "monthly_grant": Decimal("500.00"),
            "interruption_reason": SECRET_REASON,
            "notes": SECRET_REASON,
            **extra,
        },
    )
    PlacementMonth.objects.get_or_create(
        placement=row, month=dt.date(2019, 4, 1), defaults={"hours": Decimal("80")}
    )
    return row


def valle_company(w):
    return {"project": "valle", "pk": company(w).pk}


def borgo_company(w):
    return {"project": "valle", "pk": company(w, w.b).pk}


def valle_placement(w):
    return {"project": "valle", "pk": placement(w).pk}


def valle_own_placement(w):
    """A placement of Valle promoted by the Comune, not by the partner."""
    return {"project": "valle", "pk": placement(w, promoter=w.valle).pk}


def borgo_placement(w):
    return {"project": "valle", "pk": placement(w, w.b).pk}


def grow(w, companies=300, placements=600):
    """Host companies and placements (with six months of hours each) at scale, for the
    query-ceiling test."""
    from stdnum import luhn

    def vat(n):
        body = f"{7000000 + n:07d}001"[:10]
        return body + luhn.calc_check_digit(body)

    rows = HostCompany.objects.bulk_create(
        [
            HostCompany(project=w.a, name=f"Azienda {n:04d}", vat_number=vat(n), ateco_code="56.10")
            for n in range(companies)
        ]
    )
    rows = list(HostCompany.objects.filter(project=w.a))
    paths = list(Path.objects.filter(project=w.a).order_by("pk")[:placements])
    created = Placement.objects.bulk_create(
        [
            Placement(
                path=path,
                kind=Placement.Kind.WORK_GRANT,
                host=rows[n % len(rows)],
                promoter=w.aurora if n % 2 else w.valle,
                tutor=w.sofia,
                start_date=dt.date(2019, 4, 1),
                end_date=dt.date(2019, 9, 30),
                weekly_hours=Decimal("20"),
                monthly_grant=Decimal("400"),
            )
            for n, path in enumerate(paths)
        ]
    )
    created = list(Placement.objects.filter(path__project=w.a))
    PlacementMonth.objects.bulk_create(
        [
            PlacementMonth(placement=p, month=dt.date(2019, m, 1), hours=Decimal("80"))
            for p in created
            for m in range(5, 10)
        ],
        batch_size=1000,
    )
