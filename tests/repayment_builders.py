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


def the_plan(w):
    """Maria's household's plan, made once (the query-ceiling pages ask twice)."""
    from beneficiaries.repayments.models import RepaymentPlan

    found = RepaymentPlan.objects.filter(household=w.household).first()
    return {"project": "valle", "pk": (found or plan(w)).pk}


def grow(w, households, count=1000):
    """Plans for ``count`` households, each with twelve instalments and three payments
    (two in cash, one in hours), followed by Coop Aurora's desk or the Comune's."""
    from beneficiaries.repayments.models import (
        RepaymentInstalment,
        RepaymentPayment,
        RepaymentPlan,
    )

    creditor = aler(w)
    plans = RepaymentPlan.objects.bulk_create(
        [
            RepaymentPlan(
                project=w.a,
                household=h,
                creditor=creditor,
                desk=w.aurora if n % 2 else w.valle,
                debt=Decimal("1200.00"),
                start_date=dt.date(2019, 1 + n % 12, 1),
                instalment_amount=Decimal("100.00"),
                hourly_rate=Decimal("10.00"),
            )
            for n, h in enumerate(households[:count])
        ],
        batch_size=1000,
    )
    RepaymentInstalment.objects.bulk_create(
        [
            RepaymentInstalment(
                plan=p,
                number=k + 1,
                due_on=dt.date(
                    p.start_date.year + (p.start_date.month + k - 1) // 12,
                    (p.start_date.month + k - 1) % 12 + 1,
                    1,
                ),
                amount=Decimal("100.00"),
                cumulative=Decimal(100 * (k + 1)),
            )
            for p in plans
            for k in range(12)
        ],
        batch_size=2000,
    )
    RepaymentPayment.objects.bulk_create(
        [
            RepaymentPayment(
                plan=p,
                paid_on=p.start_date + dt.timedelta(days=31 * k),
                channel="lavoro_comunitario" if k == 2 else "bonifico",
                amount=None if k == 2 else Decimal("100.00"),
                hours=Decimal("10.00") if k == 2 else None,
                value=Decimal("100.00"),
            )
            for p in plans
            for k in range(3)
        ],
        batch_size=2000,
    )
