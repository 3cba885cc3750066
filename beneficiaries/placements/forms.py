"""Placement forms. Every choice (paths, host companies, promoters, tutors) comes through
``labs.access.scoped``, so a form offers only what the server accepts."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Path
from beneficiaries.placements.models import Placement
from labs import access
from labs.budget.forms import MoneyField
from labs.companies.models import HostCompany
from labs.concurrency import VersionedFormMixin
from labs.forms import DateInput
from labs.models import Partnership
from partners.models import Organisation


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


class DecimalCommaField(forms.DecimalField):
    """Hours typed '4,5' or '4.5'."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class MonthField(forms.DateField):
    """A month, typed in an <input type="month"> (2024-03) or as 03/2024."""

    input_formats = ["%Y-%m", "%m/%Y", "%Y-%m-%d", "%d/%m/%Y"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def tutor_choices(user, project):
    """The operators of the project (users with a role that counts in it)."""
    return access.scoped(get_user_model(), user, project).order_by(
        "last_name", "first_name", "username"
    )


class TutorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


class PlacementForm(VersionedFormMixin, forms.ModelForm):
    weekly_hours = DecimalCommaField(
        label=_("Ore settimanali"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("40"),
    )
    monthly_grant = MoneyField(
        label=_("Indennità mensile (€)"),
        max_digits=8,
        min_value=Decimal("0"),
        max_value=Decimal("5000"),
    )

    class Meta:
        model = Placement
        fields = [
            "path",
            "kind",
            "host",
            "promoter",
            "tutor",
            "start_date",
            "end_date",
            "weekly_hours",
            "monthly_grant",
            "notes",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        paths = access.scoped(Path, user, project).select_related("person")
        if self.instance.pk:
            del self.fields["path"]  # a placement stays on its path
        else:
            self.fields["path"].queryset = paths.filter(exit_date__isnull=True).order_by(
                "person__last_name", "person__first_name", "entry_date"
            )
            self.fields["path"].label_from_instance = lambda p: (
                f"{p.person} – {p.entry_date:%d/%m/%Y}"
            )
        self.fields["host"].queryset = (
            access.scoped(HostCompany, user, project)
            .filter(Q(active=True) | Q(pk=self.instance.host_id or 0))
            .order_by("name")
        )
        partners = access.scoped(Partnership, user, project).values("organisation_id")
        self.fields["promoter"].queryset = (
            access.scoped(Organisation, user).filter(pk__in=partners).order_by("name")
        )
        self.fields["tutor"] = TutorChoiceField(
            label=_("Tutor"),
            queryset=tutor_choices(user, project),
            required=False,
            help_text=_("L'operatore del progetto che segue l'inserimento."),
        )
        self.helper = _helper(_("Salva l'inserimento"))


class PlacementOutcomeForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Placement
        fields = ["outcome", "outcome_date", "contract_type", "interruption_reason"]
        widgets = {"outcome_date": DateInput()}
        help_texts = {
            "contract_type": _("Solo se la persona è stata assunta."),
            "interruption_reason": _("Solo se l'inserimento è stato interrotto."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].required = True
        self.fields["outcome_date"].required = True
        self.helper = _helper(_("Registra l'esito"))


class PlacementMonthForm(forms.Form):
    month = MonthField(label=_("Mese"), help_text=_("mm/aaaa, es. 04/2021"))
    hours = DecimalCommaField(
        label=_("Ore svolte nel mese"),
        max_digits=5,
        decimal_places=1,
        min_value=Decimal("0"),
        max_value=Decimal("250"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registra le ore"))


class PlacementPaymentForm(forms.Form):
    month = MonthField(label=_("Mese di competenza"), help_text=_("mm/aaaa, es. 04/2021"))
    paid_on = forms.DateField(label=_("Pagata il"), widget=DateInput())
    amount = MoneyField(label=_("Importo (€)"), max_digits=10, min_value=Decimal("0.01"))
    reference = forms.CharField(
        label=_("Riferimento del pagamento"), max_length=100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registra il pagamento"))
