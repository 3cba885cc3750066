"""Links to the rows of a list, reversed once per page.

``{% url %}`` runs a whole ``reverse()`` (namespaces, the language's patterns, the
converters) for each of a list's fifty rows, and some lists link each row two or three
times: up to a tenth of a list's processor time. Before the loop,
``{% row_url "people:person-detail" project.slug as person_url %}`` reverses the URL once
with a marker where the row's id goes; in the loop, ``{{ person_url|with_id:p.pk }}``
writes the row's link: the same URL as ``{% url "people:person-detail" project.slug p.pk %}``.
"""

from django import template
from django.urls import get_script_prefix, resolve, reverse

register = template.Library()

# An id no row has, to find where the row's id goes in the reversed URL.
_MARKER = 987654321987654321


@register.simple_tag
def row_url(viewname: str, *args) -> str:
    """The URL of ``viewname`` for ``args`` and a row's id (its last argument, an
    ``<int:...>`` of the pattern), as a pattern for ``with_id``."""
    url = reverse(viewname, args=[*args, _MARKER])
    match = resolve("/" + url.removeprefix(get_script_prefix()))
    values = [*match.args, *match.kwargs.values()]
    if url.count(str(_MARKER)) != 1 or not values or values[-1] != _MARKER:
        raise template.TemplateSyntaxError(f"row_url: {viewname} takes no row id last")
    return url.replace("{", "{{").replace("}", "}}").replace(str(_MARKER), "{}")


@register.filter
def with_id(pattern: str, pk) -> str:
    """The row's URL: ``pattern`` (from ``row_url``) with the row's id."""
    return pattern.format(int(pk))
