"""Money rows of the named world (budget lines, expenses, staff), for the URL walker and
tests/labs/test_budget.py. Each builder is idempotent: the walker calls it once per user."""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile

from labs.models import BudgetLine, Expense, StaffMember

PDF = b"%PDF-1.4 fattura"


def line(w, organisation=None, project=None, category="materials"):
    project = project or w.a
    organisation = organisation or w.aurora
    axis = project.axes.first()
    obj, _ = BudgetLine.objects.get_or_create(
        project=project,
        axis=axis,
        organisation=organisation,
        category=category,
        defaults={"amount": Decimal("1000.00"), "funded_amount": Decimal("800.00")},
    )
    return obj


def expense(w, organisation=None, project=None, number="F-1"):
    project = project or w.a
    organisation = organisation or w.aurora
    obj = Expense.objects.filter(project=project, document_number=number).first()
    if obj is None:
        obj = Expense.objects.create(
            project=project,
            axis=project.axes.first(),
            organisation=organisation,
            category="materials",
            date=dt.date(2019, 9, 10),
            amount=Decimal("120.50"),
            supplier="Merceria Centrale",
            document_number=number,
            document=ContentFile(PDF, name="fattura.pdf"),
            document_name="fattura.pdf",
            document_type="application/pdf",
        )
    return obj


def staff(w, organisation=None, project=None, last_name="Neri"):
    project = project or w.a
    organisation = organisation or w.aurora
    obj, _ = StaffMember.objects.get_or_create(
        project=project,
        organisation=organisation,
        last_name=last_name,
        defaults={
            "first_name": "Anna",
            "contract_type": "full_time",
            "annual_gross_cost": Decimal("34400.00"),
        },
    )
    return obj


def borgo_partner(w):
    from labs.models import Partnership

    Partnership.objects.get_or_create(project=w.b, organisation=w.borgo, role="capofila")
    return w.borgo


# URL kwargs for the walker
def valle(w, builder):
    return {"project": "valle", "pk": builder(w).pk}


def valle_own_org(builder):
    """Valle's URL, an object of the Comune di Valle (not the partner's own)."""
    return lambda w: {"project": "valle", "pk": builder(w, organisation=w.valle).pk}


def borgo_object(builder, **extra):
    """Valle's URL, an object of Borgo."""
    return lambda w: {
        "project": "valle",
        "pk": builder(w, organisation=borgo_partner(w), project=w.b, **extra).pk,
    }


def timesheet(w, staff_builder=staff, **extra):
    return {"project": "valle", "pk": staff_builder(w, **extra).pk, "year": 2019, "month": 9}


def eligible_path(w):
    w.path.allowance_eligible = True
    w.path.save()
    return {"project": "valle", "pk": w.path.pk}
