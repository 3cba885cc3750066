from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Consent, Person
from labs.concurrency import VersionedFormMixin


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "tax_code",
            "birth_date",
            "sex",
            "birth_place",
            "citizenship",
            "phone",
            "email",
        ]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Salva")))


class PersonCreateForm(PersonForm):
    not_a_duplicate = forms.BooleanField(
        required=False,
        label=_("Ho controllato: non è nessuna delle persone simili indicate"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_id = "person-form"


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["purpose", "signed_on", "expires_on", "withdrawn_on", "notes"]
        widgets = {"signed_on": DateInput(), "expires_on": DateInput(), "withdrawn_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Registra")))
