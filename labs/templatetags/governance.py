"""The partnership warnings of a report, worded from its frozen snapshot."""

from django import template

from labs.governance.partnership_rules import warnings_from_frozen

register = template.Library()


@register.filter
def partnership_warnings(check) -> list[str]:
    return warnings_from_frozen(check)
