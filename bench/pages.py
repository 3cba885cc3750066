"""Page benchmark (issues #9 and #20): each main page against Django's admin changelist of
the same model on the same data, in one run: median and p95 of the server time, number of
SQL queries, SQL time (the sum of the queries' durations), and the ratios portal/admin and
total/SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartieri_scale \\
        .venv/bin/python bench/pages.py --repeat 40 --write-docs

Requests go through Django's full stack (middleware, sessions, templates, database) with
the test client in this process, so the figures are server time without the network.
Settings as in production where it matters for speed: DEBUG off, the cached template
loader (Django's default when no loader is named), persistent connection, PostgreSQL's
planner settings of config/settings/base.py.

Each timed portal request is followed by one timed admin request, so both see the same
machine load: the ratio portal/admin is measured in one run even on a busy machine. The
SQL time of a request is measured around each query by ``connection.execute_wrapper``
(psycopg's client-side cursor: execution and transfer of the rows) and around the COMMIT
of the session, saved on every request.

Users: the lead of the project a page is measured on (for the largest project,
``lead.milo``, who also leads the other copies of the same demo project), the regional
officer ``officer.regione`` for the programme view; the admin user is the demo superuser.
Pages whose rows the scale data does not generate (follow-ups are computed from paths,
but case reviews, repayment plans and placements exist only in the demo projects) are
measured on the demo project with the most such rows, in the same 105-project database.

The report PDF is measured by bench/report.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ["DEBUG"] = "false"
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from docs_block import write_block  # noqa: E402  (bench/, this script's folder)

from beneficiaries.models import (  # noqa: E402
    AllowancePayment,
    Attendance,
    CaseReview,
    Household,
    Person,
    Placement,
    RepaymentPlan,
)
from beneficiaries.models import Path as ParticipantPath  # noqa: E402
from labs.models import (  # noqa: E402
    Body,
    HostCompany,
    Programme,
    Project,
    ProjectRole,
    ReportingPeriod,
    Session,
)

START = "<!-- bench:pages:start -->"
END = "<!-- bench:pages:end -->"
# Targets of issue #20: p95 under this many ms, server time at most this many times SQL.
P95_LIMIT = 300
SQL_RATIO_LIMIT = 2.0


@dataclass
class Page:
    label: str
    url: str
    user: object
    admin_label: str
    admin_url: str


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


class Timer:
    """Count and time every SQL query of a request."""

    def __init__(self):
        self.queries = 0
        self.sql = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.sql += time.perf_counter() - started
            self.queries += 1


def timed_get(client, url):
    timer = Timer()
    commit = connection._commit

    def timed_commit():
        # The session is saved on every request (SESSION_SAVE_EVERY_REQUEST): its COMMIT
        # is database time too, and under load it is not small.
        started = time.perf_counter()
        try:
            return commit()
        finally:
            timer.sql += time.perf_counter() - started

    connection._commit = timed_commit
    try:
        with connection.execute_wrapper(timer):
            cpu = time.process_time()
            started = time.perf_counter()
            response = client.get(url)
            total = (time.perf_counter() - started) * 1000
            cpu = (time.process_time() - cpu) * 1000
    finally:
        del connection._commit
    assert response.status_code == 200, (url, response.status_code)
    return total, timer.sql * 1000, timer.queries, cpu


def summary(samples):
    totals = [s[0] for s in samples]
    sqls = [s[1] for s in samples]
    median = statistics.median(totals)
    sql = statistics.median(sqls)
    return {
        "median": median,
        "p95": percentile(totals, 95),
        "sql": sql,
        # the median of each request's own ratio: robust to one slow request
        "ratio": statistics.median(t / s for t, s in zip(totals, sqls, strict=True) if s),
        "queries": samples[-1][2],
        "cpu": statistics.median(s[3] for s in samples),
    }


def measure(portal, admin, page, repeat):
    """Warm both pages up, then alternate one portal and one admin request."""
    for _ in range(3):
        timed_get(portal, page.url)
        timed_get(admin, page.admin_url)
    mine, theirs = [], []
    for _ in range(repeat):
        mine.append(timed_get(portal, page.url))
        theirs.append(timed_get(admin, page.admin_url))
    return summary(mine), summary(theirs)


def lead_of(project):
    return (
        ProjectRole.objects.filter(project=project, role="lead")
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


RICHEST_PAGES = [
    (
        "Follow-up worklist",
        ParticipantPath,
        "project_id",
        "rilevazioni-6-mesi/",
        "Path",
        "/admin/beneficiaries/path/",
    ),
    (
        "Reviews due",
        CaseReview,
        "path__project_id",
        "verifiche/in-scadenza/",
        "Case review",
        "/admin/beneficiaries/casereview/",
    ),
    (
        "Repayment plans",
        RepaymentPlan,
        "project_id",
        "piani-di-rientro/",
        "Repayment plan",
        "/admin/beneficiaries/repaymentplan/",
    ),
    (
        "Placements",
        Placement,
        "path__project_id",
        "tirocini/",
        "Placement",
        "/admin/beneficiaries/placement/",
    ),
    ("Governance", Body, "project_id", "governance/", "Body", "/admin/labs/body/"),
    (
        "Host companies",
        HostCompany,
        "project_id",
        "aziende/",
        "Host company",
        "/admin/labs/hostcompany/",
    ),
    (
        "Allowances",
        AllowancePayment,
        "path__project_id",
        "indennita/",
        "Allowance payment",
        "/admin/beneficiaries/allowancepayment/",
    ),
]


def richest(model, path: str):
    """The project with the most rows of ``model`` (``path`` leads from it to the project)."""
    row = model.objects.values(path).annotate(n=Count("pk")).order_by("-n", path).first() or {
        path: None
    }
    return Project.objects.get(pk=row[path]) if row[path] else None


def scenario():
    User = get_user_model()
    project = Project.objects.annotate(n=Count("households")).order_by("-n", "-pk").first()
    lead = lead_of(project)
    officer = User.objects.get(username="officer.regione")
    person = (
        Person.objects.filter(registrations__project=project)
        .annotate(n=Count("attendances"))
        .order_by("-n")
        .first()
    )
    session = (
        Session.objects.filter(activity__project=project, state="held")
        .annotate(n=Count("attendances"))
        .order_by("-n")
        .first()
    )
    code = Household.objects.filter(project=project).order_by("code").first().code[:-2]
    period = ReportingPeriod.objects.filter(project=project).order_by("start_date").first()
    programme = (
        Programme.objects.annotate(n=Count("projects")).order_by("-n", "pk").first()
    )  # the call with the most projects
    p = project.slug
    pages = [
        Page("Home", "/", lead, "Project", "/admin/labs/project/"),
        Page("Dashboard", f"/progetti/{p}/", lead, "Project", "/admin/labs/project/"),
        Page(
            "People list",
            f"/progetti/{p}/persone/",
            lead,
            "Person",
            "/admin/beneficiaries/person/",
        ),
        Page(
            f"Household list, filtered (q={code})",
            f"/progetti/{p}/nuclei/?q={code}",
            lead,
            "Household",
            f"/admin/beneficiaries/household/?q={code}",
        ),
        Page(
            "Person detail",
            f"/progetti/{p}/persone/{person.pk}/",
            lead,
            "Person",
            "/admin/beneficiaries/person/",
        ),
        Page("Session list", f"/progetti/{p}/incontri/", lead, "Session", "/admin/labs/session/"),
        Page(
            "Register form",
            f"/progetti/{p}/incontri/{session.pk}/registro/",
            lead,
            "Attendance",
            f"/admin/beneficiaries/attendance/?session__id__exact={session.pk}",
        ),
        Page(
            "Report period",
            f"/progetti/{p}/relazioni/periodi/{period.pk}/",
            lead,
            "Reporting period",
            "/admin/labs/reportingperiod/",
        ),
        Page("Budget", f"/progetti/{p}/budget/", lead, "Budget line", "/admin/labs/budgetline/"),
        Page(
            f"Programme view (Region, {programme.n} projects)",
            f"/programmi/{programme.code}/",
            officer,
            "Project",
            "/admin/labs/project/",
        ),
        Page(
            f"Programme view (lead, {project.programme.projects.count()} projects)",
            f"/programmi/{project.programme.code}/",
            lead,
            "Project",
            "/admin/labs/project/",
        ),
        Page(
            "Programme list (Region)", "/programmi/", officer, "Programme", "/admin/labs/programme/"
        ),
    ]
    # Pages of one project each: the project with the most rows of the page's model (case
    # reviews, repayment plans, placements, governance, host companies and allowances
    # exist only in the demo projects of the scale data).
    for label, model, to_project, page_path, admin_label, admin_path in RICHEST_PAGES:
        richest_project = richest(model, to_project)
        if richest_project:
            slug = richest_project.slug
            pages.append(
                Page(
                    f"{label} ({slug})",
                    f"/progetti/{slug}/{page_path}",
                    lead_of(richest_project),
                    admin_label,
                    admin_path,
                )
            )
    # The floor: a signed-in page with no query of its own (session, user, the header's
    # organisation, middleware, base template), against the admin's index.
    pages.append(
        Page(
            "Floor: accessibility statement, signed in",
            "/accessibilita/",
            lead,
            "Admin index",
            "/admin/",
        )
    )
    return project, lead, pages


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def yes(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--note", default="")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure only the pages whose label contains this text (repeatable)",
    )
    args = parser.parse_args()
    if args.write_docs and args.only:
        parser.error("--write-docs needs every page")

    project, lead, pages = scenario()
    admin_user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    admin = Client()
    admin.force_login(admin_user)
    clients = {}

    def client_for(user):
        if user.pk not in clients:
            clients[user.pk] = Client()
            clients[user.pk].force_login(user)
        return clients[user.pk]

    loaders = [
        f"{type(loader).__module__}.{type(loader).__name__}"
        + (
            f" ({', '.join(type(inner).__module__ for inner in loader.loaders)})"
            if hasattr(loader, "loaders")
            else ""
        )
        for loader in engines["django"].engine.template_loaders
    ]
    sizes = {
        "projects": Project.objects.count(),
        "households": Household.objects.count(),
        "people": Person.objects.count(),
        "attendance rows": Attendance.objects.count(),
        "sessions": Session.objects.count(),
    }
    started_at = time.strftime("%d/%m/%Y %H:%M UTC", time.gmtime())
    load_before = load()
    header = [
        "| Page | Median (ms) | p95 (ms) | Queries | SQL (ms) | Total/SQL | CPU (ms) "
        "| Admin changelist | Admin median (ms) | Admin p95 (ms) | Admin queries "
        "| Portal/admin | Median ≤ admin | p95 < 300 ms | Total ≤ 2× SQL | Load (1 min) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|:-:|:-:|:-:|---:|",
    ]
    print("\n".join(header), flush=True)
    rows = []
    for page in pages:
        if args.only and not any(o.lower() in page.label.lower() for o in args.only):
            continue
        mine, theirs = measure(client_for(page.user), admin, page, args.repeat)
        ratio = mine["median"] / theirs["median"]
        rows.append(
            f"| {page.label} `{page.url}` ({page.user.username}) | {mine['median']:.0f} "
            f"| {mine['p95']:.0f} | {mine['queries']} | {mine['sql']:.1f} "
            f"| {mine['ratio']:.1f} | {mine['cpu']:.0f} | {page.admin_label} `{page.admin_url}` "
            f"| {theirs['median']:.0f} | {theirs['p95']:.0f} | {theirs['queries']} "
            f"| {ratio:.2f} | {yes(ratio <= 1)} | {yes(mine['p95'] < P95_LIMIT)} "
            f"| {yes(mine['ratio'] <= SQL_RATIO_LIMIT)} | {os.getloadavg()[0]:.2f} |"
        )
        print(rows[-1], flush=True)

    lines = [
        f"Run of {started_at}, machine load (1/5/15-minute load average of `uptime`, 2 "
        f"cores) {load_before} at the start and {load()} at the end. Data: "
        f"{', '.join(f'{v:,} {k}' for k, v in sizes.items())} (database "
        f"`{settings.DATABASES['default']['NAME']}`, {connection.vendor}). Largest project "
        f"`{project.slug}`, whose lead `{lead.username}` leads "
        f"{ProjectRole.objects.filter(user=lead, role='lead').count()} projects; admin user "
        f"`{admin_user.username}` (superuser). DEBUG={settings.DEBUG}, template loaders "
        f"{'; '.join(loaders)}. "
        f"{args.repeat} timed requests per page after 3 warm-up requests, each portal "
        "request followed by one admin request; in-process Django test client (full "
        "middleware stack, no network). Median and p95 of the server time; SQL: median "
        "of the sum of the request's query durations and of the session's COMMIT; "
        "Total/SQL: median of each request's "
        "own ratio; CPU: median processor time of this Python process per request (Django, "
        "templates, the driver), which waiting for a busy processor hardly inflates; "
        "Portal/admin: ratio of the medians. Queries: the last request's.",
        "",
        *header,
        *rows,
    ]
    if args.note:
        lines += ["", args.note]
    table = "\n".join(lines)
    print()
    print(table)
    if args.write_docs:
        write_block(ROOT / "docs" / "performance.md", START, END, table, "## Pages at scale\n\n")


if __name__ == "__main__":
    main()
