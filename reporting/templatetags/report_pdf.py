"""Filters of the progress report PDF: ISO dates and Decimal strings of the snapshot
written the Italian way (dd/mm/yyyy, 1.234,5), in every language."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def isodate(value) -> str:
    """'2025-06-30' (or a date) as '30/06/2025'."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


def _group(units: str) -> str:
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return ".".join(groups) or "0"


@register.filter
def num(value, places=None) -> str:
    """A number with a dot for thousands and a comma for decimals. ``places`` fixes the
    decimals; by default integers have none and Decimal strings keep theirs."""
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places is not None:
        amount = amount.quantize(Decimal(1).scaleb(-int(places)))
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):f}"
    units, _, decimals = text.partition(".")
    return f"{sign}{_group(units)}" + (f",{decimals}" if decimals else "")


@register.filter
def month(value) -> str:
    """'2025-03' as '03/2025'."""
    return f"{value[5:7]}/{value[:4]}" if value else ""


@register.filter
def get_item(mapping, key):
    """A dict's value by key (choices of the model: code to label)."""
    return mapping.get(key) if hasattr(mapping, "get") else None
