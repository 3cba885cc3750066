"""Django's ``date``, ``time`` and ``floatformat`` filters, remembered: a template
builtin (``TEMPLATES`` ``OPTIONS["builtins"]`` in config/settings/base.py), so every
template of the portal uses these under the usual names.

A list writes fifty dates, a hundred times and as many figures per page, the same ones
request after request, and Django's filters work each out again (a ``DateFormat`` and
the translated day and month names; ``Decimal`` arithmetic and the number format): on
the session list that was a sixth of the page's processor time (docs/performance.md).
These filters give exactly Django's text and keep it per value, format and language, in
a bounded cache. Only values whose text depends on nothing else are kept: dates, naive
times, ints, finite Decimals and floats. Datetimes (converted to the current time zone
first) and anything else go to Django's filter every time.
"""

import datetime as dt
import math
from decimal import Decimal
from functools import lru_cache

from django import template
from django.template import defaultfilters
from django.utils.translation import get_language

register = template.Library()

CACHE_SIZE = 8192


@lru_cache(maxsize=CACHE_SIZE)
def _date(value: dt.date, arg, language: str | None) -> str:
    return defaultfilters.date(value, arg)


@lru_cache(maxsize=CACHE_SIZE)
def _time(value: dt.time, arg, language: str | None) -> str:
    return defaultfilters.time(value, arg)


@lru_cache(maxsize=CACHE_SIZE)
def _floatformat(kind: type, text: str, arg, language: str | None) -> str:
    # Keyed by the value's type and text, not the value: 2 == Decimal("2.0") == 2.0 with
    # equal hashes, and an argument floatformat cannot read writes the value as it is.
    return defaultfilters.floatformat(kind(text), arg)


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if type(value) is dt.date:  # not a datetime, a subclass whose text depends on the zone
        return _date(value, arg, get_language())
    return defaultfilters.date(value, arg)


@register.filter(expects_localtime=True, is_safe=False)
def time(value, arg=None):
    if type(value) is dt.time and value.tzinfo is None:
        return _time(value, arg, get_language())
    return defaultfilters.time(value, arg)


def _finite(value) -> bool:
    kind = type(value)
    if kind is int:
        return True
    if kind is Decimal:
        return value.is_finite()
    return kind is float and math.isfinite(value)


@register.filter(is_safe=True)
def floatformat(text, arg=-1):
    if _finite(text) and isinstance(arg, int | str):
        return _floatformat(type(text), str(text), arg, get_language())
    return defaultfilters.floatformat(text, arg)
