"""The progress report as a tagged PDF/A-3a document, from the data of ``report_data``.

PDF/A-3a is the archival format at its accessible level: WeasyPrint writes the structure
tree (headings, tables with their header cells, figures with their alternative text, in
reading order), the document language and the bookmarks. A file carries one
identification, so it is not also declared PDF/UA-1 (docs/report-pdf.md says why).

WeasyPrint lays out ``templates/reporting/pdf/report.html`` with the print stylesheet
``static/reporting/report-print.css`` and the vendored Titillium Web fonts. Nothing is
fetched from the network: the URL fetcher answers only for files under the portal's own
static folder. Charts are drawn by matplotlib as SVG, in memory.
"""

import base64
import copy
import functools
import io
import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from .catalogues import catalogue_for
from .report_data import snapshot_sha256

STATIC_ROOT_DIR = Path(settings.BASE_DIR) / "static"
PDF_VARIANT = "pdf/a-3a"
BLUE = "#0066cc"
DARK = "#17324d"
GOLD = "#ffcc00"


class LocalOnlyFetcher:
    """A WeasyPrint URL fetcher that serves files under ``static/`` and data: URIs, and
    refuses everything else (http, https, other files)."""

    def __init__(self, root: Path = STATIC_ROOT_DIR):
        from weasyprint.urls import URLFetcher

        self.root = root.resolve()
        self._fetcher = URLFetcher(allowed_protocols={"file", "data"})

    def __call__(self, url: str, *args, **kwargs):
        return self.fetch(url)

    def fetch(self, url: str, headers=None):
        if url.startswith("file:"):
            from urllib.parse import unquote, urlparse

            path = Path(unquote(urlparse(url).path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"Refused: {url}")
            if path.suffix == ".woff2":
                from weasyprint.urls import URLFetcherResponse

                return URLFetcherResponse(url, _truetype(path), {"Content-Type": "font/ttf"})
        elif not url.startswith("data:"):
            raise ValueError(f"Refused (no network in reports): {url}")
        return self._fetcher.fetch(url, headers)


_FONTS: dict[Path, bytes] = {}


def _truetype(path: Path) -> bytes:
    """A vendored WOFF2 font as TrueType, decompressed once per process (WeasyPrint
    would decompress it again for every report)."""
    if path not in _FONTS:
        from fontTools.ttLib import woff2

        out = io.BytesIO()
        with path.open("rb") as font:
            woff2.decompress(font, out)
        _FONTS[path] = out.getvalue()
    return _FONTS[path]


def _decimal(value) -> Decimal:
    return Decimal(str(value or 0))


def _percent(reached, target) -> Decimal | None:
    target = _decimal(target)
    if not target:
        return None
    return (_decimal(reached) * 100 / target).quantize(Decimal("0.1"))


def _svg_data_uri(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(
        buffer.getvalue().encode("utf-8")
    ).decode("ascii")


def _month_label(month: dict) -> str:
    """ "2025-03" as "03/2025": the label of chart 2's bars and of its data table."""
    return f"{month['month'][5:]}/{month['month'][:4]}"


def _monthly_rows(months: list[dict], width: int = 12) -> list[list[dict]]:
    """Chart 2's data as tables of at most ``width`` months, for whoever cannot see it."""
    cells = [{"label": _month_label(m), "hours": m["hours"]} for m in months]
    return [cells[i : i + width] for i in range(0, len(cells), width)]


def _charts(data: dict, language: str) -> dict:
    """Two charts as SVG data URIs: hours held by month, and targets reached (%)."""
    import matplotlib

    matplotlib.use("svg")
    from matplotlib import pyplot as plt
    from matplotlib.figure import Figure

    plt.rcParams["svg.hashsalt"] = "quartieri"  # stable ids: same data, same SVG
    plt.rcParams["font.family"] = "DejaVu Sans"
    charts = {}

    months = data["monthly_hours"]
    figure = Figure(figsize=(7.2, 2.6))
    axes = figure.subplots()
    labels = [_month_label(m) for m in months]
    values = [float(_decimal(m["hours"])) for m in months]  # drawing only, not a figure
    axes.bar(range(len(values)), values, color=BLUE, width=0.7)
    axes.set_xticks(range(len(labels)), labels, fontsize=7, rotation=45 if len(labels) > 8 else 0)
    axes.set_ylabel(_("ore"), fontsize=8)
    axes.tick_params(axis="y", labelsize=7)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#c5c7c9", linewidth=0.5)
    axes.set_axisbelow(True)
    for i, v in enumerate(values):
        if v:
            axes.annotate(f"{v:.0f}", (i, v), ha="center", va="bottom", fontsize=6, color=DARK)
    charts["hours"] = _svg_data_uri(figure)

    names = {
        "households": _("Nuclei"),
        "people": _("Persone"),
        "participants": _("Partecipanti FSE"),
        "hours": _("Ore di attività"),
    }
    rows = [
        (names[key], float(_percent(t["cumulative"], t["target"]) or 0))
        for key, t in data["targets"].items()
        if _decimal(t["target"])
    ]
    if rows:
        figure = Figure(figsize=(7.2, 0.45 * len(rows) + 0.6))
        axes = figure.subplots()
        y = list(range(len(rows)))[::-1]
        axes.barh(y, [100] * len(rows), color="#e6ecf2", height=0.6)
        axes.barh(y, [min(v, 100) for _n, v in rows], color=BLUE, height=0.6)
        axes.set_yticks(y, [n for n, _v in rows], fontsize=8)
        axes.set_xlim(0, 100)
        axes.set_xlabel(_("% del valore atteso, dall'avvio a fine periodo"), fontsize=8)
        axes.tick_params(axis="x", labelsize=7)
        axes.spines[["top", "right"]].set_visible(False)
        for yy, (_n, v) in zip(y, rows, strict=True):
            axes.text(
                min(v, 100) + 1,
                yy,
                f"{v:.1f}%".replace(".", ","),
                va="center",
                fontsize=7,
                color=DARK,
            )
        charts["targets"] = _svg_data_uri(figure)
    return charts


def _indicator_rows(esf: dict, language: str) -> tuple[list, list]:
    catalogue = catalogue_for(esf.get("catalogue") or "")
    if not catalogue:
        return [], []

    def rows(indicators):
        return [
            {
                "code": i.code,
                "label": i.label_en if language == "en" else str(i.label),
                "values": [
                    esf["indicators"].get(i.code, {}).get(b.key, 0) for b in catalogue.breakdowns
                ],
                "total": esf["indicators"].get(i.code, {}).get("total", 0),
            }
            for i in indicators
        ]

    return rows(catalogue.outputs), rows(catalogue.results)


def _annex(sessions: list[dict]) -> list[dict]:
    """The sessions grouped by axis, activity and organisation, by date within a group."""
    groups: dict[tuple, list] = {}
    for s in sessions:
        groups.setdefault((s["axis"], s["activity"], s["organisation"]), []).append(s)
    return [
        {"axis": axis, "activity": activity, "organisation": organisation, "sessions": rows}
        for (axis, activity, organisation), rows in sorted(groups.items(), key=lambda g: g[0])
    ]


def _budget_labels(budget: dict | None) -> dict | None:
    """The budget section with its category and total labels in the active language (the
    data keeps them in Italian, so that the checksum does not depend on the language)."""
    from labs.budget.models import CostCategory

    if not budget:
        return budget
    labels = dict(CostCategory.choices)
    budget = copy.deepcopy(budget)
    for row in budget.get("by_category", []):
        row["label"] = str(labels.get(row["key"], row["label"]))
    for row in budget.get("lines", []):
        category = str(row["key"]).rsplit("-", 1)[-1]
        row["label"] = str(labels.get(category, row["label"]))
    if budget.get("total"):
        budget["total"]["label"] = _("Totale")
    return budget


def report_context(data: dict, *, language: str = "it") -> dict:
    """What the template needs besides the data: labels in the language, percentages,
    charts and the checksum."""
    from labs.models import Partnership, Programme, ResidentReport, Session
    from partners.models import Organisation

    catalogue = catalogue_for(data["esf"].get("catalogue") or "")
    outputs, results = _indicator_rows(data["esf"], language)
    target_names = {
        "households": _("Nuclei familiari raggiunti"),
        "people": _("Persone raggiunte"),
        "participants": _("Partecipanti FSE (percorsi avviati)"),
        "hours": _("Ore di attività svolte"),
    }
    targets = [
        {
            "label": target_names[key],
            **t,
            "percent": _percent(t["cumulative"], t["target"]),
        }
        for key, t in data["targets"].items()
    ]
    return {
        "d": data,
        "language": language,
        "sha256": snapshot_sha256(data),
        "fund_label": dict(Programme.Fund.choices).get(
            data["project"]["programme"]["fund"], data["project"]["programme"]["fund"]
        ),
        "is_eu_fund": data["project"]["programme"]["fund"] in ("FSE", "FSE+", "FESR"),
        "kinds": dict(Organisation.Kind.choices),
        "roles": dict(Partnership.Role.choices),
        "states": dict(Session.State.choices),
        "categories": dict(ResidentReport.Category.choices),
        "targets": targets,
        "breakdowns": [str(b.label) for b in catalogue.breakdowns] if catalogue else [],
        "catalogue_title": str(catalogue.title) if catalogue else "",
        "outputs": outputs,
        "results": results,
        "narrative": [{**s, "title": _(s["title"])} for s in data["narrative"]],
        "charts": _charts(data, language),
        "monthly_hours": _monthly_rows(data["monthly_hours"]),
        "annex": _annex(data["sessions"]),
        "budget": _budget_labels(data.get("budget")),
        "static_root": STATIC_ROOT_DIR.as_uri() + "/",
    }


def render_report_html(data: dict, *, language: str = "it") -> str:
    with translation.override(language):
        context = report_context(data, language=language)
        return render_to_string("reporting/pdf/report.html", context)


@functools.cache
def _report_html_class():
    """WeasyPrint's HTML document with a lighter user-agent stylesheet.

    WeasyPrint's HTML5 stylesheet gives *every* element six pseudo-elements through
    universal rules (``::marker``, ``::footnote-call``, ``::footnote-marker``,
    ``::note-call``, ``::note-marker``, ``::note-callback``), and computes a style for each
    of them: six styles more per table cell, most of the cascade of a long report. The
    report has no footnotes nor notes and its only lists are ``ul``: markers are kept for
    list items, the other five rules are left out. Nothing else changes."""
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    text, markers = re.subn(r"^::marker \{", "li::marker {", UA, flags=re.M)
    text, notes = re.subn(r"^::(footnote|note)-[a-z]+ \{[^}]*\}\n", "", text, flags=re.M)
    if (markers, notes) != (1, 5):  # another WeasyPrint: keep its stylesheet as it is
        return HTML
    # Its @counter-style rules are already in the documents' UA_COUNTER_STYLE.
    stylesheet = CSS(string=text, counter_style=CounterStyle())

    class ReportHTML(HTML):
        def _ua_stylesheets(self, forms=False):
            return [stylesheet]

    return ReportHTML


def html_document(html: str):
    """The report's HTML as a WeasyPrint document, read with the local-only fetcher."""
    return _report_html_class()(
        string=html, base_url=STATIC_ROOT_DIR.as_uri() + "/", url_fetcher=LocalOnlyFetcher()
    )


def layout(document):
    """Lay out and paginate the document (WeasyPrint's ``render``)."""
    return document.render(pdf_variant=PDF_VARIANT)


def write(rendered) -> bytes:
    """Draw the laid-out pages and write them as tagged PDF/A-3a."""
    return rendered.write_pdf(pdf_variant=PDF_VARIANT)


def render_report_pdf(data: dict, *, language: str = "it") -> bytes:
    """The report as tagged PDF/A-3a bytes, in Italian or English."""
    return write(layout(html_document(render_report_html(data, language=language))))
