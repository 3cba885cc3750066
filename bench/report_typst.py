"""Another engine for the report's annex (issue #20, point 2): the annex written by Typst
against the same annex written by WeasyPrint, and WeasyPrint's blank floor, in one run.

The annex (the list of sessions) is two thirds of the report's time with WeasyPrint
(``bench/report.py --parts``). This script measures what the same annex costs with Typst,
tagged, as PDF/A-3a and PDF/UA-1 at once, so that the product owner can weigh a second PDF
engine against the targets. Typst is not a dependency of Quartieri: install it apart and
name that Python with ``--typst-python``::

    python3 -m venv /tmp/typst-venv && /tmp/typst-venv/bin/pip install typst==0.15.0
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartieri_scale \\
        .venv/bin/python bench/report_typst.py --project scala-100 \\
        --typst-python /tmp/typst-venv/bin/python

Each Typst render is a new process (no cache kept between renders, fonts read every time);
its own wall and CPU time of ``typst.compile`` are printed. The two PDFs' texts
(pdftotext) are compared: the same dates, hours and counts in the same order.
"""

from __future__ import annotations

import argparse
import html as html_module
import io
import json
import re
import shutil
import statistics
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

# bench/report.py sets Django up (local settings, DEBUG off, WeasyPrint's logging quiet)
# when imported, before the models below.
from report import ROOT, blank_once, frame_html, load, pdf_text, variant_once

from labs.models import Project  # noqa: E402
from reporting import pdf as report_pdf  # noqa: E402
from reporting.report_data import build_report_data  # noqa: E402
from reporting.templatetags.report_pdf import isodate, num  # noqa: E402

FONTS = ROOT / "static/vendor/bootstrap-italia/dist/fonts/Titillium_Web"
TYPST_SOURCE = Path(__file__).resolve().parent / "typst" / "annex.typ"
CHILD = """
import sys, time, typst
cpu, started = time.process_time(), time.perf_counter()
pdf = typst.compile("annex.typ", font_paths=["fonts"], ignore_system_fonts=True,
                    sys_inputs={"data": "annex.json"}, pdf_standards=["a-3a", "ua-1"])
print(time.perf_counter() - started, time.process_time() - cpu)
open("annex.pdf", "wb").write(pdf)
"""


def annex_html(html: str) -> str:
    """The report's HTML with its frame and its annex only (as WeasyPrint writes it)."""
    annex = '<section class="annex">' + html.split('<section class="annex">', 1)[1]
    return frame_html(html, 1).replace("<div></div></body></html>", annex)


def annex_json(context: dict, html: str) -> dict:
    """The annex's rows with the texts the HTML template writes."""
    states = context["states"]
    header = re.search(r'<div class="running-header[^>]*>(.*?)</div>', html).group(1)
    footer = re.search(r'<div class="running-footer">(.*?)</div>', html).group(1)
    footer = re.sub(r"<[^>]+>", "", footer)
    heading = re.search(r'<section class="annex">\s*<h2>(.*?)</h2>', html).group(1)
    note = re.search(r'<section class="annex">.*?<p class="note">(.*?)</p>', html, re.S).group(1)
    thead = html.split('<section class="annex">', 1)[1].split("</thead>")[0]
    columns = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", thead)
    groups = []
    for group in context["annex"]:
        title = (f"{group['axis']} · " if group["axis"] else "") + (
            f"{group['activity']} – {group['organisation']} ({len(group['sessions'])})"
        )
        rows = [
            [
                isodate(s["date"]),
                s["place"],
                str(states.get(s["state"], s["state"])),
                num(s["hours"]),
                num(s["named_attendees"]),
                num(s["head_count"]),
                "sì" if s["validated"] else "no",
                ", ".join(s["evidence"]) or "–",
            ]
            for s in group["sessions"]
        ]
        groups.append({"title": title, "rows": rows})
    return {
        "title": context["d"]["project"]["title"],
        "author": context["d"]["project"]["lead_organisation"],
        "header": html_module.unescape(header),
        "footer": html_module.unescape(footer),
        "heading": html_module.unescape(heading),
        "note": html_module.unescape(note),
        "columns": [html_module.unescape(c) for c in columns],
        "groups": groups,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default="scala-100")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--typst-python", required=True, help="a Python with typst installed")
    parser.add_argument("--out", type=Path, help="folder to keep both annexes' PDFs")
    args = parser.parse_args()

    project = Project.objects.get(slug=args.project)
    period = SimpleNamespace(
        start_date=project.start_date, end_date=project.end_date, name="Intero progetto"
    )
    data = build_report_data(project, period)
    with translation.override("it"):
        context = report_pdf.report_context(data, language="it")
    html = report_pdf.render_report_html(data)

    work = Path(tempfile.mkdtemp(prefix="typst-annex-"))
    (work / "fonts").mkdir()
    for font in FONTS.glob("*.woff2"):  # Typst reads TrueType/OpenType, not WOFF2
        ttf = TTFont(font)
        ttf.flavor = None
        ttf.save(work / "fonts" / (font.stem + ".ttf"))
    shutil.copy(TYPST_SOURCE, work / "annex.typ")
    shutil.copy(ROOT / "static/img/eu-emblem.svg", work / "eu-emblem.svg")
    (work / "annex.json").write_text(json.dumps(annex_json(context, html), ensure_ascii=False))

    weasy_html = annex_html(html)
    # Once untimed (the warm-up): the file to compare and its number of pages, for the floor.
    weasy_pdf = report_pdf.write(report_pdf.layout(report_pdf.html_document(weasy_html)))
    pages = int(_field(_pdfinfo(weasy_pdf), "Pages"))
    weasy, typst_runs, blanks, loads = [], [], [], []
    for i in range(args.repeat):
        loads.append(load())
        weasy.append(variant_once(weasy_html))
        result = subprocess.run(
            [args.typst_python, "-c", CHILD], cwd=work, capture_output=True, text=True, check=True
        )
        typst_runs.append(tuple(float(x) for x in result.stdout.split()))
        blanks.append(blank_once(pages))
        print(
            f"run {i + 1}: WeasyPrint annex {weasy[-1][0]:.2f} s (CPU {weasy[-1][1]:.2f}) · "
            f"Typst annex {typst_runs[-1][0]:.3f} s (CPU {typst_runs[-1][1]:.3f}) · "
            f"blank {blanks[-1][0]:.3f} s · load {loads[-1]:.2f}",
            flush=True,
        )
    loads.append(load())

    typst_pdf = (work / "annex.pdf").read_bytes()
    info_w, info_t = _pdfinfo(weasy_pdf), _pdfinfo(typst_pdf)
    text_w, text_t = pdf_text(weasy_pdf), pdf_text(typst_pdf)
    cells = re.compile(r"\d{2}/\d{2}/\d{4}|\d+,\d{2}")
    same = cells.findall(text_w) == cells.findall(text_t)
    floor = statistics.median(b[0] for b in blanks)
    floor_cpu = statistics.median(b[1] for b in blanks)

    def row(label, runs, pdf, info):
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        return (
            f"| {label} | {wall:.3f} | {cpu:.3f} | {wall / floor:.1f}× | "
            f"{_field(info, 'Pages')} | {_field(info, 'Tagged')} | {_identification(pdf)} |"
        )

    print()
    print(
        f"Annex of `{project.slug}` ({len(data['sessions']):,} sessions, "
        f"{sum(len(g['sessions']) for g in context['annex']) * 8:,} cells), "
        f"{args.repeat} runs; load average (1 min, 2 cores) {min(loads):.1f}–{max(loads):.1f}.\n"
    )
    print("| Engine | Median (s) | CPU (s) | / blank floor | Pages | Tagged | Identification |")
    print("|---|---:|---:|---:|---:|:-:|---|")
    print(row("WeasyPrint 70 (the report's annex)", weasy, weasy_pdf, info_w))
    print(row("Typst 0.14 (typst-py 0.15)", typst_runs, typst_pdf, info_t))
    print(f"| WeasyPrint blank floor | {floor:.3f} | {floor_cpu:.3f} | 1× | | | |")
    print(
        f"\nSame dates and hours in the same order in both texts: {'yes' if same else 'NO'} "
        f"({len(cells.findall(text_t)):,} values)."
    )
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "annex-weasyprint.pdf").write_bytes(weasy_pdf)
        (args.out / "annex-typst.pdf").write_bytes(typst_pdf)
    shutil.rmtree(work)


def _pdfinfo(pdf: bytes) -> str:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    return info.stdout.decode()


def _field(info: str, name: str) -> str:
    match = re.search(rf"^{name}:\s+(\S+)", info, re.M)
    return match.group(1) if match else "?"


def _identification(pdf: bytes) -> str:
    """The standards the file's XMP metadata declares (PDF/A part and level, PDF/UA part)."""
    metadata = PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Metadata"].get_object()
    xmp = metadata.get_data().decode("utf-8")
    parts = []
    for prefix, label in (("pdfaid", "PDF/A"), ("pdfuaid", "PDF/UA")):
        part = re.search(rf"{prefix}:part(?:>|=\")(\d)", xmp)
        level = re.search(rf"{prefix}:conformance(?:>|=\")([A-Za-z])", xmp)
        if part:
            parts.append(f"{label}-{part.group(1)}{level.group(1).lower() if level else ''}")
    return ", ".join(parts) or "none"


if __name__ == "__main__":
    main()
