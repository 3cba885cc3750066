"""Reading an uploaded spreadsheet into a header and rows of cells, refusing bad files.

XLSX is read with openpyxl in read-only mode; CSV may be UTF-8 (with or without BOM) or
Windows-1252, separated by commas or semicolons, as Italian offices export them.

An XLSX is a zip of XML files, and a small upload can unpack to a huge sheet: before
openpyxl parses anything, check_workbook reads the zip's directory (unpacked sizes,
compression ratio of each part) and the sheet's declared dimension, so that an oversized
workbook is refused in a fraction of a second instead of after being parsed.
"""

import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The file cannot be imported at all; the message is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list]]  # (row number in the file, cells)


def max_rows() -> int:
    return int(getattr(settings, "IMPORT_MAX_ROWS", 50_000))


def max_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_BYTES", 10 * 1024 * 1024))


def max_unpacked_bytes() -> int:
    return int(getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024))


def max_compression_ratio() -> int:
    return int(getattr(settings, "IMPORT_MAX_COMPRESSION_RATIO", 100))


# Rows a sheet may have beyond the data rows: a title, the header, some blank lines.
EXTRA_SHEET_ROWS = 100
# Parts smaller than this are not judged by their compression ratio (a tiny XML part can
# compress a hundred times without harm).
RATIO_FLOOR_BYTES = 1024 * 1024


def max_sheet_rows() -> int:
    return max_rows() + EXTRA_SHEET_ROWS


def check_size(size: int) -> None:
    if size > max_bytes():
        raise ImportFileError(
            _("Il file è troppo grande (%(size)s MB): il limite è %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{max_bytes() / 1048576:.0f}"}
        )
    if size == 0:
        raise ImportFileError(_("Il file è vuoto."))


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _(
            "Il file ha più di %(n)s righe di dati: dividerlo in più file e importarli uno "
            "alla volta."
        )
        % {"n": f"{max_rows():,}".replace(",", ".")}
    )


def _formula_error(row: int, column: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Il file contiene formule (la prima alla riga %(row)d, colonna %(col)d): "
            "per sicurezza non sono accettate. Salvare una copia con i soli valori e riprovare."
        )
        % {"row": row, "col": column}
    )


def _unreadable() -> ImportFileError:
    return ImportFileError(_("Il file non è un foglio di calcolo leggibile (XLSX o CSV)."))


def _too_large_unpacked(size: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Il file, una volta decompresso, occupa %(size)s MB: il limite è %(limit)s MB. "
            "Dividerlo in più file e importarli uno alla volta."
        )
        % {
            "size": f"{size / 1048576:.0f}",
            "limit": f"{max_unpacked_bytes() / 1048576:.0f}",
        }
    )


def _is_blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_table(data: bytes) -> Table:
    """The header and the non-empty rows of the first sheet (or the CSV)."""
    check_size(len(data))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            _("Il vecchio formato .xls non è accettato: salvare il file come .xlsx o CSV.")
        )
    return _read_csv(data)


MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
ROW_TAG = re.compile(rb"<(?:\w{1,10}:)?row[\s>/]")
ROW_TAG_MAX_LENGTH = 16
DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=[\"']([A-Z]*\d+)(?::[A-Z]*(\d+))?[\"']")


def check_workbook(archive: zipfile.ZipFile) -> None:
    """Refuse a workbook that would be too big to parse, reading only the zip directory
    and the first bytes of the first sheet: the total unpacked size, the compression
    ratio of each large part (a zip bomb compresses a thousand times, a real sheet
    about twenty) and the last row of the sheet's declared dimension."""
    members = archive.infolist()
    unpacked = sum(m.file_size for m in members)
    if unpacked > max_unpacked_bytes():
        raise _too_large_unpacked(unpacked)
    for member in members:
        ratio = member.file_size // max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR_BYTES and ratio > max_compression_ratio():
            raise ImportFileError(
                _(
                    "Il file è compresso in modo anomalo (una sua parte si espande "
                    "%(ratio)s volte): non viene aperto. Salvarlo di nuovo dal programma "
                    "di calcolo e riprovare."
                )
                % {"ratio": number_format(ratio, force_grouping=True)}
            )
    sheet = _first_sheet_path(archive)
    if sheet is None:
        return  # openpyxl will say what is wrong
    with archive.open(sheet) as stream:
        head = stream.read(64 * 1024)
    found = DIMENSION.search(head)
    if found:
        last_row = int(found.group(2) or re.sub(rb"[A-Z]", b"", found.group(1)))
        if last_row > max_sheet_rows():
            raise _too_many_rows()
    _count_rows(archive, sheet)


def _count_rows(archive: zipfile.ZipFile, sheet: str) -> None:
    """Count the sheet's <row> elements in the unpacked bytes, without parsing XML,
    stopping past the limit. A sheet may declare no dimension (openpyxl then parses
    all of it just to open it) or a false one: this finds out first, at the speed of
    unzipping (about 0.5 s for 100 MB)."""
    limit = max_sheet_rows()
    seen = 0
    carry = b""
    with archive.open(sheet) as stream:
        while chunk := stream.read(1024 * 1024):
            block = carry + chunk
            # A tag may be cut at the end of the chunk: the last bytes go with the next
            # one, and the tags that start in them are counted there.
            tail = max(len(block) - ROW_TAG_MAX_LENGTH, 0)
            seen += len(ROW_TAG.findall(block)) - len(ROW_TAG.findall(block, tail))
            carry = block[tail:]
            if seen > limit:
                raise _too_many_rows()
    if seen + len(ROW_TAG.findall(carry)) > limit:
        raise _too_many_rows()


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet, the one openpyxl reads as worksheets[0]."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return None
    first = book.find(f"{MAIN_NS}sheets/{MAIN_NS}sheet")
    if first is None:
        return None
    rel_id = first.get(f"{REL_NS}id")
    for rel in rels.iter(f"{PKG_REL_NS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            return path if path in archive.namelist() else None
    return None


def _read_xlsx(data: bytes) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_workbook(archive)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, RuntimeError, NotImplementedError):
        # RuntimeError: an encrypted part; NotImplementedError: an unknown compression.
        raise _unreadable() from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(
            _("Il file non è un foglio di calcolo leggibile (XLSX o CSV).")
        ) from None
    try:
        sheet = book.worksheets[0]
        # In read-only mode openpyxl stops at the declared dimension: a sheet declaring
        # A1:Z2 would silently lose its other rows. Read what is there; the rows are
        # counted below.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = None
        body: list[tuple[int, list]] = []
        limit = max_rows()
        sheet_limit = max_sheet_rows()
        for number, cells in enumerate(rows, start=1):
            # Blank rows count too: a sheet without a dimension, or with a false one,
            # is stopped here while streaming.
            if number > sheet_limit:
                raise _too_many_rows()
            cells = list(cells)
            for col, value in enumerate(cells, start=1):
                # In the formula-preserving load a formula cell reads as "=...".
                if isinstance(value, str) and value.startswith("="):
                    raise _formula_error(number, col)
            if _is_blank(cells):
                continue
            if header is None:
                header = [str(c).strip() if c is not None else "" for c in cells]
                continue
            body.append((number, cells))
            if len(body) > limit:
                raise _too_many_rows()
    except ImportFileError:
        raise
    except Exception:  # a damaged archive inside a valid zip
        raise ImportFileError(
            _("Il file non è un foglio di calcolo leggibile (XLSX o CSV).")
        ) from None
    finally:
        book.close()
    if header is None:
        raise ImportFileError(_("Il file non contiene righe: manca l'intestazione."))
    return Table(header=header, rows=body)


def _decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise ImportFileError(_("Il file non è un foglio di calcolo leggibile (XLSX o CSV)."))
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("Il file di testo non è in UTF-8 né in Windows-1252: salvarlo come CSV UTF-8.")
        ) from None


def _read_csv(data: bytes) -> Table:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first_line.count)
    if first_line.count(delimiter) == 0:
        raise ImportFileError(
            _(
                "Il file non sembra un foglio di calcolo: la prima riga deve contenere "
                "l'intestazione delle colonne, separate da punto e virgola o virgola."
            )
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = None
    body: list[tuple[int, list]] = []
    limit = max_rows()
    try:
        for number, cells in enumerate(reader, start=1):
            for col, value in enumerate(cells, start=1):
                if value.startswith("="):
                    raise _formula_error(number, col)
            if _is_blank(cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            body.append((number, cells))
            if len(body) > limit:
                raise _too_many_rows()
    except csv.Error:
        raise ImportFileError(
            _("Il file CSV non è leggibile: controllare separatori e virgolette.")
        ) from None
    if header is None:
        raise ImportFileError(_("Il file non contiene righe: manca l'intestazione."))
    return Table(header=header, rows=body)
