"""The six-month follow-up: its window, the worklist, contact attempts, the response
rate, and what the indicators count. Every expected figure is worked out by hand."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.followups import selectors
from beneficiaries.models import FollowupContact, Path
from beneficiaries.paths.models import followup_window
from tests import factories as f

D = dt.date


@pytest.mark.parametrize(
    ("exit_date", "first", "last"),
    [
        (D(2019, 10, 31), D(2020, 4, 30), D(2020, 5, 28)),  # no 31 April: the 30th
        (D(2018, 8, 31), D(2019, 2, 28), D(2019, 3, 28)),  # no 29 February in 2019
        (D(2019, 8, 31), D(2020, 2, 29), D(2020, 3, 28)),  # leap year
        (D(2019, 1, 15), D(2019, 7, 15), D(2019, 8, 12)),
    ],
)
def test_the_window_opens_six_months_after_the_exit_for_28_days(exit_date, first, last):
    assert followup_window(exit_date) == (first, last)


def test_a_closed_path_gets_its_due_date_when_saved(world):
    path = world.path
    assert (path.followup_due_date, path.followup_window_end) == (None, None)
    path.exit_date = D(2019, 10, 31)
    path.save()
    path.refresh_from_db()
    assert (path.followup_due_date, path.followup_window_end) == (D(2020, 4, 30), D(2020, 5, 28))


def _close(client, world, exit_date="2019-10-31"):
    url = reverse("paths:path-exit", args=["valle", world.path.pk])
    version = client.get(url).context["form"].initial["version"]
    data = {"exit_date": exit_date, "exit_reason": "completed", "version": version}
    assert client.post(url, data).status_code == 302


def _follow_up(client, world, day, **answers):
    url = reverse("paths:path-followup", args=["valle", world.path.pk])
    version = client.get(url).context["form"].initial["version"]
    return client.post(url, {"followup_date": day, "version": version, **answers})


def test_a_follow_up_five_days_after_the_exit_is_refused_next_to_the_field(client, world):
    client.force_login(world.sofia)
    _close(client, world)
    response = _follow_up(client, world, "2019-11-05", followup_employed="true")

    assert response.status_code == 200
    error = str(response.context["form"].errors["followup_date"])
    assert "dal 30/04/2020 al 28/05/2020" in error
    world.path.refresh_from_db()
    assert world.path.followup_date is None


def test_a_follow_up_one_day_after_the_window_is_refused(client, world):
    client.force_login(world.sofia)
    _close(client, world)
    response = _follow_up(client, world, "2020-05-29", followup_employed="true")
    assert "followup_date" in response.context["form"].errors


def test_a_follow_up_inside_the_window_records_every_outcome(client, world):
    client.force_login(world.sofia)
    _close(client, world)
    response = _follow_up(
        client,
        world,
        "2020-05-28",
        followup_employed="false",
        followup_self_employed="true",
        followup_in_education="false",
        followup_job_searching="false",
        followup_improved="true",
    )
    assert response.status_code == 302
    world.path.refresh_from_db()
    p = world.path
    assert (
        p.followup_date,
        p.followup_employed,
        p.followup_self_employed,
        p.followup_in_education,
        p.followup_job_searching,
        p.followup_improved,
    ) == (D(2020, 5, 28), False, True, False, False, True)


# -- The worklist and the response rate ---------------------------------------------------

TODAY = D(2021, 6, 15)


@pytest.fixture
def closed_paths(world):
    """Six paths of Valle, statuses on 15/06/2021 worked out by hand."""
    project = world.a

    def path(name, exit_date, followup=None):
        return f.PathFactory(
            project=project,
            person=f.PersonFactory(first_name=name, last_name="Rilevata"),
            exit_date=exit_date,
            followup_date=followup,
            followup_employed=True if followup else None,
        )

    return {
        # window 15/06/2021 - 13/07/2021: opens today
        "due": path("Dora", D(2020, 12, 15)),
        # window 14/11/2020 - 12/12/2020: closed without a follow-up
        "overdue": path("Olga", D(2020, 5, 14)),
        # window 01/07/2021 - 29/07/2021: opens within 30 days
        "upcoming": path("Ugo", D(2021, 1, 1)),
        # window 01/12/2021 - ...: too far ahead for the list
        "later": path("Lia", D(2021, 6, 1)),
        # window 01/03/2021 - 29/03/2021, taken on 10/03/2021: done
        "done": path("Dino", D(2020, 9, 1), D(2021, 3, 10)),
        # window 01/03/2021 - 29/03/2021, taken 5 days after the exit: out of window
        "early": path("Elio", D(2020, 9, 1), D(2020, 9, 6)),
    }


def test_the_worklist_shows_overdue_due_out_of_window_and_upcoming(closed_paths, world):
    rows = list(selectors.worklist(Path.objects.filter(project=world.a), TODAY))
    got = [(r.person.first_name, r.followup_status) for r in rows]
    assert got == [
        ("Olga", "overdue"),
        ("Dora", "due"),
        ("Elio", "out_of_window"),
        ("Ugo", "upcoming"),
    ]


def test_the_response_rate_counts_only_follow_ups_inside_the_window(closed_paths, world):
    rate = selectors.response_rate(Path.objects.filter(project=world.a), TODAY)
    # expected: Olga (closed window), Dino (done), Elio (closed window, early follow-up)
    assert rate == {"responded": 1, "expected": 3, "out_of_window": 1, "percent": 33}


def test_the_worklist_costs_one_query(closed_paths, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(selectors.worklist(Path.objects.filter(project=world.a), TODAY))


def test_the_worklist_page_and_the_dashboard_show_the_response_rate(client, world):
    today = timezone.localdate()
    exit_date = today - dt.timedelta(days=400)  # its window closed long ago
    f.PathFactory(
        project=world.a,
        person=f.PersonFactory(first_name="Irma", last_name="Scaduta"),
        exit_date=exit_date,
    )
    client.force_login(world.sofia)
    page = client.get(reverse("followups:followup-list", args=["valle"])).content.decode()
    assert "Scaduta Irma" in page and "Scaduta" in page
    assert "0% (0 rilevazioni valide su 1 attese)" in page

    client.force_login(world.rita)  # the Region sees the rate, an aggregate, not the list
    page = client.get(reverse("reporting:dashboard", args=["valle"])).content.decode()
    assert "0% (0 valide su 1 attese)" in page
    assert "Irma" not in page


def test_the_worklist_comes_in_pages_of_fifty(client, world):
    """A project with many closed paths: every follow-up to make is reachable, 50 a page,
    the most overdue first."""
    today = timezone.localdate()
    for n in range(52):
        f.PathFactory(
            project=world.a,
            person=f.PersonFactory(first_name=f"Nome{n:02d}", last_name="Uscito"),
            exit_date=today - dt.timedelta(days=400 + n),
        )
    client.force_login(world.sofia)
    url = reverse("followups:followup-list", args=["valle"])
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    assert first.count(">Uscito Nome") == 50 and "Pagina 1 di 2" in first
    assert "Uscito Nome51" in first  # the window closed longest ago comes first
    assert second.count(">Uscito Nome") == 2 and "Uscito Nome00" in second


def test_a_contact_attempt_is_recorded_and_counted(client, world):
    path = world.path
    path.exit_date = timezone.localdate() - dt.timedelta(days=200)
    path.save()
    client.force_login(world.sofia)
    url = reverse("followups:contact-create", args=["valle", path.pk])
    day = timezone.localdate().strftime("%d/%m/%Y")
    response = client.post(url, {"contacted_on": day, "channel": "phone", "reached": ""})
    assert response.status_code == 302
    contact = FollowupContact.objects.get()
    assert (contact.path, contact.channel, contact.reached, contact.recorded_by) == (
        path,
        "phone",
        False,
        world.sofia,
    )
    rows = selectors.worklist(Path.objects.filter(pk=path.pk), timezone.localdate())
    assert [(r.attempts, r.reached_attempts) for r in rows] == [(1, 0)]


@pytest.mark.parametrize(
    ("exit_offset", "contact_offset", "message"),
    [
        (None, 0, "ancora aperto"),
        (-10, -20, "precedere l'uscita"),
        (-10, 1, "nel futuro"),
    ],
)
def test_a_contact_attempt_is_refused_next_to_the_date(
    client, world, exit_offset, contact_offset, message
):
    today = timezone.localdate()
    if exit_offset is not None:
        world.path.exit_date = today + dt.timedelta(days=exit_offset)
        world.path.save()
    client.force_login(world.alice)
    url = reverse("followups:contact-create", args=["valle", world.path.pk])
    day = (today + dt.timedelta(days=contact_offset)).strftime("%d/%m/%Y")
    response = client.post(url, {"contacted_on": day, "channel": "email"})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["contacted_on"])
    assert not FollowupContact.objects.exists()
