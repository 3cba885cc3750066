"""File sizes in the user's language: '303 byte', '1,5 KB', '3,0 MB' (with a no-break space)."""

from django import template
from django.template.defaultfilters import filesizeformat
from django.utils.translation import npgettext

register = template.Library()


def format_file_size(value) -> str:
    """Django's filesizeformat, except below one kilobyte: Django's Italian catalogue
    leaves "bytes" in English ("303 bytes"), so that unit is translated here."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return ""
    if 0 <= size < 1024:
        # A context of ours: Django's own msgid "%(size)d byte" is the one mistranslated.
        # The space in the msgid is a literal no-break space (U+00A0): the number and the
        # unit stay together, and the msgid differs from Django's "%(size)d byte", which
        # npgettext would fall back to. (xgettext drops a "\xa0" escape, so not that.)
        text = npgettext("dimensione di un file", "%(size)d byte", "%(size)d byte", size)
        return text % {"size": size}
    return filesizeformat(size)


@register.filter
def file_size(value) -> str:
    return format_file_size(value)
