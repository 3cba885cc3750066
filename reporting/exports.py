"""The figures of a progress report as XLSX, CSV and JSON, and the participant-level
export pseudonymised for the Region.

The report exports read only the dict of ``report_data.build_report_data`` (or a frozen
snapshot): they carry exactly the figures of the PDF. Every text cell goes through
``labs.exports.safe_cell``: a value a spreadsheet would run as a formula is neutralised.

The participant export has one row per path (presa in carico): a stable pseudonym per
person (HMAC-SHA256 of the person's id with a secret of the settings, truncated), age
band and sex, the ESF entry profile, entry and exit dates and the outcome. No name, no
codice fiscale, no birth date, no contact.
"""

import csv
import datetime as dt
import hashlib
import hmac
import io
import json

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from beneficiaries.paths.models import ENTRY_PROFILE_FIELDS, ENTRY_SENSITIVE_FIELDS
from labs.exports import csv_cell, safe_cell

from .catalogues import catalogue_for
from .report_data import canonical_json, snapshot_sha256

PSEUDONYM_LENGTH = 16


# -- The report's figures ------------------------------------------------------------------


def figure_rows(data: dict) -> list[tuple]:
    """Every figure of the report as (section, item, measure, value) rows, in report order.
    Numbers stay as the snapshot has them (integers, Decimal strings with their places)."""
    rows: list[tuple] = []
    add = rows.append
    project, period = data["project"], data["period"]
    add(("progetto", "titolo", "", project["title"]))
    add(("progetto", "cup", "", project["cup"]))
    add(("progetto", "capofila", "", project["lead_organisation"]))
    add(("periodo", "nome", "", period["name"]))
    add(("periodo", "dal", "", period["start_date"]))
    add(("periodo", "al", "", period["end_date"]))
    add(("dati", "sha256", "", snapshot_sha256(data)))
    for key, t in data["targets"].items():
        for measure in ("target", "period", "cumulative"):
            add(("obiettivi", key, measure, t[measure]))
    for key in ("opened", "closed", "active_at_end"):
        add(("percorsi", key, "", data["participants"][key]))
    add(("attivita", "totale", "sessions_held", data["activities"]["sessions_held"]))
    add(("attivita", "totale", "hours", data["activities"]["hours"]))
    for a in data["activities"]["by_axis"]:
        for measure in ("activities", "sessions_held", "hours"):
            add(("attivita_per_asse", a["code"], measure, a[measure]))
    for a in data["activities"]["by_organisation"]:
        for measure in ("activities", "sessions_held", "hours"):
            add(("attivita_per_ente", a["name"], measure, a[measure]))
    for key, value in data["attendance"].items():
        add(("presenze", key, "", value))
    esf = data["esf"]
    for key in (
        "participants_total",
        "participants_complete",
        "participants_incomplete",
        "sensitive_not_answered",
    ):
        add(("fse", key, "", esf[key]))
    for code, values in esf["indicators"].items():
        for column in [*esf["sexes"], "total"]:
            add(("indicatori_fse", code, column, values.get(column, 0)))
    reports = data["resident_reports"]
    for key in ("opened", "solved", "median_days_to_solve"):
        add(("segnalazioni", key, "", reports[key]))
    for r in reports["by_category"]:
        add(("segnalazioni_per_categoria", r["category"], "opened", r["opened"]))
        add(("segnalazioni_per_categoria", r["category"], "solved", r["solved"]))
    for moment in ("start", "end"):
        add(("morosita", moment, "households", data["arrears"][moment]["households"]))
        add(("morosita", moment, "total", data["arrears"][moment]["total"]))
    for key, value in (data.get("repayments") or {}).items():
        add(("piani_di_rientro", key, "", value))
    placements = data.get("placements") or {}
    for key in ("started", "ended", "active", "hired", "not_hired", "interrupted", "hours"):
        if key in placements:
            add(("tirocini", key, "", placements[key]))
    if "grant_paid" in placements:
        add(("tirocini", "grant_paid", "", placements["grant_paid"]))
    for r in placements.get("by_kind", []):
        add(("tirocini_per_tipo", r["kind"], "active", r["count"]))
    for m in data["monthly_hours"]:
        add(("ore_per_mese", m["month"], "hours", m["hours"]))
    budget = data.get("budget") or {}
    for group in ("by_axis", "by_partner", "by_category"):
        for r in budget.get(group, []):
            for measure in ("budget", "funded", "spent_period", "spent", "remaining"):
                add((f"budget_{group}", r.get("label", ""), measure, r.get(measure)))
    if budget.get("total"):
        for measure in ("budget", "funded", "spent_period", "spent", "remaining"):
            add(("budget_totale", "", measure, budget["total"].get(measure)))
    return rows


FIGURE_HEADER = ("sezione", "voce", "misura", "valore")
SESSION_HEADER = (
    "data", "asse", "attivita", "ente", "luogo", "stato", "ore", "presenti_registrati",
    "presenti_senza_nome", "registro_validato", "evidenze",
)  # fmt: skip


def _session_row(s: dict) -> list:
    return [
        dt.date.fromisoformat(s["date"]), s["axis"], s["activity"], s["organisation"],
        s["place"], s["state"], s["hours"], s["named_attendees"], s["head_count"],
        "si" if s["validated"] else "no", ", ".join(s["evidence"]),
    ]  # fmt: skip


def _csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel opens UTF-8 correctly
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([safe_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8")


def report_csv(data: dict) -> bytes:
    """The report's figures, one per row: sezione;voce;misura;valore (UTF-8 with BOM)."""
    return _csv_bytes(FIGURE_HEADER, figure_rows(data))


def report_json(data: dict) -> bytes:
    """The snapshot itself, readable (indented, keys sorted), with its checksum."""
    payload = {"sha256": snapshot_sha256(data), "data": data}
    return json.dumps(payload, sort_keys=True, indent=2, ensure_ascii=False).encode("utf-8")


def _numeric(value):
    """Snapshot Decimal strings as numbers in the workbook (digits only, one dot)."""
    if isinstance(value, str) and value.replace(".", "", 1).lstrip("-").isdigit():
        from decimal import Decimal

        return Decimal(value) if "." in value else int(value)
    return value


def report_xlsx(data: dict, *, language: str = "it") -> bytes:
    """A workbook: the figures (as in the CSV), the ESF indicators by sex, the sessions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows, first=False):
        ws = workbook.active if first else workbook.create_sheet()
        ws.title = title[:31]
        ws.append([safe_cell(str(h)) for h in header])
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([safe_cell(_numeric(v)) for v in row])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
        ws.freeze_panes = "A2"
        return ws

    with translation.override(language):
        figures = [
            (s, i, m, dt.date.fromisoformat(v) if s == "periodo" and i in ("dal", "al") else v)
            for s, i, m, v in figure_rows(data)
        ]
        sheet(_("Cifre"), FIGURE_HEADER, figures, first=True)
        esf = data["esf"]
        catalogue = catalogue_for(esf.get("catalogue") or "")
        labels = {}
        if catalogue:
            labels = {
                i.code: (i.label_en if language == "en" else str(i.label))
                for i in catalogue.indicators
            }
        sheet(
            _("Indicatori FSE"),
            ["codice", "indicatore", *esf["sexes"], "total"],
            [
                [code, labels.get(code, ""), *[v.get(c, 0) for c in esf["sexes"]], v["total"]]
                for code, v in esf["indicators"].items()
            ],
        )
        sheet(_("Incontri"), SESSION_HEADER, [_session_row(s) for s in data["sessions"]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_export(data: dict, fmt: str, *, language: str = "it") -> tuple[bytes, str, str]:
    """(content, content type, file extension) of the report in ``fmt``."""
    if fmt == "xlsx":
        return (
            report_xlsx(data, language=language),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    if fmt == "csv":
        return report_csv(data), "text/csv; charset=utf-8", "csv"
    if fmt == "json":
        return report_json(data), "application/json", "json"
    if fmt == "pdf":
        from .pdf import render_report_pdf

        return render_report_pdf(data, language=language), "application/pdf", "pdf"
    raise ValueError(fmt)


# -- Participant-level export, pseudonymised -----------------------------------------------


def _pseudonym_key() -> bytes:
    secret = getattr(settings, "REPORT_PSEUDONYM_SECRET", "") or ""
    if secret:
        return secret.encode("utf-8")
    # Derived from SECRET_KEY with a purpose of its own: never the key itself.
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"quartieri.reporting.pseudonym", hashlib.sha256
    ).digest()


def pseudonym(person_id: int) -> str:
    """A stable pseudonym of a person: the same in every export, every project, every
    period, as long as the secret does not change; not reversible without it."""
    digest = hmac.new(_pseudonym_key(), f"person:{person_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:PSEUDONYM_LENGTH].upper()


AGE_BANDS = ((0, 14, "0-14"), (15, 24, "15-24"), (25, 29, "25-29"), (30, 54, "30-54"),
             (55, 64, "55-64"), (65, 200, "65+"))  # fmt: skip


def age_band(birth: dt.date, on: dt.date) -> str:
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    return next(label for low, high, label in AGE_BANDS if low <= age <= high)


PROFILE_FIELDS = (*ENTRY_PROFILE_FIELDS, *ENTRY_SENSITIVE_FIELDS)
OUTCOME_FIELDS = (
    "exit_reason", "exit_job_searching", "exit_in_education", "exit_qualification",
    "exit_employed", "followup_date", "followup_employed", "followup_improved",
)  # fmt: skip
PARTICIPANT_HEADER = (
    "pseudonimo", "asse", "eta_all_ingresso", "sesso", "data_ingresso", "data_uscita",
    *PROFILE_FIELDS, *OUTCOME_FIELDS,
)  # fmt: skip


def _flag(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "si" if value else "no"
    return value


def participant_rows(project, start: dt.date | None = None, end: dt.date | None = None):
    """One row per path of the project (overlapping [start, end] when given). One query;
    only the person's id, birth date (for the band) and sex are read, never names."""
    from beneficiaries.models import Path

    paths = Path.objects.filter(project=project)
    if end:
        paths = paths.filter(entry_date__lte=end)
    if start:
        paths = paths.filter(Q(exit_date__isnull=True) | Q(exit_date__gte=start))
    values = paths.order_by("entry_date", "pk").values(
        "person_id", "person__birth_date", "person__sex", "axis__code", "entry_date",
        "exit_date", *PROFILE_FIELDS, *OUTCOME_FIELDS,
    )  # fmt: skip
    for p in values:
        yield [
            pseudonym(p["person_id"]),
            p["axis__code"] or "",
            age_band(p["person__birth_date"], p["entry_date"]),
            p["person__sex"],
            p["entry_date"],
            p["exit_date"],
            *[_flag(p[f]) for f in PROFILE_FIELDS],
            *[_flag(p[f]) for f in OUTCOME_FIELDS],
        ]


def participants_csv(project, start=None, end=None) -> bytes:
    return _csv_bytes(PARTICIPANT_HEADER, participant_rows(project, start, end))


__all__ = [
    "canonical_json",
    "figure_rows",
    "participant_rows",
    "participants_csv",
    "pseudonym",
    "report_csv",
    "report_export",
    "report_json",
    "report_xlsx",
]
