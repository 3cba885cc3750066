"""Concurrent edits never overwrite silently: the one implementation.

A record that two people may edit at once carries a version number (``version``, or
``revision`` for a report's text). The form carries the version it showed in a hidden
field (``VersionedFormMixin``); the save claims the next version with one conditional
UPDATE (``claim_version``), so of two simultaneous saves exactly one passes; the other
gets ``ConcurrentEditError`` and its form comes back with what was typed and one message.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

CONCURRENT_EDIT_MESSAGE = _(
    "Qualcun altro ha salvato questa pagina mentre la stavi modificando. Le tue modifiche "
    "non sono state salvate ma sono ancora qui sotto: apri la pagina in un'altra finestra, "
    "confronta e salva di nuovo."
)

STALE_PAGE_MESSAGE = _(
    "La pagina non è più valida (è rimasta aperta a lungo o è stata modificata): "
    "ricaricala e ripeti l'operazione. Quello che hai scritto è ancora qui sotto."
)


class ConcurrentEditError(Exception):
    """Someone saved the record since the form showed it."""

    def __init__(self, message=None):
        super().__init__(str(message or CONCURRENT_EDIT_MESSAGE))


def claim_version(queryset, *, pk: int, expected: int, field: str = "version", **changes) -> int:
    """Move the row to version ``expected + 1`` (writing ``changes`` with it) only if it
    is still at ``expected``: one UPDATE, so two simultaneous saves cannot both pass.
    Returns the new version; raises ConcurrentEditError otherwise."""
    updated = queryset.filter(pk=pk, **{field: expected}).update(**{field: expected + 1}, **changes)
    if not updated:
        raise ConcurrentEditError
    return expected + 1


def save_if_unchanged(instance, *, expected_version: int, field: str = "version"):
    """Save an edited record only if nobody saved it since the form showed
    ``expected_version``."""
    new = claim_version(
        type(instance)._default_manager, pk=instance.pk, expected=expected_version, field=field
    )
    setattr(instance, field, new)
    instance.save()
    return instance


class HiddenFieldErrorsMixin:
    """An error on a hidden field (a record's version, a one-time token) has no place
    next to a field the user can see: it becomes an error of the whole form, shown above
    it, instead of a form that comes back with no message."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self._errors is None:
            return
        hidden = [n for n in list(self._errors) if n in self.fields and self[n].is_hidden]
        for name in hidden:
            del self._errors[name]
        if hidden:
            errors = self._errors.setdefault(
                NON_FIELD_ERRORS, self.error_class(error_class="nonfield", renderer=self.renderer)
            )
            if STALE_PAGE_MESSAGE not in errors:
                errors.append(STALE_PAGE_MESSAGE)


class VersionedFormMixin(HiddenFieldErrorsMixin):
    """Carries the record's version through the form (a hidden field named
    ``version_field``), so that a save made on an outdated page is refused instead of
    overwriting someone else's."""

    version_field = "version"
    version_required = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[self.version_field] = forms.IntegerField(
            widget=forms.HiddenInput, required=self.version_required, min_value=0
        )
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial.setdefault(self.version_field, getattr(instance, self.version_field))

    def expected_version(self) -> int:
        return self.cleaned_data.get(self.version_field) or 0
