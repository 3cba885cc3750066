from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.concurrency import VersionedFormMixin

from .report_data import NARRATIVE_SECTIONS


class NarrativeForm(VersionedFormMixin, forms.Form):
    """The narrative sections of the report, written by the project lead."""

    version_field = "revision"
    version_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title in NARRATIVE_SECTIONS:
            self.fields[key] = forms.CharField(
                label=_(title),
                required=False,
                max_length=8000,
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def narrative(self) -> dict:
        return {key: self.cleaned_data.get(key, "") for key, _title in NARRATIVE_SECTIONS}


class SubmitForm(VersionedFormMixin, forms.Form):
    version_field = "revision"
    version_required = True
    confirm = forms.BooleanField(
        label=gettext_lazy(
            "Confermo che questa versione è quella da trasmettere: dopo la trasmissione "
            "non potrà più essere modificata."
        ),
        error_messages={"required": gettext_lazy("Spunta la conferma per trasmettere.")},
    )
