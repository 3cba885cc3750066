"""An XLSX is a zip of XML: a small upload can unpack to a sheet too big to parse. Such a
workbook is refused before openpyxl opens it, with an Italian message next to the file
field: by its unpacked size, by the compression ratio of a part, by the row count its
sheet declares (<dimension>) and by the <row> tags in its unpacked bytes (a sheet may
declare none, or lie); rows numbered past the limit are caught while streaming."""

import io
import zipfile
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from beneficiaries import models as b
from beneficiaries.imports.people import COLUMNS as PEOPLE_COLUMNS
from beneficiaries.imports.reading import read_table

pytestmark = pytest.mark.django_db

HEADER = [str(c.header) for c in PEOPLE_COLUMNS]
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http:'
        '//schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Persone" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def text_cell(value: str) -> str:
    return f'<c t="inlineStr"><is><t>{value}</t></is></c>'


def header_row() -> str:
    return '<row r="1">' + "".join(text_cell(h) for h in HEADER) + "</row>"


def write_workbook(target, rows, dimension: str | None = None, padding: int = 0) -> None:
    """A minimal XLSX written part by part, the way a spreadsheet program stores it;
    ``rows`` yields the <row> elements after the header, ``padding`` adds that many
    spaces (which compress to almost nothing) to the sheet."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'.encode()
            )
            if dimension:
                sheet.write(f'<dimension ref="{dimension}"/>'.encode())
            sheet.write(f"<sheetData>{header_row()}".encode())
            chunk = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode())
            sheet.write(b"</sheetData>")
            for _ in range(padding // 1_000_000):
                sheet.write(b" " * 1_000_000)
            sheet.write(b"</worksheet>")


def person_rows(count: int, start: int = 2):
    """Rows of a person each (surname, name, sex, a number), about 140 bytes of XML."""
    for n in range(start, start + count):
        yield (
            f'<row r="{n}">{text_cell("Rossi")}{text_cell("Anna")}'
            f"<c><v>{n % 97}</v></c><c><v>{n * 7 % 10007}</v></c></row>"
        )


def workbook_bytes(rows, dimension=None, padding=0) -> bytes:
    out = io.BytesIO()
    write_workbook(out, rows, dimension, padding)
    return out.getvalue()


@pytest.fixture(scope="session")
def huge_workbook(tmp_path_factory):
    """The workbook of the report: about 7.4 MB that unpack to 140 MB, a million rows,
    its size declared as A1:Z1000001. Built once per session (about 3 s)."""
    path = tmp_path_factory.mktemp("imports") / "un-milione-di-righe.xlsx"
    write_workbook(path, person_rows(1_000_000), dimension="A1:Z1000001")
    return path.read_bytes()


def upload(client, world, data):
    client.force_login(world.alice)
    return client.post(
        reverse("imports:import-start", args=["valle"]),
        {"kind": "persone", "file": SimpleUploadedFile("persone.xlsx", data)},
    )


def refused_before_parsing(client, world, data) -> str:
    """Upload ``data`` with openpyxl forbidden; return the error next to the file field."""
    people = b.Person.objects.count()
    with mock.patch.object(openpyxl, "load_workbook", side_effect=AssertionError("parsed")):
        response = upload(client, world, data)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert len(errors) == 1
    assert escape(errors[0]) in response.content.decode()
    assert b.Person.objects.count() == people
    return errors[0]


def test_the_huge_workbook_fits_the_upload_limit_but_not_the_unpacked_one(huge_workbook):
    archive = zipfile.ZipFile(io.BytesIO(huge_workbook))
    unpacked = sum(m.file_size for m in archive.infolist())
    assert 6_000_000 < len(huge_workbook) < 10 * 1024 * 1024  # IMPORT_MAX_BYTES
    assert 135_000_000 < unpacked < 145_000_000


def test_a_workbook_that_unpacks_to_140_mb_is_refused_before_it_is_parsed(
    client, world, huge_workbook
):
    message = refused_before_parsing(client, world, huge_workbook)
    assert message.startswith("Il file, una volta decompresso, occupa 13")
    assert "il limite è 100 MB" in message


def test_a_sheet_declaring_a_million_rows_is_refused_before_it_is_parsed(client, world):
    data = workbook_bytes(person_rows(10), dimension="A1:Z1000000")
    message = refused_before_parsing(client, world, data)
    assert message.startswith("Il file ha più di 50.000 righe di dati")


def test_a_part_that_expands_too_many_times_is_refused_before_it_is_parsed(client, world):
    data = workbook_bytes(person_rows(10), dimension="A1:Z11", padding=20_000_000)
    assert len(data) < 100_000  # 20 MB of XML in a few kilobytes
    message = refused_before_parsing(client, world, data)
    assert message.startswith("Il file è compresso in modo anomalo")


def test_blank_rows_of_a_sheet_without_dimension_are_counted_before_parsing(
    client, world, settings
):
    """No <dimension> (openpyxl would parse the whole sheet just to open it), then more
    blank rows than the limit allows, then one person: the rows are counted in the
    unpacked bytes first, blank ones included."""
    settings.IMPORT_MAX_ROWS = 50
    blank = (f'<row r="{n}">{text_cell("")}</row>' for n in range(2, 300))
    data = workbook_bytes([*blank, *person_rows(1, start=300)])
    message = refused_before_parsing(client, world, data)
    assert message == (
        "Il file ha più di 50 righe di dati: dividerlo in più file e importarli uno alla volta."
    )


def test_a_row_numbered_past_the_limit_is_refused_while_streaming(client, world, settings):
    """Two <row> elements, the second numbered 1000: few tags, but openpyxl reads the
    rows in between as blank ones, and they count."""
    settings.IMPORT_MAX_ROWS = 50
    data = workbook_bytes(person_rows(1, start=1000))
    response = upload(client, world, data)
    assert response.status_code == 200
    assert response.context["form"].errors["file"][0].startswith("Il file ha più di 50 righe")


def test_a_false_dimension_does_not_hide_the_rows(client, world, settings):
    """A sheet declaring A1:Z2 but holding 500 rows: openpyxl's read-only mode would stop
    at row 2 and the other rows would vanish without a word; they are read and counted."""
    settings.IMPORT_MAX_ROWS = 50
    data = workbook_bytes(person_rows(500), dimension="A1:Z2")
    assert refused_before_parsing(client, world, data).startswith("Il file ha più di 50 righe")

    settings.IMPORT_MAX_ROWS = 1000
    table = read_table(data)
    assert len(table.rows) == 500 and table.rows[-1][0] == 501


def test_a_workbook_within_the_limits_is_read(client, world, settings):
    """At the row limit, with its dimension declared: no false refusal (the rows then
    fail the people checks, which is the next step's business)."""
    settings.IMPORT_MAX_ROWS = 50
    data = workbook_bytes(person_rows(50), dimension="A1:Z51")
    response = upload(client, world, data)
    assert response.status_code == 302  # to the preview
