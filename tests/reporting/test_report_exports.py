"""The report's figures as XLSX, CSV and JSON, the pseudonymised participant export for the
Region, the download views and the ``progress_report`` command."""

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from labs.models import ReportingPeriod, SessionEvidence
from reporting import exports
from reporting.report_data import build_report_data, snapshot_sha256
from tests import factories as f

EXPORTS = ("xlsx", "csv", "json")

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil")', "+1+2", "-3+cmd|' /C calc'!A0", "@SUM(A1)"]


@pytest.fixture
def period(world):
    return ReportingPeriod.objects.create(
        project=world.a,
        name="I semestre 2019",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )


@pytest.fixture
def hostile(world, period, settings, tmp_path):
    """Names a spreadsheet would run as formulas, in every kind of text the exports carry:
    a partner, an activity, a lab (the place of a session), an evidence file name."""
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    world.aurora.name = FORMULAS[0]
    world.aurora.save()
    world.sewing.name = FORMULAS[1]
    world.sewing.save()
    world.lab.name = FORMULAS[2]
    world.lab.save()
    SessionEvidence.objects.create(
        session=world.session,
        kind="photo",
        original_name=FORMULAS[3] + ".jpg",
        file=ContentFile(b"jpg", name="x.jpg"),
        uploaded_by=world.paolo,
    )
    world.session.state = "held"
    world.session.save()
    return world


def _text_cells_are_safe(values):
    for value in values:
        if isinstance(value, str) and value:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_csv_and_xlsx_neutralise_formulas_in_every_cell(hostile, period):
    data = build_report_data(hostile.a, period)
    text = exports.report_csv(data).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    _text_cells_are_safe(v for row in rows for v in row)
    assert any(FORMULAS[0] in v for row in rows for v in row)  # kept, made harmless
    assert any(v == "'" + FORMULAS[0] for row in rows for v in row)

    workbook = load_workbook(io.BytesIO(exports.report_xlsx(data)))
    cells = [c for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row]
    _text_cells_are_safe(cells)
    for formula in FORMULAS:
        assert any(isinstance(c, str) and formula in c for c in cells), formula
    # No cell is stored as a formula either.
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_participant_export_neutralises_formulas(world, period):
    world.axis.code = "=A1"
    world.axis.save()
    text = exports.participants_csv(world.a, period.start_date, period.end_date).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    _text_cells_are_safe(v for row in rows for v in row)
    assert rows[1][1] == "'=A1"


def test_xlsx_csv_json_carry_the_same_figures(world, period):
    data = build_report_data(world.a, period)
    figures = exports.figure_rows(data)
    csv_rows = list(
        csv.reader(io.StringIO(exports.report_csv(data).decode("utf-8-sig")), delimiter=";")
    )
    assert tuple(csv_rows[0]) == exports.FIGURE_HEADER
    assert len(csv_rows) == len(figures) + 1
    payload = json.loads(exports.report_json(data))
    assert payload["sha256"] == snapshot_sha256(data) == snapshot_sha256(payload["data"])
    assert payload["data"] == data
    sheet = load_workbook(io.BytesIO(exports.report_xlsx(data))).worksheets[0]
    xlsx_rows = list(sheet.iter_rows(min_row=2, values_only=True))
    by_key = {(r[0], r[1], r[2] or ""): r[3] for r in xlsx_rows}
    # The sessions held and their hours, the ESF participants: the same in all three.
    held = by_key[("attivita", "totale", "sessions_held")]
    assert held == data["activities"]["sessions_held"] == 2  # both sessions of May 2019
    assert ["attivita", "totale", "sessions_held", str(held)] in csv_rows
    hours = by_key[("attivita", "totale", "hours")]
    assert Decimal(str(hours)) == Decimal(data["activities"]["hours"]) > 0
    assert by_key[("fse", "participants_total", "")] == data["esf"]["participants_total"] == 1


def test_report_data_has_no_names_or_tax_codes_and_a_stable_checksum(world, period):
    first = build_report_data(world.a, period, narrative={"context": "Avvio."})
    again = build_report_data(world.a, period, narrative={"context": "Avvio."})
    assert snapshot_sha256(first) == snapshot_sha256(again)
    assert snapshot_sha256(first) != snapshot_sha256(
        build_report_data(world.a, period, narrative={"context": "Altro."})
    )
    text = json.dumps(first)
    for person in (world.maria, world.giulia, world.carla):
        assert person.last_name not in text
        assert person.first_name not in text
        if person.tax_code:
            assert person.tax_code not in text
    assert first["esf"]["participants_total"] == 1
    assert set(first["esf"]["indicators"]["CO01"]) == {"men", "women", "total"}


def test_esf_plus_indicators_have_three_sexes(world, period):
    programme = world.a.programme
    programme.indicator_set = "esf_plus_2021_2027"
    programme.save()
    world.a.refresh_from_db()
    data = build_report_data(world.a, period)
    first = next(iter(data["esf"]["indicators"].values()))
    assert set(first) == {"men", "women", "non_binary", "total"}


def test_pseudonymised_export_has_no_personal_data_and_stable_pseudonyms(world, period):
    # Maria is on a path in both projects: one pseudonym, in every export.
    f.PathFactory(person=world.maria, project=world.b, entry_date=dt.date(2019, 2, 1))
    f.PathFactory(person=world.giulia, project=world.a, entry_date=dt.date(2019, 3, 1))
    content = exports.participants_csv(world.a, period.start_date, period.end_date)
    text = content.decode("utf-8-sig")
    for person in (world.maria, world.giulia):
        for value in (person.first_name, person.last_name, person.tax_code, person.phone):
            if value:
                assert value not in text
        assert person.birth_date.strftime("%d/%m/%Y") not in text
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2  # one per path
    pseudonyms = {r["pseudonimo"] for r in rows}
    assert pseudonyms == {exports.pseudonym(world.maria.pk), exports.pseudonym(world.giulia.pk)}
    assert all(len(p) == exports.PSEUDONYM_LENGTH for p in pseudonyms)
    assert exports.pseudonym(world.maria.pk) != str(world.maria.pk)
    # The same person, the same pseudonym, in another project's export and another run.
    other = exports.participants_csv(world.b).decode("utf-8-sig")
    assert exports.pseudonym(world.maria.pk) in other
    assert exports.participants_csv(world.a, period.start_date, period.end_date) == content
    maria = next(r for r in rows if r["pseudonimo"] == exports.pseudonym(world.maria.pk))
    assert maria["eta_all_ingresso"] in {"30-54", "25-29", "55-64"}
    assert maria["sesso"] == "F"


def test_pseudonym_depends_on_the_secret(world, settings):
    before = exports.pseudonym(world.maria.pk)
    settings.REPORT_PSEUDONYM_SECRET = "another secret of the Region's export"
    assert exports.pseudonym(world.maria.pk) != before


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_lead_downloads_each_format(client, world, period, fmt):
    client.force_login(world.alice)
    url = reverse(
        "reporting:report-export", kwargs={"project": "valle", "period": period.pk, "format": fmt}
    )
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "json":
        assert json.loads(response.content)["data"]["project"]["slug"] == "valle"


def test_unknown_format_and_partner_operator_get_404(client, world, period):
    client.force_login(world.alice)
    kwargs = {"project": "valle", "period": period.pk}
    bad = reverse("reporting:report-export", kwargs={**kwargs, "format": "exe"})
    assert client.get(bad).status_code == 404
    client.force_login(world.paolo)
    assert client.get(reverse("reporting:report-participants", kwargs=kwargs)).status_code == 404


def test_participant_download_is_the_pseudonymised_csv(client, world, period):
    client.force_login(world.alice)
    response = client.get(
        reverse("reporting:report-participants", kwargs={"project": "valle", "period": period.pk})
    )
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert exports.pseudonym(world.maria.pk) in text
    assert "Rossi" not in text and "Maria" not in text


@pytest.mark.parametrize("fmt", ["pdf", "xlsx", "csv", "json", "participants-csv"])
def test_command_writes_each_format(world, period, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    stdout = io.StringIO()
    call_command(
        "progress_report", "valle", "--period", "2019-01-01:2019-06-30", "--format", fmt,
        "--output", str(out), stdout=stdout,
    )  # fmt: skip
    content = out.read_bytes()
    assert str(out) in stdout.getvalue()
    if fmt == "pdf":
        assert content.startswith(b"%PDF-")
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(content)).sheetnames[0] == "Cifre"
    elif fmt == "json":
        payload = json.loads(content)
        assert payload["sha256"] == snapshot_sha256(build_report_data(world.a, period))
        assert payload["sha256"] in stdout.getvalue()
    else:
        assert content.decode("utf-8-sig").startswith("sezione;" if fmt == "csv" else "pseudonimo;")


def test_command_in_english_and_bad_input(world, period, tmp_path):
    out = tmp_path / "report.xlsx"
    call_command(
        "progress_report", "valle", "--period", "2019-01-01:2019-06-30", "--format", "xlsx",
        "--language", "en", "--output", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    assert load_workbook(out).sheetnames[0] == "Figures"
    with pytest.raises(CommandError, match="Periodo non valido"):
        call_command("progress_report", "valle", "--period", "2019-13-01:2019-06-30",
                     "--output", str(out))  # fmt: skip
    with pytest.raises(CommandError, match="Nessun progetto"):
        call_command("progress_report", "nessuno", "--period", "2019-01-01:2019-06-30",
                     "--output", str(out))  # fmt: skip


REPORT_QUERIES = 54


def test_report_data_runs_a_constant_number_of_queries(
    world, period, django_assert_max_num_queries
):
    """More sessions, evidence and paths do not add queries. 54: the figures, the
    repayment plans (3), the placements and the partnership rules (issue 15)."""
    with django_assert_max_num_queries(REPORT_QUERIES):
        build_report_data(world.a, period)
    for day in range(1, 20):
        f.SessionFactory(activity=world.desk, date=dt.date(2019, 3, day), state="held")
    f.PathFactory(person=world.giulia, project=world.a, entry_date=dt.date(2019, 2, 1))
    with django_assert_max_num_queries(REPORT_QUERIES):
        data = build_report_data(world.a, period)
    assert data["activities"]["sessions_held"] >= 21


def test_the_period_page_links_every_download_for_the_lead_only(client, world, period):
    """A lead finds the figures (XLSX, CSV, JSON) and the pseudonymised participants on
    the period's page, and each link gives its file; the Region, who may open the page
    for the submitted versions, gets no link to downloads it may not have."""
    page = reverse("reporting:report-period", args=["valle", period.pk])
    client.force_login(world.alice)
    html = client.get(page).content.decode()
    links = re.findall(r'href="([^"]+)" download>', html)
    kwargs = {"project": "valle", "period": period.pk}
    assert links == [
        *(reverse("reporting:report-export", kwargs={**kwargs, "format": fmt}) for fmt in EXPORTS),
        reverse("reporting:report-participants", kwargs=kwargs),
    ]
    for link in links:
        response = client.get(link)
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    client.force_login(world.rita)
    html = client.get(page).content.decode()
    assert client.get(page).status_code == 200 and " download>" not in html
    assert all(client.get(link).status_code == 404 for link in links)
