"""Bar charts drawn by the server as inline SVG: no script, no external service.

This module computes the geometry (integers, in the SVG's own units) and the texts of
each month (name and value, in the language of the request); the template
``reporting/_bar_chart.html`` draws it with presentation attributes and CSS classes, so
that the Content-Security-Policy (no inline style) holds. The texts are written here, not
by ``date`` and ``floatformat`` filters in the template: a chart writes each month up to
four times, and the filters took a tenth of the dashboard's processor time.
"""

import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import lru_cache

from django.template.defaultfilters import capfirst, date, floatformat
from django.utils.translation import get_language

from .selectors import MonthValue


@lru_cache(maxsize=2048)
def _month_texts(month: dt.date, language: str | None) -> tuple[str, str, str]:
    """The month's name ("Gennaio 2020"), short name ("Gen") and year, in ``language``
    (the active one: it is part of the cache's key)."""
    return capfirst(date(month, "F Y")), date(month, "M"), date(month, "Y")


@dataclass(frozen=True)
class Bar:
    month: dt.date
    value: Decimal | int
    x: int
    y: int
    width: int
    height: int
    label: bool  # the month is written under the axis
    year: bool  # and its year under it (January, or the first label)
    name: str  # "Gennaio 2020"
    short_name: str  # "Gen", under the axis
    year_text: str  # "2020"
    value_text: str  # the value as ``floatformat`` writes it with the chart's digits

    @property
    def centre(self) -> int:
        return self.x + self.width // 2


@dataclass(frozen=True)
class Tick:
    value: Decimal | int
    y: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    top: int
    baseline: int  # y of the zero line
    bars: list[Bar]
    ticks: list[Tick]
    series: list[MonthValue]


def nice_step(maximum: float, ticks: int = 4, integer: bool = False) -> Decimal:
    """A round step (1, 2 or 5 times a power of ten) giving about ``ticks`` gridlines up
    to ``maximum``. Integer series never get a step below 1."""
    if maximum <= 0:
        return Decimal(1)
    raw = maximum / ticks
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        step = magnitude * factor
        if step >= Decimal(str(raw)):
            break
    if integer:
        step = max(Decimal(1), step.to_integral_value(rounding=ROUND_CEILING))
    return Decimal(int(step)) if step == step.to_integral_value() else step


def bar_chart(
    series: list[MonthValue],
    *,
    width: int = 560,
    height: int = 240,
    margin_left: int = 44,
    margin_right: int = 8,
    margin_top: int = 12,
    margin_bottom: int = 40,
    max_labels: int = 12,
    digits: str = "-1g",
) -> BarChart:
    """One bar per month, the gridlines on round values, about ``max_labels`` month
    labels under the axis; ``digits`` is the ``floatformat`` argument of the values."""
    integer = all(isinstance(v.value, int) for v in series)
    maximum = max((float(v.value) for v in series), default=0)
    step = nice_step(maximum, integer=integer)
    top_value = step * max(1, math.ceil(Decimal(str(maximum)) / step))
    plot_width = width - margin_left - margin_right
    plot_height = height - margin_top - margin_bottom
    baseline = margin_top + plot_height
    slot = plot_width / max(1, len(series))
    gap = max(1, round(slot * 0.2))
    every = max(1, math.ceil(len(series) / max_labels))
    bars = []
    language = get_language()
    for i, (month, value) in enumerate(series):
        h = round(plot_height * Decimal(str(value)) / top_value)
        label = i % every == 0
        name, short_name, year_text = _month_texts(month, language)
        bars.append(
            Bar(
                month=month,
                value=value,
                x=margin_left + round(i * slot) + gap // 2,
                y=baseline - h,
                width=max(1, round(slot) - gap),
                height=h,
                label=label,
                year=label and (month.month == 1 or i == 0),
                name=name,
                short_name=short_name,
                year_text=year_text,
                value_text=floatformat(value, digits),
            )
        )
    count = int(top_value / step)
    ticks = [
        Tick(
            value=int(step * k) if integer or step * k == int(step * k) else step * k,
            y=baseline - round(plot_height * k / count),
        )
        for k in range(count + 1)
    ]
    return BarChart(
        width=width,
        height=height,
        left=margin_left,
        right=width - margin_right,
        top=margin_top,
        baseline=baseline,
        bars=bars,
        ticks=ticks,
        series=series,
    )
