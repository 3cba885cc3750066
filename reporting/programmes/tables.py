"""The programme view's two long tables, rows written in Python as the admin writes its
changelist rows (``admin.templatetags.admin_list.items_for_result``).

A call of 42 projects has 42 project rows of 500 figures and 170 reporting periods: in
the template language that was 25 ms of processor time a request, more than the
database took once the figures were stored (issue #20, "server time at most twice its
SQL"); here it is about a tenth of it. The HTML is the one the template wrote, byte for
byte, and the strings are the template's, with the same message ids.
"""

from __future__ import annotations

import html
from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from labs.templatetags.money import format_euro

from .selectors import ProjectRow, ReportStatus

FIGURES = ("households", "people", "participants", "hours")


def whole_numbers():
    """The template filter ``floatformat:"0g"`` in the active language (rounded half up
    to a whole number, digits grouped), with the language's separator looked up once
    instead of once per figure."""
    separator = formats.get_format("THOUSAND_SEPARATOR")
    if formats.get_format("NUMBER_GROUPING") != 3:
        return lambda value: floatformat(value, "0g")

    def whole(value) -> str:
        number = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return f"{number:,}".replace(",", separator)

    return whole


def esc(value) -> str:
    """Django's ``conditional_escape`` (the template's autoescape): the same
    ``html.escape``, without the lazy-string wrapper that costs more than the escaping."""
    return value if hasattr(value, "__html__") else html.escape(str(value))


def _cell(reached: str, target: str, percent: int | None = None) -> str:
    share = f'<br><span class="small">{percent}%</span>' if percent is not None else ""
    return f'<td class="text-end text-nowrap">{esc(reached)} / {esc(target)}{share}</td>\n'


def _late(count: int) -> str:
    if not count:
        none = gettext("nessun ritardo")  # not inside the f-string: makemessages finds it
        return f'<td class="text-end">{esc(none)}</td>'
    text = ngettext("%(n)s in ritardo", "%(n)s in ritardo", count) % {"n": count}
    return f'<td class="text-end"><strong>{esc(text)}</strong></td>'


def project_rows(rows: list[ProjectRow], totals: dict) -> tuple[SafeString, SafeString]:
    """The project table's body rows and its totals row (without the heading cell)."""
    whole = whole_numbers()
    # One reverse() for the 42 links (a third of the table's time): only the slug changes.
    before, after = reverse("reporting:dashboard", args=["slug"]).rsplit("slug", 1)
    body = []
    for r in rows:
        p = r.project
        cells = [
            _cell(
                whole(getattr(r, f)), whole(getattr(p, f"target_{f}")), getattr(r, f"{f}_percent")
            )
            for f in FIGURES
        ]
        cells.append(_cell(format_euro(r.spent), format_euro(p.budget), r.spent_percent))
        url = f"{before}{p.slug}{after}"
        body.append(
            f'<tr>\n<th scope="row"><a href="{esc(url)}">{esc(p.short_name)}</a><br>'
            f'<span class="small">{esc(p.lead_organisation.name)}</span></th>\n'
            + "".join(cells)
            + _late(r.late_reports)
            + "\n</tr>"
        )
    total = [_cell(whole(totals[f]), whole(totals[f"target_{f}"])) for f in FIGURES]
    total.append(_cell(format_euro(totals["spent"]), format_euro(totals["budget"])))
    return mark_safe("".join(body)), mark_safe("".join(total))  # noqa: S308 (escaped above)


def period_rows(rows: list[ProjectRow]) -> SafeString:
    """The report table's body: a row per reporting period, grouped by project."""
    out = []
    for r in rows:
        name = esc(r.project.short_name)
        if not r.periods:
            none = esc(gettext("Nessun periodo di rendicontazione."))
            out.append(f'<tr><th scope="row">{name}</th><td colspan="3">{none}</td></tr>')
        for n, p in enumerate(r.periods):
            head = f'<th scope="rowgroup" rowspan="{len(r.periods)}">{name}</th>' if n == 0 else ""
            label = esc(p.label)
            if p.status == ReportStatus.LATE:
                label = f"<strong>{label}</strong>"
            if p.submitted_at:
                label += " " + gettext("il %(d)s") % {"d": esc(p.submitted_text)}
            out.append(
                f"<tr>{head}<td>{esc(p.name)} ({esc(p.start_text)} – {esc(p.end_text)})</td>"
                f"<td>{esc(p.due_text)}</td><td>{label}</td></tr>"
            )
    return mark_safe("".join(out))  # noqa: S308 (every part escaped above)
