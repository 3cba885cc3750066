"""Repayment plans of the households whose arrears record says a plan is running (RiCA:
"piani di rientro graduale in accordo con gli enti creditori", part of the debt paid back
in hours of community work).

Each plan starts on the first of the month after the first arrears record on a plan,
covers the debt recorded that day at the record's monthly instalment (raised so that no
plan lasts more than four years), and credits the
community-work hours at € 8 an hour (the rate the arrears records already assume). The
payments run until the plan is repaid or the project ends: most households keep to the
plan, some are behind with their last instalments, a few stop paying, a few pay off the
rest at once. The draws come from a generator of their own, so that adding plans does
not move any other synthetic row."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal as D

from dateutil.relativedelta import relativedelta

from beneficiaries.repayments.models import RepaymentInstalment, RepaymentPayment, RepaymentPlan
from beneficiaries.repayments.services import schedule

from .state import Demo, ProjectBatch

HOURLY_RATE = D("8.00")
MAX_MONTHS = 48
CASH_CHANNELS = [("pagopa", 5), ("bonifico", 3), ("sportello", 2)]


def _channel(rng: random.Random) -> str:
    names, weights = zip(*CASH_CHANNELS, strict=True)
    return rng.choices(names, weights)[0]


def add_repayment_plans(
    demo: Demo, batch: ProjectBatch, *, creditor: str, desk: str, hours_per_month: D
) -> None:
    rng = random.Random(f"repayment-plans:{batch.project.slug}")
    project = batch.project
    first_on_plan = {}
    for record in sorted(batch.arrears, key=lambda r: r.recorded_on):
        if record.repayment_plan and record.amount > 0 and record.household.pk not in first_on_plan:
            first_on_plan[record.household.pk] = record
    plans, instalments, payments = [], [], []
    for record in first_on_plan.values():
        start = (record.recorded_on + relativedelta(months=1)).replace(day=1)
        rate = HOURLY_RATE if record.community_work_hours else None
        # At most four years: a larger debt gets a larger instalment, and the arrears
        # records of the household say so too.
        monthly = max(
            record.plan_monthly_amount, D(math.ceil(record.amount / MAX_MONTHS / 10) * 10)
        )
        for other in batch.arrears:
            if other.household is record.household and other.repayment_plan:
                other.plan_monthly_amount = monthly
        plan = RepaymentPlan(
            project=project,
            household=record.household,
            creditor=demo.organisations[creditor],
            desk=demo.organisations[desk],
            debt=record.amount,
            start_date=start,
            instalment_amount=monthly,
            hourly_rate=rate,
            notes="Restituzione in parte con ore di lavoro comunitario" if rate else "",
        )
        plans.append((plan, record))
    RepaymentPlan.objects.bulk_create([p for p, _r in plans])
    for plan, _record in plans:
        rows = schedule(plan.debt, plan.start_date, plan.instalment_amount)
        cumulative = D("0.00")
        for number, (due_on, amount) in enumerate(rows, start=1):
            cumulative += amount
            instalments.append(
                RepaymentInstalment(
                    plan=plan, number=number, due_on=due_on, amount=amount, cumulative=cumulative
                )
            )
        due = [(d, a) for d, a in rows if d <= project.end_date]
        profile = rng.choices(["regular", "behind", "stopped", "paid_off"], [55, 20, 15, 10])[0]
        if profile == "behind":
            due = due[: -rng.choice([1, 2])]
        elif profile == "stopped":
            due = due[: rng.randint(3, 8)]
        paid_off_at = rng.randint(4, 10) if profile == "paid_off" and len(due) > 10 else None
        paid = D("0.00")
        for i, (due_on, amount) in enumerate(due):
            worked = due_on + dt.timedelta(days=rng.randint(0, 5))
            day = worked + dt.timedelta(days=rng.randint(0, 4))
            if paid_off_at is not None and i == paid_off_at:
                amount = plan.debt - paid
            hours = D("0")
            if plan.hourly_rate and i < len(due) - 1 and i != paid_off_at:
                hours = min(hours_per_month, (amount / plan.hourly_rate).quantize(D("0.5")))
            if hours > 0:
                value = (hours * plan.hourly_rate).quantize(D("0.01"))
                payments.append(
                    RepaymentPayment(
                        plan=plan,
                        paid_on=worked,
                        channel="lavoro_comunitario",
                        hours=hours,
                        value=value,
                        notes="Cura del verde e parti comuni",
                    )
                )
                amount -= value
                paid += value
            if amount > 0:
                payments.append(
                    RepaymentPayment(
                        plan=plan, paid_on=day, channel=_channel(rng), amount=amount, value=amount
                    )
                )
                paid += amount
            if paid >= plan.debt:
                break
    RepaymentInstalment.objects.bulk_create(instalments, batch_size=1000)
    RepaymentPayment.objects.bulk_create(payments, batch_size=1000)
