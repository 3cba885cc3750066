"""The Region's programme view: every project of a call in a row, no personal data, a
constant number of queries whatever the number of projects."""

import datetime as dt
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from beneficiaries import models as b
from labs import models as labs
from reporting.models import ProgressReport
from tests import factories as f

CODE = "por-fse-2014-2020-lab"  # the world's programme (ProgrammeFactory)


def url(name="programmes:programme", **query):
    base = reverse(name, args=[CODE]) if name != "programmes:programme-list" else reverse(name)
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_region_sees_every_project_of_the_call_and_no_names(client, world):
    client.force_login(world.rita)
    response = client.get(url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Valle solidale" in page and "Borgo insieme" in page
    assert reverse("reporting:dashboard", args=["valle"]) in page
    for name in (world.maria.last_name, world.giulia.last_name, world.carla.last_name):
        assert name not in page


def test_a_lead_sees_only_the_projects_they_lead(client, world):
    client.force_login(world.alice)
    page = client.get(url()).content.decode()
    assert "Valle solidale" in page and "Borgo insieme" not in page


def test_the_main_menu_leads_to_the_calls_for_those_who_may_see_them(client, world):
    """The Region and a lead find the list of calls in the main menu, marked as the
    current section on a call's page; a social worker, a partner operator and someone
    with no role do not get a link to a page that would answer 404."""
    link = f'href="{url("programmes:programme-list")}"'
    for user in (world.rita, world.alice):
        client.force_login(user)
        home = client.get(reverse("home")).content.decode()
        assert link in home and "Programmi e bandi" in home
        call = client.get(url()).content.decode()
        item = call[call.index(link) - 80 : call.index(link) + 60]
        assert "active" in item and 'aria-current="true"' in item
        assert client.get(url("programmes:programme-list")).status_code == 200
    for user in (world.sofia, world.paolo, world.olga):
        client.force_login(user)
        assert link not in client.get(reverse("home")).content.decode()
        assert client.get(url("programmes:programme-list")).status_code == 404


def test_targets_reached_and_esf_outputs_are_summed_across_projects(client, world):
    """Hand count: Valle has Maria's path (F, unemployed 14 months); Borgo gets Carla (F,
    unemployed 14 months) and Mario (M, employed). CO01 = 0 men, 2 women; CO02 (LTU, 25+,
    > 12 months) the same; CO05 = 1 man; 3 participants."""
    f.PathFactory(project=world.b, person=world.carla)
    man = f.PersonFactory(first_name="Mario", last_name="Borghi", sex="M")
    f.PathFactory(project=world.b, person=man, labour_status="employed", unemployment_months=None)
    client.force_login(world.rita)
    context = client.get(url()).context
    rows = {r.project.slug: r for r in context["rows"]}
    assert (rows["valle"].participants, rows["borgo"].participants) == (1, 2)
    assert context["totals"]["participants"] == 3
    esf = context["esf"]["indicators"]
    assert esf["CO01"] == {"men": 0, "women": 2, "total": 2}
    assert esf["CO02"] == {"men": 0, "women": 2, "total": 2}
    assert esf["CO05"] == {"men": 1, "women": 0, "total": 1}
    assert context["esf"]["participants_total"] == 3


def test_report_status_due_late_and_submitted(client, world):
    today = timezone.localdate()
    periods = {
        "late": (today - dt.timedelta(days=200), today - dt.timedelta(days=31)),
        "due": (today - dt.timedelta(days=150), today - dt.timedelta(days=30)),
        "open": (today - dt.timedelta(days=10), today + dt.timedelta(days=100)),
        "sent": (today - dt.timedelta(days=400), today - dt.timedelta(days=300)),
    }
    made = {
        name: labs.ReportingPeriod.objects.create(
            project=world.b, name=name, start_date=start, end_date=end
        )
        for name, (start, end) in periods.items()
    }
    submitted = timezone.now() - dt.timedelta(days=280)
    ProgressReport.objects.create(
        project=world.b,
        period=made["sent"],
        version=1,
        status=ProgressReport.Status.SUBMITTED,
        submitted_at=submitted,
        pdf_sha256="0" * 64,
    )
    client.force_login(world.rita)
    context = client.get(url()).context
    borgo = next(r for r in context["rows"] if r.project.slug == "borgo")
    got = {p.name: p.status for p in borgo.periods}
    assert got == {"late": "late", "due": "due", "open": "open", "sent": "submitted"}
    assert borgo.late_reports == 1
    page = client.get(url()).content.decode()
    assert f"trasmessa il {timezone.localtime(submitted):%d/%m/%Y}" in page


def test_sorting_by_participants(client, world):
    world.b.target_participants, world.a.target_participants = 10, 10
    world.a.save()
    world.b.save()
    for n in range(3):
        f.PathFactory(project=world.b, person=f.PersonFactory(first_name=f"B{n}"))
    client.force_login(world.rita)
    ascending = [r.project.slug for r in client.get(url(ordina="partecipanti")).context["rows"]]
    descending = [
        r.project.slug for r in client.get(url(ordina="partecipanti", verso="desc")).context["rows"]
    ]
    assert ascending == ["valle", "borgo"] and descending == ["borgo", "valle"]


def test_the_xlsx_export_has_a_row_per_project(client, world):
    client.force_login(world.rita)
    response = client.get(reverse("programmes:programme-xlsx", args=[CODE]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "Progetto" and {r[0] for r in rows[1:]} == {
        "Valle solidale",
        "Borgo insieme",
    }


def _projects(world, count, prefix):
    """``count`` more projects in the call, each with a household, a path, a reporting
    period and an expense, written with bulk_create."""
    programme, org = world.a.programme, world.a.lead_organisation
    base = {"bulk": 18000000000, "more": 19000000000}[prefix]
    projects = labs.Project.objects.bulk_create(
        [
            labs.Project(
                programme=programme,
                title=f"{prefix} {n}",
                short_name=f"{prefix} {n}",
                slug=f"{prefix}-{n}",
                cup=f"E41H{base + n}",
                lead_organisation=org,
                start_date=dt.date(2019, 1, 1),
                end_date=dt.date(2020, 12, 31),
                budget=Decimal("1000.00"),
            )
            for n in range(count)
        ]
    )
    b.Household.objects.bulk_create([b.Household(project=p, code=f"H{p.pk}") for p in projects])
    people = b.Person.objects.bulk_create(
        [f.PersonFactory.build(first_name=f"N{p.pk}") for p in projects]
    )
    b.Path.objects.bulk_create(
        [
            f.PathFactory.build(project=p, person=person)
            for p, person in zip(projects, people, strict=True)
        ]
    )
    labs.ReportingPeriod.objects.bulk_create(
        [
            labs.ReportingPeriod(
                project=p, name="I", start_date=dt.date(2019, 1, 1), end_date=dt.date(2019, 6, 30)
            )
            for p in projects
        ]
    )
    return projects


def _queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url())
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


def test_the_page_runs_the_same_queries_at_10_and_100_projects(client, world):
    client.force_login(world.rita)
    _projects(world, 8, "bulk")  # 10 with Valle and Borgo
    at_10 = _queries(client)
    _projects(world, 90, "more")
    at_100 = _queries(client)
    assert (at_10[1], at_100[1]) == (10, 100)
    assert at_10[0] == at_100[0], (at_10, at_100)
