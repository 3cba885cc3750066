"""RiCA's demo repayment plans (issue 15): built from the arrears records, with
community-work hours, deterministic, and removed with the demo."""

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from beneficiaries.models import ArrearsRecord
from beneficiaries.repayments.models import RepaymentPayment, RepaymentPlan
from reporting import demo as demo_data

pytestmark = pytest.mark.django_db


def snapshot():
    return sorted(
        RepaymentPayment.objects.values_list(
            "plan__household__code", "paid_on", "channel", "amount", "hours", "value"
        )
    )


def test_rica_plans_follow_the_arrears_records_with_community_work():
    call_command("seed_demo", stdout=io.StringIO())
    plans = RepaymentPlan.objects.filter(project__slug="rica")
    on_plan = (
        ArrearsRecord.objects.filter(household__project__slug="rica", repayment_plan=True)
        .values("household")
        .distinct()
        .count()
    )
    assert plans.count() == on_plan >= 8
    assert not RepaymentPlan.objects.exclude(project__slug="rica").exists()
    assert {p.creditor.kind for p in plans} == {"ente_erp"}
    hours = RepaymentPayment.objects.filter(plan__in=plans, hours__isnull=False)
    assert hours.exists()
    assert all(h.value == h.hours * Decimal("8") and h.hours <= 6 for h in hours)
    # Plausible at the project's end: most keep to the plan or have repaid it, some not.
    status = Counter(plans.with_status(on=dt.date(2021, 12, 31)).values_list("status", flat=True))
    assert status["on_track"] + status["closed"] > status["late"] + status["broken"] > 0
    # The same files give the same rows; removing the demo removes the plans.
    first = snapshot()
    demo_data.delete_demo()
    assert not RepaymentPlan.objects.exists() and not RepaymentPayment.objects.exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == first
