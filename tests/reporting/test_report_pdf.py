"""The progress report PDF of every seed project: it renders as PDF/A, and the figures a
regional officer reads in it are those of the JSON export.

The demo data is loaded once for the module (outside the tests' transactions) and removed
at the end, as tests/reporting/test_seed_demo.py does.
"""

import io
import json
import re
import subprocess
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from pypdf import PdfReader

from labs.models import Project, ReportingPeriod, Session
from reporting import demo as demo_data
from reporting import exports
from reporting.pdf import LocalOnlyFetcher, render_report_pdf
from reporting.report_data import build_report_data, snapshot_sha256
from reporting.templatetags.report_pdf import num

pytestmark = pytest.mark.django_db

SLUGS = ["valverde", "trezzano-pirandello-fermi", "adda-martesana", "rica", "milo-lab"]
TARGET_LABELS = {
    "households": "Nuclei familiari raggiunti",
    "people": "Persone raggiunte",
    "participants": "Partecipanti FSE (percorsi avviati)",
    "hours": "Ore di attività svolte",
}


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        demo_data.delete_demo()


def busiest_period(slug: str) -> ReportingPeriod:
    """The project's period with the most sessions: the fullest report."""
    project = Project.objects.get(slug=slug)
    periods = list(project.periods.order_by("start_date"))

    def sessions(period):
        return Session.objects.filter(
            activity__project=project, date__range=(period.start_date, period.end_date)
        ).count()

    return max(periods, key=sessions)


def assert_pdf_a(pdf: bytes) -> None:
    """PDF/A-3a identification in the XMP metadata, an output intent, fonts embedded."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="A"' in xmp
    assert root["/OutputIntents"]
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=False
    ).stdout.decode()
    font_rows = fonts.splitlines()[2:]
    assert font_rows and all(" yes " in row for row in font_rows), fonts


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode("utf-8")


def last_numbers(lines: list[str], start: int, count: int) -> list[str]:
    """The ``count`` numbers that end the first line from ``start`` that ends with that
    many numbers (an indicator's label may wrap onto two or three lines)."""
    pattern = re.compile(r"\s" + r"\s+".join([r"(\d[\d.]*)"] * count) + r"\s*$")
    for line in lines[start : start + 4]:
        if match := pattern.search(line):
            return list(match.groups())
    raise AssertionError(f"no figures after: {lines[start]!r}")


@pytest.mark.parametrize("slug", SLUGS)
def test_report_pdf_shows_the_figures_of_the_json_export(slug):
    project = Project.objects.get(slug=slug)
    period = busiest_period(slug)
    data = build_report_data(project, period, narrative={"results": "Obiettivi in linea."})
    exported = json.loads(exports.report_json(data))
    figures = exported["data"]
    pdf = render_report_pdf(data)
    assert pdf.startswith(b"%PDF-")
    assert_pdf_a(pdf)
    text = pdf_text(pdf)
    flat = re.sub(r"\s+", " ", text)

    # The checksum of the data in the footer is the export's.
    assert exported["sha256"] == snapshot_sha256(data)
    assert exported["sha256"] in text
    assert project.cup in text and figures["period"]["name"] in text

    # Targets against what was reached.
    for key, label in TARGET_LABELS.items():
        t = figures["targets"][key]
        expected = rf"{re.escape(label)}\s+{re.escape(num(t['target']))}\s+"
        expected += rf"{re.escape(num(t['period']))}\s+{re.escape(num(t['cumulative']))}"
        assert re.search(expected, text), (slug, key, t)

    # Activities: the total of sessions held and hours.
    activities = figures["activities"]
    total = rf"Totale\s+{re.escape(num(activities['sessions_held']))}\s+"
    total += re.escape(num(activities["hours"]))
    assert re.search(total, text), (slug, activities["sessions_held"], activities["hours"])
    for axis in activities["by_axis"]:
        row = rf"{re.escape(axis['code'])}\s+.*?\s{axis['activities']}\s+"
        row += rf"{axis['sessions_held']}\s+{re.escape(num(axis['hours']))}"
        assert re.search(row, text), (slug, axis)

    # ESF indicators by sex, every one of them, and the participant counts.
    esf = figures["esf"]
    assert f"Partecipanti entrati nel periodo: {num(esf['participants_total'])}" in flat
    lines = text.splitlines()
    columns = [*esf["sexes"], "total"]
    for code, values in esf["indicators"].items():
        start = next(i for i, line in enumerate(lines) if re.match(rf"\s*{code}\s", line))
        shown = last_numbers(lines, start, len(columns))
        assert shown == [num(values[c]) for c in columns], (slug, code)

    # Residents' reports and arrears.
    reports = figures["resident_reports"]
    assert re.search(rf"{reports['opened']}\s+{reports['solved']}", text)
    end = figures["arrears"]["end"]
    assert re.search(rf"Fine periodo \(\d\d/\d\d/\d{{4}}\)\s+{end['households']}\s+€", text)

    # The annex lists every session of the period, one dated row each, no attendee's name.
    annex = text.split("Allegato – Elenco degli incontri del periodo", 1)[1]
    dated_rows = re.findall(r"^\s*\d\d/\d\d/\d{4}\s", annex, flags=re.M)
    assert len(dated_rows) == len(figures["sessions"])
    assert "Obiettivi in linea." in flat


# Text a project lead may type in a narrative section: printed as text, never markup.
MARKUP = "<script>alert(1)</script> <b>grassetto</b> & " + "x" * 5000


@pytest.fixture(scope="module")
def valverde(django_db_blocker):
    """Valverde's fullest report, rendered once in Italian for the tests that only read
    it: its data (with markup in the narrative), the PDF and the PDF's text."""
    with django_db_blocker.unblock():
        project = Project.objects.get(slug="valverde")
        data = build_report_data(project, busiest_period("valverde"), narrative={"results": MARKUP})
        pdf = render_report_pdf(data)
    return SimpleNamespace(project=project, data=data, pdf=pdf, text=pdf_text(pdf))


def test_report_pdf_has_no_names_or_tax_codes(valverde):
    from beneficiaries.models import Person

    text = valverde.text
    people = Person.objects.filter(
        Q(paths__project=valverde.project)
        | Q(attendances__session__activity__project=valverde.project)
    ).distinct()
    assert people.count() > 10
    for person in people:
        assert f"{person.first_name} {person.last_name}" not in text
        assert f"{person.last_name} {person.first_name}" not in text
        if person.tax_code:
            assert person.tax_code not in text


def test_narrative_markup_is_printed_as_text(valverde):
    flat = " ".join(valverde.text.split())
    assert "<script>alert(1)</script> <b>grassetto</b> &" in flat
    assert "x" * 40 in flat
    assert b"/JavaScript" not in valverde.pdf


def test_english_report():
    period = busiest_period("trezzano-pirandello-fermi")
    project = Project.objects.get(slug="trezzano-pirandello-fermi")
    data = build_report_data(project, period)
    text = pdf_text(render_report_pdf(data, language="en"))
    assert "Progress report" in text
    assert "ESF indicators by sex" in text
    assert "Unemployed, including long-term unemployed" in text
    assert "Relazione di avanzamento" not in text
    assert snapshot_sha256(data) in text


def test_budget_categories_follow_the_language_of_the_report(valverde):
    """Valverde has a budget: its categories read in English in the English PDF, while
    the data (and so its checksum) stays the same in both languages."""
    data = valverde.data
    italian = " ".join(valverde.text.split())
    english = " ".join(pdf_text(render_report_pdf(data, language="en")).split())
    for it, en in [("Personale", "Staff"), ("Costi indiretti", "Indirect costs")]:
        assert it in italian and en not in italian
        assert en in english and it not in english
    assert snapshot_sha256(data) in italian and snapshot_sha256(data) in english


def test_the_report_fetches_nothing_from_the_network():
    fetcher = LocalOnlyFetcher()
    for url in ("http://example.org/a.css", "https://fonts.example/x.woff2", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_projects_of_the_demo_have_sessions_in_their_busiest_period():
    """Guards the test above against an empty demo: every seed project reports activity."""
    counts = (
        Project.objects.filter(slug__in=SLUGS)
        .annotate(held=Count("activities__sessions", filter=Q(activities__sessions__state="held")))
        .values_list("slug", "held")
    )
    assert len(counts) == len(SLUGS)
    assert sum(held for _slug, held in counts) > 500


def structure(node, found: list) -> list:
    """The structure elements under ``node``, depth first: (type, alternative text, own
    header ID, IDs of the header cells it refers to)."""
    node = node.get_object()
    if "/S" in node:
        attributes = node.get("/A")
        headers = attributes.get_object().get("/Headers", []) if attributes else []
        found.append(
            (
                str(node["/S"]),
                str(node.get("/Alt", "")),
                str(node.get("/ID", "")),
                [str(h) for h in headers],
            )
        )
    kids = node.get("/K")
    if kids is None:
        return found
    kids = kids.get_object()
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object()
        if hasattr(kid, "get") and ("/S" in kid or "/K" in kid):
            structure(kid, found)
    return found


@pytest.mark.parametrize("language", ["it", "en"])
def test_report_pdf_is_tagged_for_a_screen_reader(language):
    """A screen reader gets the report's structure: its language, the headings in order,
    tables with header cells, charts with a text alternative and their data as a table,
    and a bookmark for each section."""
    project = Project.objects.get(slug="adda-martesana")
    data = build_report_data(project, busiest_period("adda-martesana"))
    pdf = render_report_pdf(data, language=language)
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert str(root["/Lang"]) == language

    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    assert re.search(r"^Tagged:\s+yes$", info.stdout.decode(), flags=re.M)

    elements = structure(root["/StructTreeRoot"], [])
    kinds = [kind for kind, *_rest in elements]
    headings = [kind for kind in kinds if kind in ("/H1", "/H2", "/H3")]
    assert headings[0] == "/H1" and headings.count("/H1") == 1
    assert headings.count("/H2") >= 8
    assert {"/Table", "/TR", "/TH", "/TD"} <= set(kinds)
    # Every data cell names its header cells, so a screen reader announces the column
    # (and, in chart 2's data, the row) of each figure; the annex's cells on every page.
    header_ids = {own for kind, _alt, own, _h in elements if kind == "/TH"}
    cells = [headers for kind, _alt, _own, headers in elements if kind == "/TD"]
    assert len(cells) > len(data["sessions"]) * 8
    assert all(headers and set(headers) <= header_ids for headers in cells)
    # Two headers: chart 2's monthly values (month and "Ore"), and the annex's dates
    # (column and group of sessions).
    assert sum(len(headers) == 2 for headers in cells) >= len(data["monthly_hours"])
    figures = [alt for kind, alt, *_rest in elements if kind == "/Figure"]
    # The cover's emblem and the two charts, each with its alternative text.
    assert len(figures) == 3 and all(figures), figures
    text = pdf_text(pdf)
    chart_data = "Dati del grafico 2" if language == "it" else "Chart 2 data"
    assert chart_data in text

    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    section = "Indicatori FSE per sesso" if language == "it" else "ESF indicators by sex"
    assert len(titles) == headings.count("/H2") and section in titles
