"""The form of an équipe's case review. Its choices (équipes, members) come through
the scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.reviews.models import CaseReview
from labs import access
from labs.forms import DateInput, _helper
from labs.governance.models import Body, BodyMember


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} – {obj.organisation} ({obj.body})"


class CaseReviewForm(forms.ModelForm):
    class Meta:
        model = CaseReview
        fields = ["body", "date", "participants", "decisions", "next_review_on"]
        widgets = {
            "date": DateInput(),
            "next_review_on": DateInput(),
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, path, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.path = path
        project = path.project_id
        self.fields["body"].queryset = access.scoped(Body, user, project).filter(
            kind=Body.Kind.TEAM
        )
        self.fields["participants"] = MemberChoiceField(
            queryset=access.scoped(BodyMember, user, project)
            .filter(body__kind=Body.Kind.TEAM)
            .select_related("organisation", "body")
            .order_by("body__name", "full_name"),
            widget=forms.CheckboxSelectMultiple,
            label=_("Hanno partecipato"),
        )
        self.helper = _helper(_("Registra la verifica"))

    def clean(self):
        cleaned = super().clean()
        body, participants = cleaned.get("body"), cleaned.get("participants")
        if body and participants and any(p.body_id != body.pk for p in participants):
            self.add_error(
                "participants", _("Hanno partecipato solo componenti dell'équipe scelta.")
            )
        return cleaned
