"""Forms of budget lines, expenses and staff. Choices come from the project and, for a
partner operator, from their own organisation only."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from labs.budget.models import BudgetLine, Expense, StaffMember
from labs.forms import DateInput
from labs.models import Project
from partners.models import Organisation


class MoneyField(forms.DecimalField):
    """An amount typed the Italian way: '1.234,56', '1234,56', '€ 1234.56' all read as
    Decimal('1234.56'); shown back as '1234,56'."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        return {"inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value):
        if isinstance(value, str):
            text = value.replace("€", "").replace(" ", "").replace("\u00a0", "").strip()
            if "," in text:
                text = text.replace(".", "").replace(",", ".")
            elif text.count(".") > 1 or (
                "." in text and len(text.rsplit(".", 1)[1]) == 3 and text[0] != "."
            ):
                text = text.replace(".", "")  # '1.234' is one thousand two hundred ...
            value = text
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}".replace(".", ",")
        return value


class HoursField(forms.DecimalField):
    """The hours of one time-sheet cell, typed '4,5' or '4.5': a finite number from 0 to 24
    with at most two decimals (Django's DecimalField refuses NaN and infinity)."""

    def __init__(self, **kwargs):
        kwargs.update(max_digits=4, decimal_places=2, min_value=0, max_value=24)
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = True
    helper.add_input(Submit("save", label))
    return helper


MONEY_FIELDS = {"amount", "funded_amount", "annual_gross_cost"}


class ScopedMoneyForm(forms.ModelForm):
    """Sub-project and organisation choices from the project; a partner sees only their
    own organisation, already chosen."""

    def __init__(self, *args, project: Project, organisation_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        if "axis" in self.fields:
            self.fields["axis"].queryset = project.axes.all()
            self.fields["axis"].label = _("Sub-progetto")
        organisations = Organisation.objects.filter(partnerships__project=project)
        if organisation_id:
            organisations = organisations.filter(pk=organisation_id)
            self.fields["organisation"].initial = organisation_id
        self.fields["organisation"].queryset = organisations.order_by("name")
        self.fields["organisation"].empty_label = None if organisation_id else "---------"
        for name in MONEY_FIELDS & set(self.fields):
            old = self.fields[name]
            self.fields[name] = MoneyField(
                label=old.label, help_text=old.help_text, required=old.required
            )


class BudgetLineForm(ScopedMoneyForm):
    class Meta:
        model = BudgetLine
        fields = ["axis", "organisation", "category", "amount", "funded_amount", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Salva la voce"))

    def clean(self):
        data = super().clean()
        amount, funded = data.get("amount"), data.get("funded_amount")
        if amount is not None and funded is not None and funded > amount:
            self.add_error("funded_amount", _("La quota finanziata supera l'importo della voce."))
        return data


class ExpenseForm(ScopedMoneyForm):
    upload = forms.FileField(
        label=_("Documento (PDF, JPEG o PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    class Meta:
        model = Expense
        fields = [
            "date",
            "axis",
            "organisation",
            "category",
            "amount",
            "supplier",
            "document_number",
            "description",
        ]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = _(
            "Fattura, ricevuta o scontrino: PDF, JPEG o PNG, al massimo %(mb)s MB."
        ) % {"mb": settings.EVIDENCE_MAX_BYTES // 2**20}
        self.helper = _helper(_("Salva la spesa"))
        self.helper.form_enctype = "multipart/form-data"

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("L'importo deve essere maggiore di zero."))
        return amount


class ExpenseReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Esito"),
        choices=[("accept", _("Accetta la spesa")), ("reject", _("Respingi la spesa"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(label=_("Motivo del rifiuto"), max_length=250, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registra l'esito"))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", _("Indicare il motivo del rifiuto."))
        return data


class StaffForm(ScopedMoneyForm):
    class Meta:
        model = StaffMember
        fields = [
            "organisation",
            "last_name",
            "first_name",
            "job_title",
            "contract_type",
            "annual_gross_cost",
            "share_percent",
            "contract_annual_hours",
            "daily_hours",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Salva"))

    def clean(self):
        data = super().clean()
        contract = data.get("contract_type")
        share = data.get("share_percent")
        if contract == StaffMember.Contract.PART_TIME_FIXED and not (share and 0 < share < 100):
            self.add_error(
                "share_percent", _("Indicare la percentuale del part time (tra 0 e 100).")
            )
        if contract in (StaffMember.Contract.PART_TIME_VARIABLE, StaffMember.Contract.HOURLY):
            if not data.get("contract_annual_hours"):
                self.add_error(
                    "contract_annual_hours", _("Indicare le ore annue previste dal contratto.")
                )
        return data


class AllowancePaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Pagata il"), widget=DateInput())
    amount = MoneyField(label=_("Importo (€)"), max_digits=10, min_value=Decimal("0.01"))
    reference = forms.CharField(
        label=_("Riferimento del pagamento"), max_length=100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["inputmode"] = "decimal"
        self.helper = _helper(_("Registra il pagamento"))
