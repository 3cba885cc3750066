"""Repayment plans (issue 15): the schedule, payments in cash or hours, the status rule,
who may record payments, and the report's figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from beneficiaries.repayments import services
from beneficiaries.repayments.models import RepaymentPayment, RepaymentPlan
from labs import access
from tests import repayment_builders as repay

D = Decimal
CASH = RepaymentPayment.Channel.TRANSFER
WORK = RepaymentPayment.Channel.COMMUNITY_WORK


def status_on(plan, day):
    return RepaymentPlan.objects.with_status(on=day).get(pk=plan.pk)


def pay(plan, day, amount=None, hours=None, channel=CASH):
    return services.payment_record(
        plan=plan, paid_on=day, channel=WORK if hours else channel, amount=amount, hours=hours
    )


def test_the_schedule_covers_the_debt_with_a_smaller_last_instalment(world):
    plan = services.plan_create(
        project=world.a,
        household=world.household,
        creditor=repay.aler(world),
        desk=world.aurora,
        debt=D("1050.00"),
        start_date=dt.date(2019, 1, 31),
        instalment_amount=D("200.00"),
    )
    rows = list(plan.instalments.values_list("due_on", "amount", "cumulative"))
    assert len(rows) == 6
    assert rows[1][0] == dt.date(2019, 2, 28)  # same day of the month, or the month's last
    assert rows[-1][1:] == (D("50.00"), D("1050.00"))


def test_status_follows_the_schedule(world):
    plan = repay.plan(world)  # 12 × € 100 from 15/01/2019, € 10 an hour
    assert status_on(plan, dt.date(2019, 1, 20)).status == "on_track"  # within the grace
    late = status_on(plan, dt.date(2019, 1, 26))
    assert (late.status, late.missed) == ("late", 1)
    pay(plan, dt.date(2019, 1, 20), amount=D("100.00"))
    assert status_on(plan, dt.date(2019, 2, 20)).status == "on_track"
    # Ten hours of community work at € 10 cover February's instalment.
    pay(plan, dt.date(2019, 2, 20), hours=D("10"))
    on_time = status_on(plan, dt.date(2019, 3, 1))
    assert (on_time.status, on_time.credited, on_time.credited_hours) == (
        "on_track",
        D("200.00"),
        D("100.00"),
    )
    broken = status_on(plan, dt.date(2019, 5, 30))  # March, April, May uncovered
    assert (broken.status, broken.missed, broken.outstanding) == ("broken", 3, D("1000.00"))
    pay(plan, dt.date(2019, 6, 1), amount=D("1000.00"))
    closed = status_on(plan, dt.date(2019, 6, 1))
    assert (closed.status, closed.outstanding) == ("closed", D("0.00"))


def test_hours_need_a_rate_in_the_plan(world):
    plan = repay.plan(world, rate=None)
    with pytest.raises(ValidationError) as error:
        pay(plan, dt.date(2019, 2, 1), hours=D("4"))
    assert "channel" in error.value.message_dict


def test_the_partner_records_payments_only_for_its_own_desk(client, world):
    own, other = repay.plan(world), repay.plan(world, desk=world.valle)
    client.force_login(world.paolo)
    response = client.get(reverse("repayments:plan-list", args=["valle"]))
    assert list(response.context["plans"]) == [own]
    assert "Maria" not in response.content.decode()  # the household code, no names
    url = reverse("repayments:payment-create", args=["valle", own.pk])
    data = {"paid_on": "10/02/2019", "channel": WORK, "hours": "6", "amount": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    assert own.payments.get().value == D("60.00")
    other_url = reverse("repayments:payment-create", args=["valle", other.pk])
    assert client.post(other_url, data).status_code == 404
    assert not other.payments.exists()


def test_the_partner_cannot_create_plans(client, world):
    client.force_login(world.paolo)
    url = reverse("repayments:plan-create", args=["valle", world.household.pk])
    assert client.get(url).status_code == 404
    assert not access.can(world.paolo, "repayments.change", world.a.pk)


def test_a_social_worker_creates_a_plan_from_the_household(client, world):
    creditor = repay.aler(world)
    client.force_login(world.sofia)
    url = reverse("repayments:plan-create", args=["valle", world.household.pk])
    form = client.get(url).context["form"]
    assert set(form.fields["desk"].queryset) == {world.valle, world.aurora}
    assert world.borgo not in form.fields["creditor"].queryset
    response = client.post(
        url,
        {
            "creditor": creditor.pk,
            "desk": world.aurora.pk,
            "debt": "900",
            "start_date": "2019-03-01",
            "instalment_amount": "75",
            "hourly_rate": "8",
            "notes": "",
        },
    )
    plan = RepaymentPlan.objects.get()
    assert response.status_code == 302
    assert (plan.instalments.count(), plan.created_by) == (12, world.sofia)
    page = client.get(reverse("households:household-detail", args=["valle", world.household.pk]))
    assert "ALER Valle" in page.content.decode()


def test_a_payment_in_the_future_or_with_both_cash_and_hours_is_refused(client, world):
    plan = repay.plan(world)
    client.force_login(world.sofia)
    url = reverse("repayments:payment-create", args=["valle", plan.pk])
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"paid_on": future, "channel": CASH, "amount": "50"})
    assert response.status_code == 200
    assert "futuro" in str(response.context["form"].errors["paid_on"])
    response = client.post(
        url, {"paid_on": "2019-02-01", "channel": CASH, "amount": "50", "hours": "3"}
    )
    assert response.context["form"].errors["hours"]
    assert not plan.payments.exists()


def test_the_period_figures(world):
    plan = repay.plan(world)
    pay(plan, dt.date(2019, 1, 15), amount=D("100.00"))
    pay(plan, dt.date(2019, 2, 15), amount=D("100.00"))
    pay(plan, dt.date(2019, 3, 15), hours=D("10"))
    repay.plan(world, project=world.b)  # another project's plan does not count
    figures = services.repayment_figures(
        RepaymentPlan.objects.filter(project=world.a),
        RepaymentPayment.objects.filter(plan__project=world.a),
        start=dt.date(2019, 2, 1),
        end=dt.date(2019, 3, 31),
    )
    assert figures["households"] == 1
    assert (figures["on_track"], figures["share_on_track"]) == (1, 100)
    assert (figures["repaid_cash"], figures["repaid_hours_value"], figures["hours"]) == (
        D("100.00"),
        D("100.00"),
        D("10.00"),
    )
    assert (figures["owed_start"], figures["owed_end"]) == (D("1100.00"), D("900.00"))


def test_dashboard_and_report_give_the_plans(client, world):
    from labs.models import ReportingPeriod
    from reporting.report_data import build_report_data

    plan = repay.plan(world)
    pay(plan, dt.date(2019, 1, 15), amount=D("100.00"))
    pay(plan, dt.date(2019, 2, 15), hours=D("10"))
    client.force_login(world.rita)  # aggregates: the Region sees them too
    html = client.get(reverse("reporting:dashboard", args=["valle"])).content.decode()
    assert "Piani di rientro dalla morosità" in html and "VAL-001" not in html
    period = ReportingPeriod(start_date=dt.date(2019, 2, 1), end_date=dt.date(2019, 2, 28))
    data = build_report_data(world.a, period)
    assert data["repayments"]["households"] == 1
    assert D(data["repayments"]["repaid_hours_value"]) == D("100.00")
    assert D(data["repayments"]["owed_start"]) == D("1100.00")
    from django.template.loader import render_to_string

    section = render_to_string("reporting/pdf/_repayments.html", {"r": data["repayments"]})
    assert "Nuclei con un piano di rientro" in section and "100,00" in section
