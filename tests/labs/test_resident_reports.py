"""Residents' reports (segnalazioni): raised about a building or unit, assigned, followed,
closed, with the dates the progress report counts (opened, solved, time to solve).

The named world: Maria's household lives in a unit of a building that we put in a
neighbourhood of Valle.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from labs import selectors, services
from labs.models import ResidentReport
from tests import factories as f


def url(name, *args):
    return reverse(f"labs:{name}", args=["valle", *args])


@pytest.fixture
def estate(world):
    """Maria's building in a neighbourhood of Valle, with a second unit; a building of
    another neighbourhood that is not Valle's."""
    building = world.unit.building
    building.neighbourhood.projects.add(world.a)
    world.building = building
    world.other_unit = f.HousingUnitFactory(building=building)
    world.elsewhere = f.BuildingFactory()
    return world


def report_data(w, **overrides):
    data = {
        "building": w.building.pk,
        "unit": w.unit.pk,
        "category": "maintenance",
        "description": "Infiltrazioni dal tetto in cucina",
        "opened_on": "2019-05-02",
    }
    return {**data, **overrides}


def errors_of(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def test_a_partner_operator_records_a_report(client, estate):
    client.force_login(estate.paolo)
    form = client.get(url("resident-report-create")).context["form"]
    assert list(form.fields["building"].queryset) == [estate.building]
    assert set(form.fields["unit"].queryset) == {estate.unit, estate.other_unit}
    response = client.post(url("resident-report-create"), report_data(estate))
    report = ResidentReport.objects.get()
    assert response["Location"] == url("resident-report-detail", report.pk)
    assert (report.project, report.status, report.created_by) == (
        estate.a,
        ResidentReport.Status.OPEN,
        estate.paolo,
    )
    assert report.solved_on is None and report.assigned_on is None


def test_building_of_another_neighbourhood_is_refused(client, estate):
    client.force_login(estate.sofia)
    response = client.post(
        url("resident-report-create"), report_data(estate, building=estate.elsewhere.pk, unit="")
    )
    assert "building" in response.context["form"].errors
    with pytest.raises(ValidationError, match="non è in un quartiere del progetto"):
        services.resident_report_create(
            project=estate.a,
            actor=estate.sofia,
            data={
                "building": estate.elsewhere,
                "category": "other",
                "description": "x",
                "opened_on": dt.date(2019, 5, 2),
            },
        )


def test_unit_must_be_in_the_building(client, estate):
    stray = f.HousingUnitFactory(
        building=f.BuildingFactory(neighbourhood=estate.building.neighbourhood)
    )
    client.force_login(estate.sofia)
    response = client.post(url("resident-report-create"), report_data(estate, unit=stray.pk))
    assert "L'alloggio non è nell'edificio indicato." in errors_of(response)


def test_a_report_cannot_be_opened_in_the_future(client, estate):
    client.force_login(estate.sofia)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url("resident-report-create"), report_data(estate, opened_on=tomorrow))
    assert "La data di apertura non può essere nel futuro." in errors_of(response)


def test_a_report_is_assigned_followed_and_closed_with_dates(client, estate):
    client.force_login(estate.sofia)
    client.post(url("resident-report-create"), report_data(estate))
    report = ResidentReport.objects.get()
    edit = url("resident-report-edit", report.pk)

    response = client.post(edit, {"status": "assigned", "assigned_to": "", "resolution": ""})
    assert "Indicare a chi è assegnata la segnalazione." in errors_of(response)

    client.post(edit, {"status": "assigned", "assigned_to": estate.aurora.pk})
    report.refresh_from_db()
    today = timezone.localdate()
    assert (report.status, report.assigned_to, report.assigned_on) == (
        "assigned",
        estate.aurora,
        today,
    )
    client.post(edit, {"status": "in_progress", "assigned_to": estate.aurora.pk})
    client.post(
        edit,
        {"status": "solved", "assigned_to": estate.aurora.pk, "resolution": "Tetto riparato"},
    )
    report.refresh_from_db()
    assert (report.status, report.solved_on, report.resolution) == (
        "solved",
        today,
        "Tetto riparato",
    )
    assert report.assigned_on == today  # kept from the assignment

    page = client.get(url("resident-report-detail", report.pk)).content.decode()
    assert page.count("Sofia") >= 4  # every step in the history, with who made it
    assert [h.status for h in report.history.order_by("history_date")] == [
        "open",
        "assigned",
        "in_progress",
        "solved",
    ]

    # Reopened: no closing date any more.
    client.post(edit, {"status": "in_progress", "assigned_to": estate.aurora.pk})
    report.refresh_from_db()
    assert report.solved_on is None


def test_a_report_assigned_to_a_partner_of_several_projects_saves_unchanged(client, estate):
    """Aurora partners in Borgo too: its choice must be listed once, and saving the edit
    form as shown must work (it answered 500, MultipleObjectsReturned)."""
    from labs.models import Partnership

    Partnership.objects.create(project=estate.b, organisation=estate.aurora, role="partner")
    client.force_login(estate.sofia)
    client.post(url("resident-report-create"), report_data(estate))
    report = ResidentReport.objects.get()
    edit = url("resident-report-edit", report.pk)
    client.post(edit, {"status": "assigned", "assigned_to": estate.aurora.pk})

    form = client.get(edit).context["form"]
    choices = list(form.fields["assigned_to"].queryset)
    assert choices.count(estate.aurora) == 1 and estate.borgo not in choices
    response = client.post(
        edit, {"status": "in_progress", "assigned_to": estate.aurora.pk, "resolution": ""}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.assigned_to) == ("in_progress", estate.aurora)


def test_a_closing_date_before_the_opening_is_refused(client, estate):
    client.force_login(estate.sofia)
    client.post(url("resident-report-create"), report_data(estate))
    report = ResidentReport.objects.get()
    response = client.post(
        url("resident-report-edit", report.pk),
        {"status": "solved", "assigned_to": estate.aurora.pk, "solved_on": "2019-04-01"},
    )
    assert "La chiusura non può precedere l'apertura." in errors_of(response)


def make(w, opened, solved=None, status=None):
    return ResidentReport.objects.create(
        project=w.a,
        building=w.building,
        category="cleanliness",
        description="Scale sporche",
        opened_on=opened,
        solved_on=solved,
        status=status or ("solved" if solved else "open"),
    )


def test_figures_count_opened_solved_and_time_to_solve_in_one_query(
    estate, django_assert_num_queries
):
    w = estate
    make(w, dt.date(2019, 2, 1), dt.date(2019, 2, 11))  # 10 days
    make(w, dt.date(2019, 3, 1), dt.date(2019, 3, 21))  # 20 days
    make(w, dt.date(2019, 5, 1))  # still open
    make(w, dt.date(2019, 5, 2), dt.date(2019, 5, 3), status="rejected")  # not ours
    make(w, dt.date(2018, 12, 1), dt.date(2019, 1, 31))  # opened before, solved in: 61 days
    with django_assert_num_queries(1):
        figures = selectors.resident_report_figures(w.a, dt.date(2019, 1, 1), dt.date(2019, 6, 30))
    assert figures == {
        "opened": 4,
        "solved": 3,
        "still_open": 1,
        "average_days_to_solve": 30.3,
    }


def test_the_list_filters_and_shows_the_figures(client, estate):
    w = estate
    make(w, dt.date(2019, 2, 1), dt.date(2019, 2, 11))
    still = make(w, dt.date(2019, 5, 1))
    client.force_login(w.paolo)
    response = client.get(url("resident-report-list"), {"status": "open_any"})
    assert list(response.context["reports"]) == [still]
    assert response.context["figures"]["average_days_to_solve"] == 10.0
    assert list(response.context["filter"].form.fields["building"].queryset) == [w.building]


def test_regional_officer_and_other_projects_never_reach_a_report(client, estate):
    report = make(estate, dt.date(2019, 2, 1))
    for user in (estate.rita, estate.bruno, estate.olga):
        client.force_login(user)
        assert client.get(url("resident-report-detail", report.pk)).status_code == 404
