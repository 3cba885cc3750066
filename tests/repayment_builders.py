"""Repayment plans for the shared matrices (authorization, forms, query ceilings)."""

import datetime as dt
from decimal import Decimal

from partners.models import Organisation


def aler(w):
    org, _ = Organisation.objects.get_or_create(
        name="ALER Valle", defaults={"kind": Organisation.Kind.HOUSING_AGENCY}
    )
    return org


def plan(w, *, household=None, desk=None, project=None, rate=Decimal("10.00")):
    """A plan of Maria's household followed by Coop Aurora's desk (paolo's organisation)."""
    from beneficiaries.repayments import services

    project = project or w.a
    household = household or (w.household if project == w.a else w.b_household)
    if desk is None:
        desk = w.aurora if project == w.a else w.borgo
    return services.plan_create(
        project=project,
        household=household,
        creditor=aler(w),
        desk=desk,
        debt=Decimal("1200.00"),
        start_date=dt.date(2019, 1, 15),
        instalment_amount=Decimal("100.00"),
        hourly_rate=rate,
    )


def valle_plan(w):
    return {"project": "valle", "pk": plan(w).pk}


def valle_plan_of_other_desk(w):
    """A Valle plan followed by the Comune's own desk: not paolo's."""
    return {"project": "valle", "pk": plan(w, desk=w.valle).pk}


def borgo_plan(w):
    return {"project": "valle", "pk": plan(w, project=w.b).pk}
