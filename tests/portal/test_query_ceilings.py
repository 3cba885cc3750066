"""Every staff page answers in a constant number of SQL queries whatever the data size.

Each page is asked on the small ``world`` and again after the project has grown to about
ten times the demo data (9,000 people, 3,000 households, their members, registrations,
paths, sessions, attendances, case notes), written with bulk_create. Both answers must
stay under the same ceiling.
"""

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries import models as b
from labs import access
from labs import models as labs
from reporting.models import ProgressReport
from tests import budget_builders as money
from tests import factories as f
from tests import governance_builders as gov
from tests import placement_builders as placements
from tests import repayment_builders as repay

PEOPLE, HOUSEHOLDS, PATHS, SESSIONS, PER_SESSION, NOTES = 9000, 3000, 1000, 600, 10, 2000

# page -> (url name, kwargs from the world, user, ceiling)
PAGES = {
    "home": ("home", lambda w: {}, "alice", 16),
    "dashboard": ("reporting:dashboard", lambda w: {"project": "valle"}, "alice", 24),
    "dashboard (region)": ("reporting:dashboard", lambda w: {"project": "valle"}, "rita", 24),
    "people": ("people:person-list", lambda w: {"project": "valle"}, "sofia", 14),
    "people (partner)": ("people:person-list", lambda w: {"project": "valle"}, "paolo", 14),
    "person": (
        "people:person-detail",
        lambda w: {"project": "valle", "pk": w.maria.pk},
        "sofia",
        20,
    ),
    "households": ("households:household-list", lambda w: {"project": "valle"}, "sofia", 14),
    "household": (
        "households:household-detail",
        lambda w: {"project": "valle", "pk": w.household.pk},
        "sofia",
        20,
    ),
    "building": (
        "territory:building-detail",
        lambda w: {"project": "valle", "pk": w.unit.building.pk},
        "sofia",
        14,
    ),
    "territory": ("territory:territory", lambda w: {"project": "valle"}, "sofia", 14),
    "duplicates": ("people:duplicate-list", lambda w: {"project": "valle"}, "sofia", 14),
    "activities": ("labs:activity-list", lambda w: {"project": "valle"}, "alice", 14),
    "sessions": ("labs:session-list", lambda w: {"project": "valle"}, "alice", 18),
    "calendar": ("labs:session-calendar", lambda w: {"project": "valle"}, "alice", 16),
    "session": (
        "labs:session-detail",
        lambda w: {"project": "valle", "pk": w.session.pk},
        "alice",
        18,
    ),
    "register": (
        "registers:register-edit",
        lambda w: {"project": "valle", "pk": w.session.pk},
        "alice",
        16,
    ),
    "resident reports": ("labs:resident-report-list", lambda w: {"project": "valle"}, "alice", 16),
    "audit log": ("reporting:audit-log", lambda w: {"project": "valle"}, "alice", 38),
    "reports": ("reporting:report-list", lambda w: {"project": "valle"}, "alice", 14),
    "follow-ups": ("followups:followup-list", lambda w: {"project": "valle"}, "sofia", 14),
    "repayment plans": ("repayments:plan-list", lambda w: {"project": "valle"}, "sofia", 14),
    "repayment plans (partner)": (
        "repayments:plan-list",
        lambda w: {"project": "valle"},
        "paolo",
        14,
    ),
    "companies": ("companies:company-list", lambda w: {"project": "valle"}, "sofia", 14),
    "placements": ("placements:placement-list", lambda w: {"project": "valle"}, "sofia", 14),
    "placements (partner)": (
        "placements:placement-list",
        lambda w: {"project": "valle"},
        "paolo",
        14,
    ),
    "repayment plan": ("repayments:plan-detail", repay.the_plan, "paolo", 16),
    "governance": ("governance:body-list", lambda w: {"project": "valle"}, "paolo", 14),
    "body": ("governance:body-detail", gov.valle_body, "alice", 14),
    "meeting": ("governance:meeting-detail", gov.valle_meeting, "alice", 14),
    "path reviews": ("reviews:path-reviews", gov.valle_path, "sofia", 14),
    "reviews due": ("reviews:review-due", lambda w: {"project": "valle"}, "sofia", 14),
    "placement": ("placements:placement-detail", placements.valle_placement, "alice", 16),
    "report period": ("reporting:report-period", lambda w: valle_period(w), "alice", 16),
    "budget": ("budget:budget", lambda w: {"project": "valle"}, "alice", 22),
    "budget (partner)": ("budget:budget", lambda w: {"project": "valle"}, "paolo", 22),
    "programme (region)": (
        "programmes:programme",
        lambda w: {"code": w.a.programme.code},
        "rita",
        30,
    ),
    "programme (lead)": (
        "programmes:programme",
        lambda w: {"code": w.a.programme.code},
        "alice",
        30,
    ),
}
# Pages that read figures stored per project (reporting/programmes/figures.py): asked
# right after a change in Valle, so that they compute the changed projects' figures
# again, and once more, when they read them as stored; each count is checked.
STORED_FIGURES = {"programme (region)", "programme (lead)"}
QUERY_STRINGS = {
    "people": ["", "?q=ros", "?q=Nome1"],
    "households": ["", "?q=VAL"],
    "repayment plans": ["", "?stato=late", "?stato=xyz"],
    "companies": ["", "?q=Azienda"],
    "placements": ["", "?stato=open&tipo=work_grant"],
}


def valle_period(w) -> dict:
    """A reporting period of Valle with a submitted report and a draft (written once)."""
    period, created = labs.ReportingPeriod.objects.get_or_create(
        project=w.a,
        name="I semestre 2019",
        defaults={"start_date": dt.date(2019, 1, 1), "end_date": dt.date(2019, 6, 30)},
    )
    if created:
        ProgressReport.objects.create(
            project=w.a,
            period=period,
            version=1,
            status="submitted",
            submitted_at=dt.datetime(2019, 7, 15, tzinfo=dt.UTC),
            submitted_by=w.alice,
            generated_by=w.alice,
            pdf_sha256="0" * 64,
        )
    return {"project": "valle", "period": period.pk}


def grow(w):
    """Add about ten times the demo data to project Valle."""
    people = b.Person.objects.bulk_create(
        [
            f.PersonFactory.build(
                first_name=f"Nome{n}",
                last_name=f"Rossi{n % 500}",
                birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=(n * 7) % 20000),
                tax_code=f.make_tax_code(
                    100000 + n, dt.date(1950, 1, 1) + dt.timedelta(days=(n * 7) % 20000), "F"
                ),
                email=f"grande{n}@example.org",
                phone=f"+39 320 {n:07d}",
            )
            for n in range(PEOPLE)
        ],
        batch_size=1000,
    )
    b.Registration.objects.bulk_create(
        [b.Registration(project=w.a, person=p, registered_on=dt.date(2019, 2, 1)) for p in people],
        batch_size=1000,
    )
    households = b.Household.objects.bulk_create(
        [b.Household(project=w.a, code=f"BIG-{n:05d}") for n in range(HOUSEHOLDS)],
        batch_size=1000,
    )
    b.HouseholdMember.objects.bulk_create(
        [
            b.HouseholdMember(
                household=households[n // 3],
                person=p,
                relation="reference" if n % 3 == 0 else "other",
                start_date=dt.date(2015, 1, 1),
            )
            for n, p in enumerate(people)
        ],
        batch_size=1000,
    )
    b.Path.objects.bulk_create(
        [f.PathFactory.build(person=p, project=w.a, axis=w.axis) for p in people[:PATHS]],
        batch_size=500,
    )
    b.ActivityEnrolment.objects.bulk_create(
        [
            b.ActivityEnrolment(activity=w.sewing, person=p, since=dt.date(2019, 3, 1))
            for p in people[:300]
        ],
        batch_size=500,
    )
    sessions = labs.Session.objects.bulk_create(
        [
            labs.Session(
                activity=w.sewing,
                lab=w.lab,
                date=dt.date(2019, 1, 1) + dt.timedelta(days=n),
                start_time=dt.time(15, 0),  # the world's sessions start at 9
                end_time=dt.time(17, 0),
                state=labs.Session.State.HELD,
                duration_minutes=120,
            )
            for n in range(SESSIONS)
        ],
        batch_size=500,
    )
    b.Attendance.objects.bulk_create(
        [
            b.Attendance(session=s, person=people[(i * PER_SESSION + k) % 300], hours=Decimal(2))
            for i, s in enumerate(sessions)
            for k in range(PER_SESSION)
        ],
        batch_size=2000,
    )
    b.Attendance.objects.bulk_create(
        [b.Attendance(session=w.session, person=p, hours=Decimal(2)) for p in people[:299]],
        batch_size=1000,
    )
    b.CaseNote.objects.bulk_create(
        [
            b.CaseNote(
                project=w.a,
                person=people[n],
                author=w.sofia,
                date=dt.date(2019, 3, 1),
                text="Colloquio",
            )
            for n in range(NOTES)
        ],
        batch_size=1000,
    )
    for n, category in enumerate(("materials", "staff", "external_services", "premises")):
        money.line(w, organisation=(w.aurora, w.valle)[n % 2], category=category)
        money.expense(w, organisation=(w.aurora, w.valle)[n % 2], number=f"BIG-{n}")
    for version in range(3, 13):  # ten more versions of the period's report
        ProgressReport.objects.create(
            project=w.a,
            period_id=valle_period(w)["period"],
            version=version,
            status="generated",
            generated_by=w.alice,
            pdf_sha256="0" * 64,
        )
    repay.grow(w, households)
    gov.grow(w)
    placements.grow(w)


def count_queries(client, world):
    counts = {}
    for page, (name, kwargs, user, _ceiling) in PAGES.items():
        client.force_login(getattr(world, user))
        url = reverse(name, kwargs=kwargs(world))
        queries = QUERY_STRINGS.get(page, [""])
        if page in STORED_FIGURES:
            b.Path.objects.filter(pk=world.path.pk).update(planned_hours=Decimal("10"))
            queries = ["", "again"]
        for query in queries:
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url + query.replace("again", ""))
            assert response.status_code == 200, (page, query, response.status_code)
            counts[(page, query)] = len(captured)
    return counts


def test_every_page_stays_under_its_ceiling_at_ten_times_the_demo_data(client, world):
    world.unit.building.neighbourhood.projects.add(world.a)  # Maria's building is in Valle
    small = count_queries(client, world)
    grow(world)
    assert b.Person.objects.count() > PEOPLE
    large = count_queries(client, world)
    over = {
        key: (small[key], large[key], PAGES[key[0]][3])
        for key in small
        if max(small[key], large[key]) > PAGES[key[0]][3]
    }
    assert not over, f"(page, query): (small, 10x, ceiling) over the ceiling: {over}"
    grown = {key: (small[key], large[key]) for key in small if large[key] > small[key] + 1}
    assert not grown, f"queries grow with the data (small, 10x): {grown}"


def add_projects(w, count: int) -> None:
    """``count`` more projects in which the world's staff and partner hold the roles they
    hold in Valle (a regional officer sees every project anyway)."""
    first = labs.Project.objects.count()
    projects = labs.Project.objects.bulk_create(
        [
            labs.Project(
                programme=w.a.programme,
                title=f"Progetto in più {n}",
                short_name=f"In più {n}",
                slug=f"in-piu-{n}",
                cup=f"E41H{18000000000 + n}",
                lead_organisation=w.a.lead_organisation,
                start_date=w.a.start_date,
                end_date=w.a.end_date,
                budget=Decimal("100000.00"),
            )
            for n in range(first, first + count)
        ]
    )
    partners = list(w.a.partnerships.all())
    labs.Partnership.objects.bulk_create(
        [
            labs.Partnership(
                project=project,
                organisation_id=p.organisation_id,
                role=p.role,
                budget_share=p.budget_share,
            )
            for project in projects
            for p in partners
        ]
    )
    roles = list(labs.ProjectRole.objects.filter(project=w.a))
    labs.ProjectRole.objects.bulk_create(
        [
            labs.ProjectRole(
                project=project, user_id=r.user_id, organisation_id=r.organisation_id, role=r.role
            )
            for project in projects
            for r in roles
        ]
    )


def test_every_page_asks_as_many_queries_at_ten_and_at_a_hundred_projects(client, world):
    """A user's number of projects never adds queries: every page asked as a lead, a
    social worker, a partner or the Region with 10 projects and again with 100."""
    world.unit.building.neighbourhood.projects.add(world.a)
    add_projects(world, 10 - labs.Project.objects.count())
    assert labs.Project.objects.count() == 10
    count_queries(client, world)  # some pages' kwargs write their object the first time
    at_ten = count_queries(client, world)
    add_projects(world, 90)
    for user in (world.alice, world.sofia, world.paolo):
        assert len(access.grants_for(type(user).objects.get(pk=user.pk))) >= 91
    at_hundred = count_queries(client, world)
    grown = {
        key: (at_ten[key], at_hundred[key]) for key in at_ten if at_hundred[key] != at_ten[key]
    }
    assert not grown, f"(page, query): queries at 10 and at 100 projects: {grown}"
