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
        return npgettext("dimensione di un file", "%(size)d\xa0byte", "%(size)d\xa0byte", size) % {
            "size": size
        }
    return filesizeformat(size)


@register.filter
def file_size(value) -> str:
    return format_file_size(value)
