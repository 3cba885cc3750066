"""The shared machinery of every import: columns, cell parsers, the preview and the
all-or-nothing save."""

import datetime as dt
import logging
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from labs import access

from .reading import ImportFileError, Table, read_table

logger = logging.getLogger(__name__)


class RowProblem(Exception):
    """A cell that cannot be read; the message is for the user."""


@dataclass
class Column:
    key: str
    header: str
    required: bool = False
    help: str = ""


@dataclass
class Row:
    number: int
    cells: dict
    problems: list[str] = field(default_factory=list)
    action: str = ""  # "create" or "update"
    label: str = ""
    data: dict = field(default_factory=dict)

    @property
    def action_display(self) -> str:
        return {"create": _("nuovo"), "update": _("aggiorna")}.get(self.action, "")


@dataclass
class Preview:
    kind: str
    rows: list[Row]
    state: dict = field(default_factory=dict)

    @property
    def problem_rows(self) -> list[Row]:
        return [r for r in self.rows if r.problems]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problem_rows

    @property
    def creates(self) -> int:
        return sum(1 for r in self.rows if r.action == "create" and not r.problems)

    @property
    def updates(self) -> int:
        return sum(1 for r in self.rows if r.action == "update" and not r.problems)


class ImportRefused(Exception):
    """Nothing was saved; the message is for the user."""

    def __init__(self, message: str, preview: Preview | None = None):
        super().__init__(message)
        self.message = message
        self.preview = preview


def key(text) -> str:
    """Header or name comparison key: no accents, no case, single spaces."""
    text = str(text or "")
    if text.isascii():
        return " ".join(text.replace("*", " ").split()).casefold()
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("*", " ").split()).casefold()


# --- cell parsers ---------------------------------------------------------------------


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    if not raw:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    raise RowProblem(_("«%(v)s» non è una data (gg/mm/aaaa).") % {"v": raw})


def parse_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    raw = text(value).replace(" ", "")
    if not raw:
        return None
    if "," in raw:
        raw = raw.replace(".", "").replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():  # NaN, Infinity: not numbers for us
        raise RowProblem(_("«%(v)s» non è un numero.") % {"v": text(value)})
    return number


def parse_int(value) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise RowProblem(_("«%(v)s» non è un numero intero.") % {"v": text(value)})
    return int(number)


YES = {"si", "s", "yes", "y", "vero", "true", "1", "x"}  # "sì" reads as "si"
NO = {"no", "n", "falso", "false", "0"}


def parse_bool(value) -> bool | None:
    if isinstance(value, bool):
        return value
    raw = key(text(value))
    if not raw:
        return None
    if raw in YES:
        return True
    if raw in NO:
        return False
    raise RowProblem(_("«%(v)s»: rispondere sì o no.") % {"v": text(value)})


_CHOICE_MAPS: dict[tuple, dict[str, str]] = {}


def _choice_map(choices) -> dict[str, str]:
    """Code and label keys -> code, built once per set of choices and language."""
    pairs = list(choices)
    cache_key = (tuple(code for code, _label in pairs), translation.get_language())
    found = _CHOICE_MAPS.get(cache_key)
    if found is None:
        found = {}
        for code, label in pairs:
            found.setdefault(key(label), code)
            found[key(code)] = code
        _CHOICE_MAPS[cache_key] = found
    return found


def parse_choice(value, choices) -> str:
    """A choice given by its code or by its Italian label (accents and case ignored)."""
    raw = text(value)
    if not raw:
        return ""
    code = _choice_map(choices).get(key(raw))
    if code is not None:
        return code
    valid = "; ".join(str(label) for code, label in choices if code not in ("", None))
    raise RowProblem(
        _("«%(v)s» non è tra i valori ammessi (%(valid)s).") % {"v": raw, "valid": valid}
    )


def messages_of(error: ValidationError, labels: dict[str, str]) -> list[str]:
    out = []
    for name, messages in error.message_dict.items():
        label = labels.get(name, "")
        for message in messages:
            out.append(f"{label}: {message}" if label else str(message))
    return out


# --- the base importer -----------------------------------------------------------------


class Importer:
    kind: str = ""
    title: str = ""
    # What the user must be able to do in the project to run this import.
    capability: str = "people.change"
    sheet_help: str = ""
    columns: list[Column] = []

    def __init__(self, *, project, actor):
        self.project = project
        self.actor = actor

    # reading
    def map_header(self, header: list[str]) -> dict[str, int]:
        # Headers of a template downloaded in any of the portal's languages.
        wanted = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                wanted.update({key(c.header): c for c in self.columns})
        positions: dict[str, int] = {}
        for index, name in enumerate(header):
            column = wanted.get(key(name))
            if column and column.key not in positions:
                positions[column.key] = index
        missing = [str(c.header) for c in self.columns if c.required and c.key not in positions]
        if missing:
            raise ImportFileError(
                _("Mancano colonne obbligatorie nell'intestazione: %(cols)s. Usare il modello.")
                % {"cols": ", ".join(missing)}
            )
        return positions

    def rows_of(self, table: Table) -> list[Row]:
        positions = self.map_header(table.header)
        rows = []
        for number, cells in table.rows:
            values = {k: (cells[i] if i < len(cells) else None) for k, i in positions.items()}
            rows.append(Row(number=number, cells=values))
        return rows

    def required(self, row: Row, name: str):
        value = row.cells.get(name)
        if value is None or text(value) == "":
            header = next(c.header for c in self.columns if c.key == name)
            raise RowProblem(_("manca «%(col)s», obbligatorio.") % {"col": header})
        return value

    # to be written by each import
    def check(self, rows: list[Row]) -> dict:
        raise NotImplementedError

    def save(self, rows: list[Row], state: dict) -> None:
        raise NotImplementedError


def build_preview(importer: Importer, data: bytes) -> Preview:
    """Read and check every row; nothing is written."""
    table = read_table(data)
    rows = importer.rows_of(table)
    if not rows:
        raise ImportFileError(_("Il file contiene l'intestazione ma nessuna riga di dati."))
    state = importer.check(rows)
    return Preview(kind=importer.kind, rows=rows, state=state or {})


def run_import(importer: Importer, data: bytes) -> Preview:
    """Check the file again and save every row in one transaction, or none."""
    access.require(importer.actor, "people.change", importer.project.pk)
    preview = build_preview(importer, data)
    if not preview.ok:
        raise ImportRefused(
            _("%(n)d righe hanno problemi: nessuna riga è stata salvata.")
            % {"n": len(preview.problem_rows)},
            preview,
        )
    try:
        with transaction.atomic():
            importer.save(preview.rows, preview.state)
    except (IntegrityError, ValidationError, DatabaseError) as error:
        logger.warning("import refused at save: %r", error)
        raise ImportRefused(
            _(
                "I dati sono cambiati durante l'importazione o violano un vincolo: nessuna "
                "riga è stata salvata. Ricaricare il file e riprovare."
            ),
            preview,
        ) from None
    return preview
