"""Page benchmark (issue #9): each main page against Django's admin changelist of the same
model, on the same data, median and p95 over repeated requests; then the progress report
of the largest project (data + PDF).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartieri_scale \\
        .venv/bin/python bench/pages.py --repeat 40 --write-docs

Requests go through Django's full stack (middleware, sessions, templates, database) with
the test client in this process, so the figures are server time without the network.
The portal user is the lead of the largest project (who also leads the other copies of
the same demo project); the admin user is the demo superuser.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")
os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from beneficiaries.models import Attendance, Household, Person  # noqa: E402
from labs.models import Project, ProjectRole, Session  # noqa: E402

START = "<!-- bench:pages:start -->"
END = "<!-- bench:pages:end -->"


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def measure(client, url, repeat):
    for _ in range(3):  # warm-up: templates, connection, caches of the database
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    times = []
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(url)
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return {
        "median": statistics.median(times),
        "p95": percentile(times, 95),
        "queries": len(queries),
    }


def scenario():
    project = Project.objects.annotate(n=Count("households")).order_by("-n", "-pk").first()
    lead = (
        ProjectRole.objects.filter(project=project, role="lead").select_related("user").first()
    ).user
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
    p = project.slug
    pages = [
        ("Home", "/", "/admin/labs/project/", "Project"),
        ("Dashboard", f"/progetti/{p}/", "/admin/labs/project/", "Project"),
        (
            f"Household list, filtered (q={code})",
            f"/progetti/{p}/nuclei/?q={code}",
            f"/admin/beneficiaries/household/?q={code}",
            "Household",
        ),
        (
            "Person detail",
            f"/progetti/{p}/persone/{person.pk}/",
            "/admin/beneficiaries/person/",
            "Person",
        ),
        ("Session list", f"/progetti/{p}/incontri/", "/admin/labs/session/", "Session"),
        (
            "Register form",
            f"/progetti/{p}/incontri/{session.pk}/registro/",
            f"/admin/beneficiaries/attendance/?session__id__exact={session.pk}",
            "Attendance",
        ),
    ]
    return project, lead, pages


def report_times(project, repeat):
    from reporting.pdf import render_report_pdf
    from reporting.report_data import build_report_data

    period = SimpleNamespace(
        start_date=project.start_date, end_date=project.end_date, name="Intero progetto"
    )
    data_ms, pdf_ms = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        data = build_report_data(project, period)
        middle = time.perf_counter()
        render_report_pdf(data)
        data_ms.append((middle - started) * 1000)
        pdf_ms.append((time.perf_counter() - middle) * 1000)
    return data_ms, pdf_ms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--report-repeat", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    parser.add_argument("--note", default="")
    parser.add_argument(
        "--only", default="", help="measure only the pages whose label contains this text"
    )
    parser.add_argument("--no-report", action="store_true", help="skip the progress report")
    args = parser.parse_args()
    if args.write_docs and (args.only or args.no_report):
        parser.error("--write-docs needs every page and the report")

    from django.contrib.auth import get_user_model

    project, lead, pages = scenario()
    admin = get_user_model().objects.filter(is_superuser=True).first()
    portal, backoffice = Client(), Client()
    portal.force_login(lead)
    backoffice.force_login(admin)

    sizes = {
        "projects": Project.objects.count(),
        "households": Household.objects.count(),
        "people": Person.objects.count(),
        "attendance rows": Attendance.objects.count(),
        "sessions": Session.objects.count(),
    }
    lines = [
        f"Data: {', '.join(f'{v:,} {k}' for k, v in sizes.items())} "
        f"(database `{settings.DATABASES['default']['NAME']}`, "
        f"{connection.vendor}). Portal user: `{lead.username}` (lead of "
        f"`{project.slug}` and of {ProjectRole.objects.filter(user=lead).count()} projects "
        f"in all); admin user: `{admin.username}` (superuser). {args.repeat} timed requests "
        "per page after 3 warm-up requests, in-process Django test client (full middleware "
        "stack, no network).",
        "",
        "| Page | Portal median (ms) | Portal p95 (ms) | Portal queries "
        "| Admin changelist | Admin median (ms) | Admin p95 (ms) | Admin queries "
        "| Median ≤ admin | p95 < 300 ms |",
        "|---|---:|---:|---:|---|---:|---:|---:|:-:|:-:|",
    ]
    for label, url, admin_url, model in pages:
        if args.only.lower() not in label.lower():
            continue
        mine = measure(portal, url, args.repeat)
        theirs = measure(backoffice, admin_url, args.repeat)
        ok_median = "yes" if mine["median"] <= theirs["median"] else "**no**"
        ok_p95 = "yes" if mine["p95"] < 300 else "**no**"
        lines.append(
            f"| {label} `{url}` | {mine['median']:.0f} | {mine['p95']:.0f} | {mine['queries']} "
            f"| {model} `{admin_url}` | {theirs['median']:.0f} | {theirs['p95']:.0f} "
            f"| {theirs['queries']} | {ok_median} | {ok_p95} |"
        )
        print(lines[-1], flush=True)

    if args.no_report:
        return
    data_ms, pdf_ms = report_times(project, args.report_repeat)
    total = [a + b for a, b in zip(data_ms, pdf_ms, strict=True)]
    lines += [
        "",
        f"Progress report of the largest project (`{project.slug}`, whole project period "
        f"{project.start_date:%d/%m/%Y}–{project.end_date:%d/%m/%Y}), "
        f"{args.report_repeat} runs:",
        "",
        "| Step | Median (ms) | Max (ms) |",
        "|---|---:|---:|",
        f"| build_report_data (figures, JSON snapshot) | {statistics.median(data_ms):.0f} "
        f"| {max(data_ms):.0f} |",
        f"| render_report_pdf (WeasyPrint PDF/A-3a) | {statistics.median(pdf_ms):.0f} "
        f"| {max(pdf_ms):.0f} |",
        f"| **Total** (limit 10,000) | **{statistics.median(total):.0f}** | {max(total):.0f} |",
    ]
    if args.note:
        lines += ["", args.note]
    table = "\n".join(lines)
    print(table)
    if args.write_docs:
        doc = ROOT / "docs" / "performance.md"
        text = doc.read_text() if doc.exists() else "# Performance\n"
        block = f"{START}\n{table}\n{END}"
        if START in text:
            text = re.sub(
                re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S
            )
        else:
            text = text.rstrip() + "\n\n## Pages at scale (issue #9)\n\n" + block + "\n"
        doc.write_text(text)


if __name__ == "__main__":
    main()
