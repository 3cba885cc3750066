"""Money as the Italian public administration writes it: ``€ 1.234,56``."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template

register = template.Library()


def format_euro(value) -> str:
    """'€ 1.234,56' from a Decimal (or a Decimal string); '' for nothing. Never a float."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    units, _, decimals = f"{abs(amount):.2f}".partition(".")
    groups = []
    while units:
        groups.insert(0, units[-3:])
        units = units[:-3]
    return f"{sign}€ {'.'.join(groups)},{decimals}"


@register.filter
def euro(value) -> str:
    return format_euro(value)
