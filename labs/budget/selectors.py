"""Reads of money pages that depend on who reads them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from labs import access
from labs.budget.models import StaffMember
from partners.models import Organisation


@dataclass(frozen=True)
class StaffCard:
    """What a page shows of a staff member. The pay (yearly gross cost, hourly rate) is
    None for whoever may not see it (``access.may_see_pay``): it never reaches the
    template, so no template condition can leak it."""

    pk: int
    first_name: str
    last_name: str
    job_title: str
    organisation: Organisation
    contract: str
    share_percent: Decimal | None
    annual_hours: Decimal
    daily_hours: Decimal
    hours_total: Decimal | None
    annual_gross_cost: Decimal | None
    hourly_rate: Decimal | None

    @property
    def shows_pay(self) -> bool:
        return self.annual_gross_cost is not None

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"


def staff_card(staff: StaffMember, *, user) -> StaffCard:
    pay = access.may_see_pay(user, staff.project_id, staff.organisation_id)
    return StaffCard(
        pk=staff.pk,
        first_name=staff.first_name,
        last_name=staff.last_name,
        job_title=staff.job_title,
        organisation=staff.organisation,
        contract=staff.get_contract_type_display(),
        share_percent=staff.share_percent,
        annual_hours=staff.annual_hours,
        daily_hours=staff.daily_hours,
        hours_total=getattr(staff, "hours_total", None),
        annual_gross_cost=staff.annual_gross_cost if pay else None,
        hourly_rate=staff.hourly_rate if pay else None,
    )
