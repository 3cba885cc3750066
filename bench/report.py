"""Progress report PDF benchmark (issue #20, point 2): the time to write the report of one
project, step by step, against the floor of a blank PDF/A-3a with as many pages, measured
in the same run (so that the ratio holds on a busy machine).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartieri_scale \\
        .venv/bin/python bench/report.py --project scala-100 --repeat 7
    DATABASE_URL=sqlite:///demo.sqlite3 .venv/bin/python bench/report.py \\
        --project adda-martesana --repeat 7

The report is the whole project period (as bench/pages.py). Each run renders the report and
then the blank document; the load average (1 minute) is printed next to every time, since
the absolute figures mean little on a shared machine. ``--out DIR`` keeps the PDF, its text
(pdftotext -layout) and the data checksum, to compare the content before and after a change;
``--profile`` prints where one render spends its time; ``--compare`` also renders, in every
run, with WeasyPrint's own user-agent stylesheet (the report before issue #20, saying
whether the bytes are the same) and untagged as PDF/A-3b (what the tags cost); ``--parts``
also renders, in every run, the report without its annex, without its annex and charts, and
a document of as many pages holding only the report's stylesheet, running header and
footer: what the content the funder asks for costs before the annex;
``--write-docs`` puts the table into docs/report-pdf.md.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

import logging  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.WARNING)

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from docs_block import write_block  # noqa: E402  (bench/, this script's folder)

from labs.models import Project  # noqa: E402
from reporting import pdf as report_pdf  # noqa: E402
from reporting.report_data import build_report_data, snapshot_sha256  # noqa: E402

STEPS = ["html", "parse", "layout", "write"]


def load() -> float:
    return os.getloadavg()[0]


def blank_html(pages: int) -> str:
    """A document of ``pages`` blank A4 pages, no stylesheet, no text: WeasyPrint's fixed
    cost for a tagged PDF/A-3a of that length (the floor of the issue)."""
    breaks = '<div style="break-after: page"></div>' * (pages - 1)
    return (
        '<!DOCTYPE html><html lang="it"><head><meta charset="utf-8"><title>Vuoto</title>'
        "</head><body>" + breaks + "<div></div></body></html>"
    )


def plain_document(html: str):
    """The report as before issue #20: WeasyPrint's HTML with its own user-agent
    stylesheet (``--compare``)."""
    from weasyprint import HTML

    return HTML(
        string=html,
        base_url=report_pdf.STATIC_ROOT_DIR.as_uri() + "/",
        url_fetcher=report_pdf.LocalOnlyFetcher(),
    )


def untagged_once(data: dict) -> tuple[float, float]:
    """Wall and CPU seconds of the same report as PDF/A-3b: what the tags cost."""
    cpu = time.process_time()
    started = time.perf_counter()
    document = report_pdf.html_document(report_pdf.render_report_html(data))
    document.render(pdf_variant="pdf/a-3b").write_pdf(pdf_variant="pdf/a-3b")
    return time.perf_counter() - started, time.process_time() - cpu


def frame_html(html: str, pages: int) -> str:
    """The report's head, running header and footer on ``pages`` pages with nothing else:
    the fixed cost of a page of the report (fonts, the emblem in the header, the footer's
    checksum and page number)."""
    head, _, body = html.partition("<body>")
    frame = body.split('<section class="cover">', 1)[0]
    breaks = '<div style="break-after: page"></div>' * (pages - 1)
    return head + "<body>" + frame + breaks + "<div></div></body></html>"


def variant_once(html: str) -> tuple[float, float]:
    """Wall and CPU seconds of writing ``html`` as the report is written."""
    cpu = time.process_time()
    started = time.perf_counter()
    report_pdf.write(report_pdf.layout(report_pdf.html_document(html)))
    return time.perf_counter() - started, time.process_time() - cpu


def parts_once(data: dict, pages: int) -> dict[str, tuple[float, float]]:
    """The report without its annex; without its annex and charts (HTML written as the
    report's, charts and template included); the frame alone."""
    from unittest import mock

    times = {}
    no_annex = {**data, "sessions": []}
    cpu, started = time.process_time(), time.perf_counter()
    report_pdf.render_report_pdf(no_annex)
    times["no_annex"] = (time.perf_counter() - started, time.process_time() - cpu)
    with mock.patch.object(report_pdf, "_charts", return_value={}):
        cpu, started = time.process_time(), time.perf_counter()
        report_pdf.render_report_pdf(no_annex)
        times["no_annex_no_charts"] = (time.perf_counter() - started, time.process_time() - cpu)
    times["frame"] = variant_once(frame_html(report_pdf.render_report_html(data), pages))
    return times


PART_LABELS = {
    "no_annex": "Same report without the annex (sessions list)",
    "no_annex_no_charts": "Without the annex and the two charts",
    "frame": "Only the report's stylesheet, running header and footer, same pages",
}


def report_once(data: dict, document_class=None) -> tuple[bytes, dict]:
    times = {}
    cpu = time.process_time()
    started = time.perf_counter()
    html = report_pdf.render_report_html(data)
    times["html"] = time.perf_counter() - started
    step = time.perf_counter()
    document = (document_class or report_pdf.html_document)(html)
    times["parse"] = time.perf_counter() - step
    step = time.perf_counter()
    rendered = report_pdf.layout(document)
    times["layout"] = time.perf_counter() - step
    step = time.perf_counter()
    pdf = report_pdf.write(rendered)
    times["write"] = time.perf_counter() - step
    times["total"] = time.perf_counter() - started
    times["cpu"] = time.process_time() - cpu
    times["pages"] = len(rendered.pages)
    return pdf, times


def blank_once(pages: int) -> tuple[float, float]:
    """Wall and CPU seconds of the blank document."""
    cpu = time.process_time()
    started = time.perf_counter()
    report_pdf.write(report_pdf.layout(report_pdf.html_document(blank_html(pages))))
    return time.perf_counter() - started, time.process_time() - cpu


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", help="slug; default: the project with most households")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path, help="folder for report.pdf, report.txt, sha256")
    parser.add_argument("--profile", action="store_true", help="profile one more render")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also render with WeasyPrint's own user-agent stylesheet in every run",
    )
    parser.add_argument(
        "--parts",
        action="store_true",
        help="also render the report without annex, without annex and charts, and its frame",
    )
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()

    if args.project:
        project = Project.objects.get(slug=args.project)
    else:
        project = Project.objects.annotate(n=Count("households")).order_by("-n", "-pk").first()
    period = SimpleNamespace(
        start_date=project.start_date, end_date=project.end_date, name="Intero progetto"
    )
    started = time.perf_counter()
    data = build_report_data(project, period)
    data_seconds = time.perf_counter() - started
    checksum = snapshot_sha256(data)

    pdf, first = report_once(data)  # warm-up: imports, fonts, templates
    blank_once(first["pages"])
    runs, blanks, loads, plain, untagged, parts = [], [], [], [], [], []
    for i in range(args.repeat):
        loads.append(load())
        pdf, times = report_once(data)
        blank = blank_once(times["pages"])
        runs.append(times)
        blanks.append(blank)
        if args.parts:
            parts.append(parts_once(data, times["pages"]))
            print(
                f"run {i + 1}, parts: "
                + " · ".join(f"{k} {v[0]:.2f} s (CPU {v[1]:.2f})" for k, v in parts[-1].items()),
                flush=True,
            )
        if args.compare:
            plain_pdf, plain_times = report_once(data, plain_document)
            plain.append(plain_times)
            same = "same bytes" if plain_pdf == pdf else "DIFFERENT bytes"
            untagged.append(untagged_once(data))
            print(
                f"run {i + 1}, WeasyPrint's own UA stylesheet: {plain_times['total']:.2f} s "
                f"(CPU {plain_times['cpu']:.2f}), {same}; untagged PDF/A-3b: "
                f"{untagged[-1][0]:.2f} s (CPU {untagged[-1][1]:.2f})",
                flush=True,
            )
        print(
            f"run {i + 1}: report {times['total']:.2f} s (CPU {times['cpu']:.2f}) "
            + " ".join(f"{k} {times[k]:.2f}" for k in STEPS)
            + f" · blank {blank[0]:.3f} s (CPU {blank[1]:.3f}) · load {loads[-1]:.2f}",
            flush=True,
        )
    loads.append(load())

    median = statistics.median(r["total"] for r in runs)
    median_cpu = statistics.median(r["cpu"] for r in runs)
    floor = statistics.median(b[0] for b in blanks)
    floor_cpu = statistics.median(b[1] for b in blanks)
    lines = [
        f"`{project.slug}` ({len(data['sessions']):,} sessions in the annex, "
        f"{first['pages']} pages; database `{settings.DATABASES['default']['NAME']}`, "
        f"{connection.vendor}), whole project period, {args.repeat} runs after one warm-up. "
        f"Load average (1 min, 2 cores) during the runs: {min(loads):.1f}–{max(loads):.1f}.",
        "",
        "| Step | Median (s) | Max (s) |",
        "|---|---:|---:|",
        f"| build_report_data (once, not in the PDF time) | {data_seconds:.2f} | |",
    ]
    labels = {
        "html": "HTML: charts and template",
        "parse": "HTML parsing",
        "layout": "Style and layout (WeasyPrint render)",
        "write": "Drawing, fonts, tags, PDF file (write_pdf)",
    }
    for step in STEPS:
        values = [r[step] for r in runs]
        lines.append(f"| {labels[step]} | {statistics.median(values):.2f} | {max(values):.2f} |")
    lines += [
        f"| **render_report_pdf** | **{median:.2f}** | {max(r['total'] for r in runs):.2f} |",
        f"| render_report_pdf, CPU time of the process | {median_cpu:.2f} "
        f"| {max(r['cpu'] for r in runs):.2f} |",
        f"| Blank PDF/A-3a of {first['pages']} pages (floor) | {floor:.3f} "
        f"| {max(b[0] for b in blanks):.3f} |",
        f"| Blank PDF/A-3a, CPU time | {floor_cpu:.3f} | {max(b[1] for b in blanks):.3f} |",
    ]
    if plain:
        plain_median = statistics.median(p["total"] for p in plain)
        plain_cpu = statistics.median(p["cpu"] for p in plain)
        lines += [
            f"| Before: WeasyPrint's own user-agent stylesheet, same runs | {plain_median:.2f} "
            f"| {max(p['total'] for p in plain):.2f} |",
            f"| Before, CPU time | {plain_cpu:.2f} | {max(p['cpu'] for p in plain):.2f} |",
            f"| Same report untagged (PDF/A-3b: no structure tree), same runs "
            f"| {statistics.median(u[0] for u in untagged):.2f} "
            f"| {max(u[0] for u in untagged):.2f} |",
            f"| Untagged, CPU time | {statistics.median(u[1] for u in untagged):.2f} "
            f"| {max(u[1] for u in untagged):.2f} |",
        ]
    for key, label in PART_LABELS.items() if parts else ():
        wall = statistics.median(p[key][0] for p in parts)
        cpu_part = statistics.median(p[key][1] for p in parts)
        lines.append(
            f"| {label} | {wall:.2f} ({wall / floor:.0f}× the floor) "
            f"| {max(p[key][0] for p in parts):.2f} |"
        )
        lines.append(
            f"| {label}, CPU time | {cpu_part:.2f} ({cpu_part / floor_cpu:.0f}× the floor) "
            f"| {max(p[key][1] for p in parts):.2f} |"
        )
    lines += [
        "",
        f"Report / floor: **{median / floor:.1f}×** (CPU time: {median_cpu / floor_cpu:.1f}×). "
        f"Data checksum `{checksum}`.",
    ]
    table = "\n".join(lines)
    print()
    print(table)

    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "report.pdf").write_bytes(pdf)
        (args.out / "report.txt").write_text(pdf_text(pdf))
        (args.out / "sha256").write_text(checksum + "\n")
        print(
            f"\nWritten to {args.out}: report.pdf (sha256 of the file "
            f"{hashlib.sha256(pdf).hexdigest()[:12]}…), report.txt, sha256"
        )

    if args.profile:
        profile = cProfile.Profile()
        profile.runcall(report_pdf.render_report_pdf, data)
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())

    if args.write_docs:
        write_block(
            ROOT / "docs" / "report-pdf.md",
            f"<!-- bench:report:{project.slug}:start -->",
            f"<!-- bench:report:{project.slug}:end -->",
            table,
        )


if __name__ == "__main__":
    main()
