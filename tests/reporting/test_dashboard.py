"""The project dashboard: targets against reached, by axis, and the monthly charts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from beneficiaries import models as b
from labs.models import Session
from reporting import charts, selectors
from tests import factories as f

D = Decimal


@pytest.fixture
def activity(world):
    """Valle with targets and a second axis. Held sessions, on top of the world's two of
    2 hours in May 2019: 1,5 hours in March and 3 hours (INC) in June; a cancelled and a
    planned one that do not count. Paths: Maria's (LAB, March 2019), and two on INC
    entering in June 2019."""
    w = world
    w.a.target_households, w.a.target_people = 4, 10
    w.a.target_participants, w.a.target_hours = 2, 20
    w.a.save()
    w.axis.target_hours, w.axis.target_participants = 10, 1
    w.axis.save()
    inc = f.AxisFactory(project=w.a, code="INC", name="Inclusione attiva", order=2)
    inc.target_hours, inc.target_participants = 0, 4
    inc.save()
    course = f.ActivityFactory(project=w.a, axis=inc, organisation=w.valle, name="Corso")
    f.SessionFactory(
        activity=w.desk, date=dt.date(2019, 3, 12), start_time=dt.time(9), end_time=dt.time(10, 30)
    )
    f.SessionFactory(
        activity=w.desk,
        date=dt.date(2019, 4, 2),
        state=Session.State.CANCELLED,
        cancel_reason="Sciopero",
    )
    f.SessionFactory(activity=w.desk, date=dt.date(2019, 7, 2), state=Session.State.PLANNED)
    f.SessionFactory(
        activity=course, date=dt.date(2019, 6, 4), start_time=dt.time(14), end_time=dt.time(17)
    )
    f.PathFactory(person=w.giulia, project=w.a, axis=inc, entry_date=dt.date(2019, 6, 15))
    f.PathFactory(project=w.a, axis=inc, entry_date=dt.date(2019, 6, 20))
    w.inc = inc
    return w


def test_targets_against_reached(activity):
    progress = selectors.project_progress(selectors.dashboard_figures(activity.a))
    # (reached, target, percent, bar width)
    assert {k: (p.reached, p.target, p.percent, p.bar) for k, p in progress.items()} == {
        "households": (1, 4, 25, 25),  # VAL-001
        "people": (2, 10, 20, 20),  # Maria and Giulia
        "participants": (3, 2, 150, 100),  # over target: the bar stops at 100
        "hours": (D("8.5"), 20, 43, 45),  # 1,5 + 2 + 2 + 3
    }


def test_hours_and_participants_by_axis(activity):
    axes = selectors.axes_progress(activity.a)
    assert [
        (a.code, a.sessions_held, a.hours, a.participants, a.hours_progress.percent) for a in axes
    ] == [
        ("LAB", 3, D("5.5"), 1, 55),
        ("INC", 1, D("3"), 2, None),  # no hours target
    ]
    assert axes[1].participants_progress.percent == 50


def test_monthly_series_cover_the_project_with_zero_months(activity):
    hours = selectors.monthly_activity_hours(activity.a)
    participants = selectors.monthly_new_participants(activity.a)
    # The project runs from January 2019 to December 2020: 24 months, all in the past.
    assert [m.month for m in hours] == [m.month for m in participants]
    assert len(hours) == 24
    assert hours[0].month == dt.date(2019, 1, 1) and hours[-1].month == dt.date(2020, 12, 1)
    assert {m.month.month: m.value for m in hours[:8] if m.value} == {
        3: D("1.50"),
        5: D("4.00"),
        6: D("3.00"),
    }
    assert sum(m.value for m in hours) == D("8.5")
    assert {m.month.month: m.value for m in participants if m.value} == {3: 1, 6: 2}


def test_monthly_series_widen_to_data_outside_the_project_dates(activity):
    f.SessionFactory(activity=activity.desk, date=dt.date(2018, 11, 20))
    hours = selectors.monthly_activity_hours(activity.a)
    assert hours[0] == selectors.MonthValue(dt.date(2018, 11, 1), D("2.00"))
    assert len(hours) == 26


def test_bar_chart_geometry_follows_the_values():
    series = [
        selectors.MonthValue(dt.date(2019, 1, 1), 0),
        selectors.MonthValue(dt.date(2019, 2, 1), 2),
        selectors.MonthValue(dt.date(2019, 3, 1), 4),
    ]
    chart = charts.bar_chart(series, height=240, margin_top=12, margin_bottom=40)
    plot = 240 - 12 - 40
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4]
    assert [bar.height for bar in chart.bars] == [0, plot // 2, plot]
    assert all(bar.y + bar.height == chart.baseline for bar in chart.bars)
    assert [bar.year for bar in chart.bars] == [True, False, False]


def test_dashboard_shows_progress_bars_and_charts_without_inline_style(login, activity):
    html = login(activity.alice).get(reverse("reporting:dashboard", args=["valle"])).content
    html = html.decode()
    assert "style=" not in html
    # Hours: 8,5 of 20, 43% (bar to the nearest 5), readable by a screen reader.
    assert 'aria-valuenow="43"' in html and 'aria-valuetext="8,5 su 20, 43%"' in html
    assert "progress-bar q-w-45" in html
    assert 'aria-valuenow="100"' in html and "150%" in html  # participants over target
    assert html.count('role="img"') == 2 and html.count("<desc") == 2
    # Each chart's data as a table: June 2019, 3 hours; 2 new participants.
    assert re.search(r"Giugno 2019</th><td class=\"text-end\">3</td>", html)
    assert re.search(r"Giugno 2019</th><td class=\"text-end\">2</td>", html)
    assert re.search(r"Marzo 2019</th><td class=\"text-end\">1,5</td>", html)


def test_the_charts_name_the_months_in_the_language_of_the_page(login, activity):
    """The months' names are written once per month and language (reporting.charts):
    the page in English after the page in Italian still says June, and back."""
    client = login(activity.alice)
    url = reverse("reporting:dashboard", args=["valle"])
    italian = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    again = client.get(url, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "<title>Giugno 2019: 3</title>" in italian and "<title>Giugno 2019: 3</title>" in again
    assert "<title>June 2019: 3</title>" in english
    assert re.search(r"June 2019</th><td class=\"text-end\">3</td>", english)
    assert "June" not in again


def test_regional_officer_sees_the_figures(login, activity):
    html = login(activity.rita).get(reverse("reporting:dashboard", args=["valle"])).content
    assert 'aria-valuetext="8,5 su 20, 43%"' in html.decode()


def _grow(world, n: int) -> None:
    """n more held sessions over n different days and n more paths."""
    for i in range(n):
        f.SessionFactory(activity=world.desk, date=dt.date(2019, 1, 1) + dt.timedelta(days=i))
        f.PathFactory(project=world.a, axis=world.axis, entry_date=dt.date(2019, 2, 1))
    b.Registration.objects.bulk_create(
        b.Registration(project=world.a, person=p.person, registered_on=dt.date(2019, 2, 1))
        for p in b.Path.objects.filter(project=world.a).exclude(person=world.maria)
    )


# Measured with 5 more sessions and paths, the same with 100: 1 session, 2 user,
# 3 regional-officer check, 4 project roles, 5 project; figures: 6 households, 7 people,
# 8 registrations, 9 paths, 10 sessions; 11 axes; 12 hours by month; 13 participants
# by month; 14 partnerships; 15 the user's organisation for the header; 16-18 the
# session saved (savepoint, update, release); 19 the six-month follow-up response rate;
# 20-22 the repayment plans (issue 15).
DASHBOARD_QUERIES = 22


@pytest.mark.parametrize("n", [5, 100])
def test_dashboard_queries_do_not_grow(login, world, n, django_assert_max_num_queries):
    _grow(world, n)
    client = login(world.sofia)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(reverse("reporting:dashboard", args=["valle"]))
    assert response.status_code == 200
    assert selectors.dashboard_figures(world.a)["participants"] == 1 + n
