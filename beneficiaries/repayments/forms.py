"""A new repayment plan (on a household) and a payment (cash or hours) on a plan."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.people.forms import DateInput
from labs import access
from labs.models import Partnership
from partners.models import Organisation

from .models import RepaymentPayment, RepaymentPlan


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


def _money(label, *, max_value, required=True, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=10,
        decimal_places=2,
        help_text=help_text,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(max_value))],
    )


class RepaymentPlanForm(forms.ModelForm):
    debt = _money(_("Debito coperto dal piano (€)"), max_value="99999999.99")
    instalment_amount = _money(_("Rata mensile (€)"), max_value="999999.99")
    hourly_rate = _money(
        _("Valore di un'ora di lavoro comunitario (€)"),
        max_value="999.99",
        required=False,
        help_text=_("Vuoto se il piano non prevede restituzione in ore."),
    )

    class Meta:
        model = RepaymentPlan
        fields = [
            "creditor",
            "desk",
            "debt",
            "start_date",
            "instalment_amount",
            "hourly_rate",
            "notes",
        ]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        partners = access.scoped(Partnership, user, project).values("organisation_id")
        # The desk is a member of the partnership; the creditor an ALER or a member.
        self.fields["desk"].queryset = Organisation.objects.filter(pk__in=partners).order_by("name")
        self.fields["creditor"].queryset = Organisation.objects.filter(
            Q(pk__in=partners) | Q(kind=Organisation.Kind.HOUSING_AGENCY)
        ).order_by("name")
        self.fields["start_date"].initial = timezone.localdate
        self.helper = _helper(_("Crea il piano"))

    def clean_start_date(self):
        day = self.cleaned_data["start_date"]
        if day.year < 2000 or day.year > timezone.localdate().year + 2:
            raise forms.ValidationError(
                _(
                    "Data della prima rata fuori dall'intervallo ammesso "
                    "(dal 2000 a due anni da oggi)."
                )
            )
        return day


class RepaymentPaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Data"), widget=DateInput())
    channel = forms.ChoiceField(label=_("Canale"), choices=RepaymentPayment.Channel.choices)
    amount = _money(_("Importo versato (€)"), max_value="99999999.99", required=False)
    hours = forms.DecimalField(
        label=_("Ore di lavoro comunitario"),
        required=False,
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("500"))],
        help_text=_("Solo per il canale «ore di lavoro comunitario»."),
    )
    notes = forms.CharField(label=_("Note"), max_length=250, required=False)

    def __init__(self, *args, plan: RepaymentPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        if plan.hourly_rate is None:
            # Only what the server accepts: no hours on a plan without a rate.
            self.fields["channel"].choices = [
                c
                for c in RepaymentPayment.Channel.choices
                if c[0] != RepaymentPayment.Channel.COMMUNITY_WORK
            ]
            del self.fields["hours"]
        self.fields["paid_on"].initial = timezone.localdate
        self.helper = _helper(_("Registra il pagamento"))

    def clean(self):
        from django.core.exceptions import ValidationError

        from . import services

        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            services.check_payment(
                self.plan,
                paid_on=cleaned["paid_on"],
                channel=cleaned["channel"],
                amount=cleaned.get("amount"),
                hours=cleaned.get("hours"),
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned
