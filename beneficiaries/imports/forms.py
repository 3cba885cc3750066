from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .reading import ImportFileError, check_size
from .registry import IMPORTERS


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Che cosa si importa"))
    file = forms.FileField(
        label=_("File"),
        help_text=_("XLSX o CSV (UTF-8 o Windows-1252, separato da punto e virgola o virgola)."),
    )

    def __init__(self, *args, grant, **kwargs):
        super().__init__(*args, **kwargs)
        # No default: a file loaded as the wrong kind would only show missing columns.
        # Only the imports the user may run are offered (and accepted).
        self.fields["kind"].choices = [("", "---------")] + [
            (k, cls.title) for k, cls in IMPORTERS.items() if grant.can(cls.capability)
        ]
        self.helper = FormHelper()
        self.helper.form_id = "import-form"
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("upload", _("Carica e controlla")))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            check_size(upload.size)
        except ImportFileError as error:
            raise forms.ValidationError(error.message) from None
        return upload
