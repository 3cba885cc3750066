"""Database constraints of repayment plans, host companies and placements (issue 15) and
of offline registers in conflict (issue 18):
each case writes the row that breaks it (``ok=False``) or its nearest valid neighbour.

Registered into ``test_constraints.CASES`` when that module imports this one."""

import datetime as dt
from decimal import Decimal

from beneficiaries.placements.models import Placement, PlacementMonth, PlacementPayment
from beneficiaries.repayments.models import RepaymentInstalment, RepaymentPayment, RepaymentPlan
from labs.companies.models import HostCompany
from partners.models import Organisation
from tests import builders as b
from tests.portal.test_constraints import DAY, _path, case


def _plan(**kw) -> RepaymentPlan:
    project = b.project()
    fields = {
        "project": project,
        "household": b.household(project),
        "creditor": b.organisation(kind=Organisation.Kind.HOUSING_AGENCY),
        "desk": project.lead_organisation,
        "debt": Decimal("600.00"),
        "start_date": DAY,
        "instalment_amount": Decimal("100.00"),
        **kw,
    }
    return RepaymentPlan.objects.create(**fields)


@case("repayment_plan_debt_positive")
def _(ok):
    return lambda: _plan(debt=Decimal("0.01") if ok else Decimal("0"))


@case("repayment_plan_instalment_positive")
def _(ok):
    return lambda: _plan(instalment_amount=Decimal("0.01") if ok else Decimal("0"))


@case("repayment_plan_rate_positive")
def _(ok):
    return lambda: _plan(hourly_rate=None if ok else Decimal("0"))


@case("repayment_instalment_unique")
def _(ok):
    plan = _plan()
    RepaymentInstalment.objects.create(plan=plan, number=1, due_on=DAY, amount=100, cumulative=100)
    return lambda: RepaymentInstalment.objects.create(
        plan=plan, number=2 if ok else 1, due_on=DAY, amount=100, cumulative=200
    )


def _payment(plan, **kw) -> RepaymentPayment:
    fields = {"paid_on": DAY, "channel": "bonifico", "amount": Decimal(50), "value": Decimal(50)}
    return RepaymentPayment.objects.create(plan=plan, **{**fields, **kw})


@case("repayment_payment_positive")
def _(ok):
    plan = _plan()
    return lambda: _payment(plan, amount=Decimal(1), value=Decimal(1) if ok else Decimal(0))


@case("repayment_payment_cash_or_hours")
def _(ok):
    plan = _plan(hourly_rate=Decimal(8))
    # Community work is paid in hours, never in euros as well.
    amount = None if ok else Decimal(16)
    return lambda: _payment(
        plan, channel="lavoro_comunitario", amount=amount, hours=Decimal(2), value=Decimal(16)
    )


@case("repayment_payment_cash_or_hours:hours_at_the_desk")
def _(ok):
    plan = _plan(hourly_rate=Decimal(8))
    return lambda: _payment(plan, channel="sportello", hours=None if ok else Decimal(2))


@case("host_company_unique_vat_in_project")
def _(ok):
    project = b.project()
    HostCompany.objects.create(project=project, name="Officina", vat_number=b.vat(1))
    other = b.project() if ok else project
    return lambda: HostCompany.objects.create(project=other, name="Bis", vat_number=b.vat(1))


def _placement(**kw) -> Placement:
    path = _path()
    fields = {
        "path": path,
        "kind": Placement.Kind.TRAINEESHIP,
        "host": HostCompany.objects.create(project=path.project, name="Host", vat_number=b.vat(2)),
        "promoter": path.project.lead_organisation,
        "start_date": DAY,
        "end_date": DAY + dt.timedelta(days=90),
        "weekly_hours": Decimal(20),
        "monthly_grant": Decimal(400),
        **kw,
    }
    return Placement.objects.create(**fields)


@case("placement_end_after_start")
def _(ok):
    return lambda: _placement(end_date=DAY if ok else DAY - dt.timedelta(days=1))


@case("placement_contract_only_if_hired")
def _(ok):
    outcome = "hired" if ok else "not_hired"
    return lambda: _placement(outcome=outcome, contract_type="permanent")


@case("placement_month_unique")
def _(ok):
    placement = _placement()
    PlacementMonth.objects.create(placement=placement, month=DAY, hours=Decimal(10))
    month = DAY.replace(month=DAY.month + 1) if ok else DAY
    return lambda: PlacementMonth.objects.create(placement=placement, month=month, hours=1)


@case("placement_month_first_day")
def _(ok):
    placement = _placement()
    month = DAY if ok else DAY + dt.timedelta(days=1)
    return lambda: PlacementMonth.objects.create(placement=placement, month=month, hours=1)


def _grant(placement, **kw) -> PlacementPayment:
    fields = {"month": DAY, "paid_on": DAY, "amount": Decimal(400)}
    return PlacementPayment.objects.create(placement=placement, **{**fields, **kw})


@case("placement_payment_positive")
def _(ok):
    placement = _placement()
    return lambda: _grant(placement, amount=Decimal("0.01") if ok else Decimal(0))


@case("placement_payment_month")
def _(ok):
    placement = _placement()
    _grant(placement)
    month = DAY.replace(month=DAY.month + 1) if ok else DAY
    return lambda: _grant(placement, month=month)


# Issue 18: a register sent twice from a tablet (the page and the background sync at
# once) is kept as one conflict.
@case("offline_conflict_once_per_register")
def _(ok):
    import uuid

    from beneficiaries.registers.models import OfflineConflict

    session, operator, token = b.session(), b.user(), uuid.uuid4()
    register = {"head_count": 0, "people": {}}

    def conflict(token):
        return OfflineConflict.objects.create(
            session=session,
            submitted_by=operator,
            token=token,
            device_version=1,
            server_version=2,
            device_register=register,
            server_register=register,
        )

    conflict(token)
    return lambda: conflict(uuid.uuid4() if ok else token)
