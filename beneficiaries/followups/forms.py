"""Recording a contact attempt for the six-month follow-up."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import FollowupContact, Path
from beneficiaries.people.forms import DateInput


class FollowupContactForm(forms.ModelForm):
    class Meta:
        model = FollowupContact
        fields = ["contacted_on", "channel", "reached", "note"]
        widgets = {"contacted_on": DateInput()}
        help_texts = {
            "reached": _("Spuntare se la persona ha risposto (anche solo per rifiutare)."),
        }

    def __init__(self, *args, path: Path, **kwargs):
        super().__init__(*args, **kwargs)
        self.path = path
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Registra il tentativo")))

    def clean_contacted_on(self):
        day = self.cleaned_data["contacted_on"]
        if not self.path.exit_date:
            raise forms.ValidationError(
                _("Il percorso è ancora aperto: la rilevazione a 6 mesi si fa dopo l'uscita.")
            )
        if day < self.path.exit_date:
            raise forms.ValidationError(_("Il tentativo non può precedere l'uscita dal percorso."))
        if day > timezone.localdate():
            raise forms.ValidationError(_("Il tentativo non può essere nel futuro."))
        return day
