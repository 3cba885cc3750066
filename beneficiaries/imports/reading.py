"""Reading an uploaded spreadsheet into a header and rows of cells, refusing bad files.

XLSX is read with openpyxl in read-only mode; CSV may be UTF-8 (with or without BOM) or
Windows-1252, separated by commas or semicolons, as Italian offices export them.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
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


def _read_xlsx(data: bytes) -> Table:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(
            _("Il file non è un foglio di calcolo leggibile (XLSX o CSV).")
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = None
        body: list[tuple[int, list]] = []
        limit = max_rows()
        for number, cells in enumerate(rows, start=1):
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
