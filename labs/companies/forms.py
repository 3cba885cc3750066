"""The company register's form: the municipality list comes through the choke point."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from labs import access
from labs.companies.models import HostCompany
from labs.concurrency import VersionedFormMixin
from partners.validators import normalise_code


class HostCompanyForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = HostCompany
        fields = [
            "name",
            "kind",
            "vat_number",
            "ateco_code",
            "sector",
            "municipality",
            "address",
            "contact_office",
            "email",
            "phone",
            "availability",
            "active",
        ]

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.user = user
        self.instance.project = project
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Salva l'azienda")))

    def clean_vat_number(self):
        code = normalise_code(self.cleaned_data["vat_number"])
        duplicate = (
            access.scoped(HostCompany, self.user, self.project)
            .filter(vat_number=code)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if duplicate:
            raise forms.ValidationError(
                _("Un'azienda con questa partita IVA è già nel registro del progetto.")
            )
        return code
