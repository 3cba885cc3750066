"""The programme view's stored figures (reporting.programmes.figures) are never stale: any
write to a row they count shows on the next page, however it is made (a save, a
``QuerySet.update()`` that sends no signal, a delete), and the figures stored are the
ones the database computes from the rows."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from beneficiaries import models as b
from labs.models import Expense, Session, StaffMember, TimesheetEntry
from reporting.models import FiguresChange, ProjectFigures
from reporting.programmes import figures
from tests import budget_builders as money
from tests import factories as f

CODE = "por-fse-2014-2020-lab"  # the world's programme (ProgrammeFactory)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def region(client, world):
    client.force_login(world.rita)

    def page():
        response = client.get(reverse("programmes:programme", args=[CODE]))
        assert response.status_code == 200
        return response.context

    return page


def _row(context, project):
    return next(r for r in context["rows"] if r.project.pk == project.pk)


def test_a_new_path_counts_at_once(region, world):
    before = region()
    assert _row(before, world.b).participants == 0
    f.PathFactory(project=world.b, person=world.carla)
    after = region()
    assert _row(after, world.b).participants == 1
    assert after["totals"]["participants"] == before["totals"]["participants"] + 1
    co01 = after["esf"]["indicators"]["CO01"]  # unemployed
    assert co01["women"] == before["esf"]["indicators"]["CO01"]["women"] + 1


def test_a_sex_changed_by_update_moves_the_participant_between_columns(region, world):
    """``QuerySet.update()`` sends no signal: the database's trigger sees it."""
    assert region()["esf"]["indicators"]["CO01"] == {"men": 0, "women": 1, "total": 1}
    b.Person.objects.filter(pk=world.maria.pk).update(sex="M")
    assert region()["esf"]["indicators"]["CO01"] == {"men": 1, "women": 0, "total": 1}


def test_a_birth_date_changed_by_update_changes_the_age_groups(region, world):
    assert region()["esf"]["indicators"]["CO06"]["total"] == 0  # below 25 at entry
    b.Person.objects.filter(pk=world.maria.pk).update(birth_date=dt.date(2000, 1, 1))
    assert region()["esf"]["indicators"]["CO06"]["total"] == 1


def test_a_deleted_path_and_a_changed_entry_profile_count_at_once(region, world):
    b.Path.objects.filter(pk=world.path.pk).update(
        labour_status="employed", unemployment_months=None
    )
    esf = region()["esf"]["indicators"]
    assert (esf["CO01"]["total"], esf["CO05"]["total"]) == (0, 1)
    world.path.delete()
    context = region()
    assert _row(context, world.a).participants == 0
    assert context["esf"]["indicators"]["CO05"]["total"] == 0


def test_households_and_people_follow_members_and_households(region, world):
    row = _row(region(), world.a)
    assert (row.households, row.people) == (1, 2)
    b.HouseholdMember.objects.filter(person=world.giulia).update(end_date=dt.date(2020, 1, 1))
    f.HouseholdFactory(project=world.a)
    row = _row(region(), world.a)
    assert (row.households, row.people) == (2, 1)


def test_hours_follow_the_sessions_held(region, world):
    held = _row(region(), world.a).hours
    Session.objects.filter(pk=world.session.pk).update(
        state=Session.State.CANCELLED, cancel_reason="Maltempo"
    )
    assert _row(region(), world.a).hours == held - Decimal(world.session.duration_minutes) / 60
    f.SessionFactory(activity=world.sewing, start_time=dt.time(9), end_time=dt.time(12))
    assert _row(region(), world.a).hours == held - Decimal(world.session.duration_minutes) / 60 + 3


def test_spending_follows_expenses_and_time_sheets(region, world, media):
    assert _row(region(), world.a).spent == Decimal("0.00")
    expense = money.expense(world)
    Expense.objects.filter(pk=expense.pk).update(status="submitted")
    assert _row(region(), world.a).spent == Decimal("120.50")
    staff = StaffMember.objects.create(
        project=world.a,
        organisation=world.aurora,
        first_name="Anna",
        last_name="Piena",
        contract_type="full_time",
        annual_gross_cost=Decimal("34400.00"),  # 20.00 an hour
    )
    TimesheetEntry.objects.create(
        staff=staff, date=dt.date(2019, 5, 6), axis=world.axis, hours=Decimal("2")
    )
    assert _row(region(), world.a).spent == Decimal("160.50")


def test_the_stored_figures_are_what_the_database_computes(region, world):
    """After the page, every project's stored row matches a fresh computation and no
    change is left in the log."""
    f.PathFactory(project=world.b, person=world.carla)
    region()
    programme = world.a.programme
    ids = [world.a.pk, world.b.pk]
    assert not FiguresChange.objects.filter(project_id__in=ids).exists()
    fresh = {x.project_id: x for x in figures._compute(ids, programme, "")}
    for stored in ProjectFigures.objects.filter(project_id__in=ids):
        computed = fresh[stored.project_id]
        for field in ("households", "people", "participants", "held_minutes", "spent"):
            assert getattr(stored, field) == getattr(computed, field), field
        assert stored.esf_outputs == computed.esf_outputs


def test_figures_computed_with_other_rules_are_computed_again(region, world):
    region()
    ProjectFigures.objects.filter(project=world.a).update(rules="esf_2014_2020:old", people=99)
    assert _row(region(), world.a).people == 2
