"""Territory pages: a project's neighbourhoods and buildings, a building's units and who
lives there now. Staff only; counts come from the database in a constant number of
queries."""

import datetime as dt

import pytest
from django.urls import reverse

from beneficiaries import models as b
from labs.models import HousingUnit
from labs.territory.selectors import building_units, project_territory
from tests import factories as f

Status = HousingUnit.Status


@pytest.fixture
def estate(world):
    """Valle's territory: Maria's building (Via Roma) with six units of every status,
    and a second building with one vacant unit.

    - U-1 occupied by VAL-001 (Maria and Giulia; a third member has left);
    - U-2 occupied by VAL-002 (one member), who moved in after VAL-003 moved out;
    - U-3 occupied by BOR-009, a household of the Borgo project;
    - U-4 vacant, U-5 under works, U-6 occupied without title.
    """
    w = world
    building = w.unit.building
    building.declared_units = 8
    building.save()
    neighbourhood = building.neighbourhood
    neighbourhood.projects.add(w.a)
    unit1 = w.unit
    unit1.owner_code, unit1.staircase, unit1.floor, unit1.rooms = "U-1", "A", 0, 3
    unit1.save()
    units = {"U-1": unit1}
    for code, status, staircase, floor in [
        ("U-2", Status.OCCUPIED, "A", 1),
        ("U-3", Status.OCCUPIED, "B", 1),
        ("U-4", Status.VACANT, "B", 2),
        ("U-5", Status.UNDER_WORKS, "B", 3),
        ("U-6", Status.OCCUPIED_WITHOUT_TITLE, "B", 4),
    ]:
        units[code] = f.HousingUnitFactory(
            building=building, owner_code=code, status=status, staircase=staircase, floor=floor
        )
    left = f.PersonFactory(first_name="Luca", last_name="Rossi")
    b.HouseholdMember.objects.create(
        household=w.household,
        person=left,
        relation="child",
        start_date=dt.date(2010, 1, 1),
        end_date=dt.date(2018, 9, 1),
    )
    before = f.HouseholdFactory(project=w.a, code="VAL-003")
    b.Tenancy.objects.create(
        household=before,
        unit=units["U-2"],
        moved_in=dt.date(2012, 1, 1),
        moved_out=dt.date(2017, 12, 31),
    )
    now = f.HouseholdFactory(project=w.a, code="VAL-002")
    b.HouseholdMember.objects.create(
        household=now,
        person=f.PersonFactory(),
        relation="reference",
        start_date=dt.date(2018, 3, 1),
    )
    b.Tenancy.objects.create(household=now, unit=units["U-2"], moved_in=dt.date(2018, 3, 1))
    foreign = f.HouseholdFactory(project=w.b, code="BOR-009")
    b.HouseholdMember.objects.create(
        household=foreign,
        person=f.PersonFactory(),
        relation="reference",
        start_date=dt.date(2016, 1, 1),
    )
    b.Tenancy.objects.create(household=foreign, unit=units["U-3"], moved_in=dt.date(2016, 1, 1))
    other = f.BuildingFactory(
        neighbourhood=neighbourhood, address="Via Verdi 2", owner=building.owner
    )
    f.HousingUnitFactory(building=other, owner_code="V-1", status=Status.VACANT)
    # A building of a neighbourhood Valle does not work in: never part of its territory.
    f.HousingUnitFactory(owner_code="X-1")
    w.building, w.other_building, w.units = building, other, units
    return w


def occupancy(building) -> dict:
    return {
        name: getattr(building, name)
        for name in (
            "declared_units",
            "units_in_portal",
            "occupied",
            "vacant",
            "under_works",
            "no_title",
            "households",
        )
    }


def test_occupancy_counts_are_exact(estate):
    territory = project_territory(estate.alice, estate.a)
    [neighbourhood] = territory.neighbourhoods
    via_roma, via_verdi = neighbourhood.project_buildings
    assert via_roma == estate.building and via_verdi == estate.other_building
    # U-3 is occupied, but by a household another project follows: not counted as ours.
    assert occupancy(via_roma) == {
        "declared_units": 8,
        "units_in_portal": 6,
        "occupied": 3,
        "vacant": 1,
        "under_works": 1,
        "no_title": 1,
        "households": 2,
    }
    assert occupancy(via_verdi) == {
        "declared_units": 0,
        "units_in_portal": 1,
        "occupied": 0,
        "vacant": 1,
        "under_works": 0,
        "no_title": 0,
        "households": 0,
    }
    assert vars(territory.totals) == {
        "declared_units": 8,
        "units_in_portal": 7,
        "occupied": 3,
        "vacant": 2,
        "under_works": 1,
        "no_title": 1,
        "households": 2,
    }
    assert vars(neighbourhood.totals) == vars(territory.totals)


def test_units_show_the_projects_current_household_and_its_residents(estate):
    units = {u.owner_code: u for u in building_units(estate.alice, estate.a, estate.building)}
    assert list(units) == ["U-1", "U-2", "U-3", "U-4", "U-5", "U-6"]  # staircase, floor
    assert (units["U-1"].household_code, units["U-1"].residents) == ("VAL-001", 2)
    assert (units["U-2"].household_code, units["U-2"].residents) == ("VAL-002", 1)
    assert units["U-2"].moved_in == dt.date(2018, 3, 1)  # not VAL-003, who left
    assert (units["U-3"].household_code, units["U-3"].residents) == (None, 0)  # Borgo's
    assert units["U-4"].household_id is None


def test_territory_page_lists_neighbourhood_buildings_and_counts(login, estate):
    page = login(estate.sofia).get(reverse("territory:territory", args=["valle"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert estate.building.neighbourhood.name in html
    assert reverse("territory:building-detail", args=["valle", estate.building.pk]) in html
    assert "Via Verdi 2" in html
    row = html[html.index(estate.building.address) : html.index("Via Verdi 2")]
    cells = [c.split("<")[0] for c in row.split('class="text-end">')[1:]]
    assert cells == ["8", "6", "3", "1", "1", "1", "2"]


def test_building_page_lists_its_units_and_the_current_household(login, estate):
    page = login(estate.alice).get(
        reverse("territory:building-detail", args=["valle", estate.building.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    for code in ["U-1", "U-2", "U-3", "U-4", "U-5", "U-6"]:
        assert code in html
    household_url = reverse("households:household-detail", args=["valle", estate.household.pk])
    assert f'<a href="{household_url}">VAL-001</a>' in html
    assert "dal 01/01/2010" in html
    assert "Sfitto" in html and "In ristrutturazione" in html and "Occupato senza titolo" in html
    assert "Canone sociale (SAP)" in html
    # Another project's household and a household that moved out are never named.
    assert "BOR-009" not in html and "VAL-003" not in html


def test_building_outside_the_territory_is_404(login, estate):
    elsewhere = HousingUnit.objects.get(owner_code="X-1").building
    response = login(estate.alice).get(
        reverse("territory:building-detail", args=["valle", elsewhere.pk])
    )
    assert response.status_code == 404


def test_partner_operator_has_no_territory_tab_nor_page(login, estate):
    client = login(estate.paolo)
    dashboard = client.get(reverse("reporting:dashboard", args=["valle"])).content.decode()
    assert reverse("territory:territory", args=["valle"]) not in dashboard
    assert client.get(reverse("territory:territory", args=["valle"])).status_code == 404


def test_social_worker_sees_the_territory_tab(login, estate):
    dashboard = login(estate.sofia).get(reverse("reporting:dashboard", args=["valle"]))
    assert reverse("territory:territory", args=["valle"]) in dashboard.content.decode()


def _grow(estate, n: int) -> None:
    """n more units in Valle's building, each with a household of the project and one
    member, and n more buildings with one unit each."""
    for i in range(n):
        unit = f.HousingUnitFactory(building=estate.building, owner_code=f"G-{i:03d}")
        household = f.HouseholdFactory(project=estate.a, code=f"VAL-G{i:03d}")
        b.HouseholdMember.objects.create(
            household=household,
            person=f.PersonFactory(),
            relation="reference",
            start_date=dt.date(2018, 1, 1),
        )
        b.Tenancy.objects.create(household=household, unit=unit, moved_in=dt.date(2018, 1, 1))
        extra = f.BuildingFactory(neighbourhood=estate.building.neighbourhood)
        f.HousingUnitFactory(building=extra)


# Measured on the small case (5 more units and buildings), the same at 100:
# 1 session, 2 user, 3 regional-officer check, 4 the user's project roles, 5 project;
# 6-7 the page's own (territory: neighbourhoods, their buildings with every count;
# building page: the building with its counts, its units with households and residents);
# 8 the user's organisation for the header; 9-11 the session saved (savepoint, update,
# release: sessions are saved on every request).
TERRITORY_QUERIES = 11
BUILDING_QUERIES = 11


@pytest.mark.parametrize("n", [5, 100])
def test_territory_page_queries_do_not_grow_with_buildings(
    login, estate, n, django_assert_max_num_queries
):
    _grow(estate, n)
    client = login(estate.sofia)
    with django_assert_max_num_queries(TERRITORY_QUERIES):
        page = client.get(reverse("territory:territory", args=["valle"]))
    assert page.status_code == 200
    assert project_territory(estate.alice, estate.a).totals.households == 2 + n


@pytest.mark.parametrize("n", [5, 100])
def test_building_page_queries_do_not_grow_with_units(
    login, estate, n, django_assert_max_num_queries
):
    _grow(estate, n)
    client = login(estate.sofia)
    with django_assert_max_num_queries(BUILDING_QUERIES):
        page = client.get(reverse("territory:building-detail", args=["valle", estate.building.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("VAL-G") == n
