"""Budget rights as a funder expects them (issue 21): staff pay only for the lead and the
staff member's own coordinator, budget lines edited by the lead only, and a partner's
own expenses and time sheets. Split from tests/portal/test_authorization.py."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests import budget_builders as money

pytestmark = pytest.mark.django_db


def _coordinator(w, name, organisation):
    """A partner coordinator of ``organisation`` in Valle."""
    from labs.models import Partnership, ProjectRole
    from partners.models import Membership
    from tests import factories as f

    Partnership.objects.get_or_create(project=w.a, organisation=organisation, role="partner")
    user = f.UserFactory(username=name)
    Membership.objects.create(user=user, organisation=organisation)
    ProjectRole.objects.create(
        project=w.a, user=user, organisation=organisation, role="partner_coordinator"
    )
    return user


def test_staff_pay_is_given_only_to_the_lead_and_the_own_coordinator(client, world):
    """Yearly gross cost 34.400 € (hourly rate 20 €) of Aurora's educator: the lead and
    Aurora's coordinator see it; Aurora's plain operator, the coordinator of another
    partner and the Region do not, and their pages are given no pay at all."""
    from tests import factories as f

    money.staff(world)  # Neri Anna, Coop Aurora, 34,400.00 a year
    coop = f.OrganisationFactory(name="Coop Borea")
    cora = _coordinator(world, "cora", world.aurora)
    boris = _coordinator(world, "boris", coop)
    money.staff(world, organisation=coop, last_name="Bianchi")  # Borea's own, for boris
    timesheet = money.timesheet(world)
    pages = [
        reverse("budget:staff-list", args=["valle"]),
        reverse("budget:timesheet", kwargs=timesheet),
    ]
    seen = {}
    for user in (world.alice, cora, world.paolo, boris):
        client.force_login(user)
        for url in pages:
            response = client.get(url)
            if response.status_code == 404:
                continue
            cards = response.context["staff"]
            cards = cards if isinstance(cards, list) else [cards]
            for card in cards:
                if card.last_name == "Neri":
                    seen.setdefault(user.username, set()).add(
                        (card.annual_gross_cost, card.hourly_rate)
                    )
                    assert ("€ 20,00" in response.content.decode()) == (
                        card.annual_gross_cost is not None
                    )
    pay = (Decimal("34400.00"), Decimal("20.00"))
    assert seen == {"alice": {pay}, "cora": {pay}, "paolo": {(None, None)}}  # boris: 404
    client.force_login(world.rita)
    assert client.get(pages[0]).status_code == 404


def test_only_the_lead_edits_budget_lines_and_the_own_coordinator_staff(client, world):
    from labs.models import BudgetLine, StaffMember

    cora = _coordinator(world, "cora", world.aurora)
    line = money.line(world)
    staff = money.staff(world)
    line_data = {
        "axis": world.axis.pk,
        "organisation": world.aurora.pk,
        "category": "materials",
        "amount": "2000,00",
        "funded_amount": "1000,00",
    }
    for user in (world.paolo, cora):
        client.force_login(user)
        for url in (
            reverse("budget:budget-line-create", args=["valle"]),
            reverse("budget:budget-line-edit", args=["valle", line.pk]),
        ):
            assert client.post(url, line_data).status_code == 404, (user, url)
        page = client.get(reverse("budget:budget", args=["valle"])).content.decode()
        assert reverse("budget:budget-line-create", args=["valle"]) not in page
    assert BudgetLine.objects.get().amount == Decimal("1000.00")
    client.force_login(world.alice)
    edit = reverse("budget:budget-line-edit", args=["valle", line.pk])
    assert client.post(edit, line_data).status_code == 302
    assert BudgetLine.objects.get().amount == Decimal("2000.00")

    staff_edit = reverse("budget:staff-edit", args=["valle", staff.pk])
    staff_data = {
        "organisation": world.aurora.pk,
        "last_name": "Neri",
        "first_name": "Anna",
        "contract_type": "full_time",
        "annual_gross_cost": "36000,00",
        "daily_hours": "8",
    }
    client.force_login(world.paolo)
    assert client.post(staff_edit, staff_data).status_code == 404
    client.force_login(cora)
    assert client.post(staff_edit, staff_data).status_code == 302
    assert StaffMember.objects.get().annual_gross_cost == Decimal("36000.00")


def test_a_partner_operator_submits_the_own_expenses_and_time_sheets(client, world):
    from labs.models import Expense, TimesheetEntry

    own = money.expense(world)
    other = money.expense(world, organisation=world.valle, number="F-COMUNE")
    staff = money.staff(world)
    client.force_login(world.paolo)
    assert client.post(reverse("budget:expense-submit", args=["valle", own.pk])).status_code == 302
    assert client.post(reverse("budget:expense-submit", args=["valle", other.pk])).status_code == (
        404
    )
    statuses = dict(Expense.objects.values_list("document_number", "status"))
    assert statuses == {"F-1": "submitted", "F-COMUNE": "draft"}
    url = reverse("budget:timesheet", args=["valle", staff.pk, 2019, 9])
    assert client.post(url, {f"h-{world.axis.pk}-0-10": "3"}).status_code == 302
    assert TimesheetEntry.objects.get().hours == Decimal("3")
