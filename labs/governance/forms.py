"""Forms of the governance pages. Every choice list is read through the scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from labs import access
from labs import services as lab_services
from labs.concurrency import VersionedFormMixin
from labs.forms import DateInput, _helper, partner_organisations, project_operators
from labs.governance.models import Body, BodyMember, Meeting
from labs.models import Project


class OperatorField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class BodyForm(forms.ModelForm):
    class Meta:
        model = Body
        fields = ["kind", "name", "remit"]
        widgets = {"remit": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.helper = _helper(_("Crea l'organo"))


class BodyMemberForm(forms.ModelForm):
    class Meta:
        model = BodyMember
        fields = ["organisation", "full_name", "position", "user"]

    def __init__(self, *args, body: Body, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        self.fields["organisation"].queryset = partner_organisations(user, body.project)
        self.fields["user"] = OperatorField(
            queryset=project_operators(user, body.project),
            required=False,
            label=_("Utente del portale"),
            help_text=_("Solo se la persona lavora nel portale per questo progetto."),
        )
        self.helper = _helper(_("Aggiungi il componente"))


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    minutes_upload = forms.FileField(
        label=_("Verbale"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    class Meta:
        model = Meeting
        fields = ["date", "place", "agenda", "attendees", "decisions"]
        widgets = {
            "date": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, body: Body, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.body = body
        self.fields["attendees"].queryset = (
            access.scoped(BodyMember, user, body.project)
            .filter(body=body)
            .select_related("organisation")
        )
        self.fields["minutes_upload"].help_text = _(
            "PDF, JPEG o PNG, al massimo %(mb)s MB. Sostituisce il verbale già caricato."
        ) % {"mb": lab_services.evidence_max_bytes() // 2**20}
        self.helper = _helper(_("Salva la riunione"))

    def clean_minutes_upload(self):
        upload = self.cleaned_data.get("minutes_upload")
        if upload:
            try:
                lab_services.evidence_file_type(upload)
            except lab_services.SessionError as error:
                raise forms.ValidationError(str(error)) from None
        return upload or None
