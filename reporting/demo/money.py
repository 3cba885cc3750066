"""Valverde's money (issue 8), from ``data/valverde_money.toml``: budget lines, a year of
expenses in every status, 2019's time sheets of ten staff members within their contracts,
and the allowances paid each quarter from the registers.

Its own random generator, so that the other projects' data do not change."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from beneficiaries.allowances.services import allowance_rows
from beneficiaries.models import AllowancePayment
from labs.models import BudgetLine, Expense, Project, StaffMember, TimesheetEntry

from . import loader
from .dates import at, is_closed
from .state import Demo

D = Decimal
REVIEWED = ("accepted", "rejected")


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def add_budget_lines(demo: Demo, project: Project, axes: dict, data: dict) -> None:
    BudgetLine.objects.bulk_create(
        BudgetLine(
            project=project,
            axis=axes[line["axis"]],
            organisation=demo.organisations[line["partner"]],
            category=line["category"],
            amount=D(line["amount"]),
            funded_amount=(D(line["amount"]) * line["funded"] / 100).quantize(D("0.01")),
        )
        for line in data["budget"]
    )


def expense_status(rng: random.Random, day: dt.date, year: dict) -> str:
    """Reviewed until autumn (a few rejected), then submitted, the last month a draft."""
    if day < year["reviewed_until"]:
        return "rejected" if rng.random() < year["rejection_rate"] else "accepted"
    if day < year["submitted_until"]:
        return "submitted"
    return "draft"


def new_expense(rng, demo: Demo, project, axes, spec: dict, day, data: dict) -> Expense:
    status = expense_status(rng, day, data["year"])
    supplier = rng.choice(spec["suppliers"])
    lead = demo.users[data["year"]["reviewer"]]
    reviewed = status in REVIEWED
    return Expense(
        project=project,
        axis=axes[spec["axis"]],
        organisation=demo.organisations[spec["partner"]],
        category=spec["category"],
        date=day,
        amount=_money(rng, *spec["monthly_amount"]),
        supplier=supplier,
        document_number=f"{day:%Y}/{rng.randint(100, 9999)}",
        description=f"{data['expense_descriptions'][spec['category']]} – {supplier}",
        status=status,
        rejection_reason=rng.choice(data["rejection_reasons"]) if status == "rejected" else "",
        created_by=lead,
        reviewed_by=lead if reviewed else None,
        reviewed_at=at(day + dt.timedelta(days=20), 11) if reviewed else None,
    )


def add_expenses(rng, demo: Demo, project: Project, axes: dict, data: dict) -> None:
    """Every ``every_months`` months one expense per line, up to the demo date."""
    year, expenses = data["year"], []
    for spec in data["expenses"]:
        for month in range(1, 13, spec["every_months"]):
            day = dt.date(year["start"].year, month, rng.randint(3, 26))
            if day > year["today"]:
                continue
            expenses.append(new_expense(rng, demo, project, axes, spec, day, data))
    Expense.objects.bulk_create(expenses)


def new_staff_member(demo: Demo, project: Project, spec: dict) -> StaffMember:
    staff = StaffMember(
        project=project,
        organisation=demo.organisations[spec["partner"]],
        last_name=spec["last_name"],
        first_name=spec["first_name"],
        job_title=spec["job_title"],
        contract_type=spec["contract"],
        annual_gross_cost=D(spec["annual_gross_cost"]),
    )
    if "share_percent" in spec:
        staff.share_percent = D(spec["share_percent"])
    elif "contract_annual_hours" in spec:
        staff.contract_annual_hours = D(spec["contract_annual_hours"])
    staff.full_clean()
    staff.save()
    return staff


def time_sheet(rng, staff, spec: dict, axes: dict, activities: dict, year: dict) -> list:
    """The member's days on the project, within the contract's annual hours."""
    entries, total, day = [], Decimal("0"), year["start"]
    while day <= year["today"]:
        if day.weekday() in spec["weekdays"] and not is_closed(day):
            axis = axes[rng.choice(spec["axes"])]
            choices = activities.get((staff.organisation_id, axis.pk), []) + [None]
            hours = D(spec["daily_hours"]) - (D("0.5") if rng.random() < 0.2 else D("0"))
            if total + hours <= staff.annual_hours:
                total += hours
                entries.append(
                    TimesheetEntry(
                        staff=staff,
                        date=day,
                        axis=axis,
                        activity_id=rng.choice(choices),
                        hours=hours,
                    )
                )
        day += dt.timedelta(days=1)
    return entries


def add_time_sheets(rng, demo: Demo, project: Project, axes: dict, data: dict) -> None:
    activities: dict[tuple[int, int], list[int]] = {}
    for activity in project.activities.all():
        activities.setdefault((activity.organisation_id, activity.axis_id), []).append(activity.pk)
    entries = []
    for spec in data["staff"]:
        staff = new_staff_member(demo, project, spec)
        entries += time_sheet(rng, staff, spec, axes, activities, data["year"])
    TimesheetEntry.objects.bulk_create(entries)


def add_allowance_payments(demo: Demo, project: Project, data: dict) -> None:
    """Each quarter, what the registers made due and was not paid yet."""
    lead = demo.users[data["year"]["reviewer"]]
    payments, paid = [], {}
    for quarter_end in data["year"]["allowance_quarters"]:
        for path in allowance_rows(project, until=quarter_end):
            balance = path.due - paid.get(path.pk, D("0"))
            if balance > 0:
                paid[path.pk] = paid.get(path.pk, D("0")) + balance
                payments.append(
                    AllowancePayment(
                        path=path,
                        paid_on=quarter_end + dt.timedelta(days=15),
                        amount=balance,
                        reference=f"Bonifico {quarter_end:%Y}-T{(quarter_end.month - 1) // 3 + 1}",
                        recorded_by=lead,
                    )
                )
    AllowancePayment.objects.bulk_create(payments)


def build_valverde_money(demo: Demo, seed: int) -> None:
    """Valverde's budget lines (adding up to each partner's share and each sub-project's
    budget), expenses, time sheets and allowance payments."""
    data = loader.read("valverde_money")
    rng = random.Random(seed)
    project = Project.objects.get(slug=data["project"])
    axes = {a.code: a for a in project.axes.all()}
    add_budget_lines(demo, project, axes, data)
    add_expenses(rng, demo, project, axes, data)
    add_time_sheets(rng, demo, project, axes, data)
    add_allowance_payments(demo, project, data)
