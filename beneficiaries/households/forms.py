from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import (
    ArrearsRecord,
    CaseNote,
    Household,
    HouseholdMember,
    Person,
    Sex,
    Tenancy,
)
from beneficiaries.people.forms import DateInput
from labs import access
from labs.concurrency import VersionedFormMixin
from labs.models import HousingUnit


def _helper(label):
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


def project_units(user, project):
    """Units of the buildings in the project's neighbourhoods."""
    return access.scoped(HousingUnit, user, project).select_related("building")


def free_units(user, project):
    """The project's units where no household lives now: the only ones a household can
    move into (the service refuses an occupied one)."""
    occupied = Tenancy.objects.filter(unit=OuterRef("pk"), moved_out__isnull=True)
    return project_units(user, project).exclude(Exists(occupied))


CODE_TAKEN = _("Il codice %(code)s è già usato da un altro nucleo del progetto.")


class HouseholdCodeMixin:
    """The household code is unique in the project. The project is not a field of the
    form, so the model's unique constraint is skipped by the form's validation: check it
    here, next to the code."""

    def clean_code(self):
        code = self.cleaned_data["code"]
        # Uniqueness is checked against every household of the project, not a scope.
        taken = Household.objects.filter(project=self.instance.project, code=code)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(CODE_TAKEN, code="unique", params={"code": code})
        return code


class HouseholdCreateForm(HouseholdCodeMixin, forms.ModelForm):
    unit = forms.ModelChoiceField(
        queryset=HousingUnit.objects.none(),
        required=False,
        label=_("Alloggio"),
        help_text=_("Lasciare vuoto se il nucleo non abita in un alloggio del progetto."),
    )
    moved_in = forms.DateField(
        label=_("Data di ingresso nell'alloggio"), widget=DateInput(), required=False
    )

    class Meta:
        model = Household
        fields = ["code", "isee_band", "isee_year", "notes"]

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["unit"].queryset = free_units(user, project)
        self.helper = _helper(_("Registra il nucleo"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("unit") and not cleaned.get("moved_in"):
            self.add_error("moved_in", _("Indicare da quando il nucleo abita nell'alloggio."))
        return cleaned


class HouseholdForm(HouseholdCodeMixin, VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Household
        fields = ["code", "isee_band", "isee_year", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Salva"))


class HouseholdMoveForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=HousingUnit.objects.none(), label=_("Nuovo alloggio"))
    moved_on = forms.DateField(label=_("Data del trasloco"), widget=DateInput())

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = free_units(user, project)
        self.helper = _helper(_("Registra il trasloco"))


def masked_tax_code(code: str | None) -> str:
    """Enough of a codice fiscale to tell two namesakes apart, not the whole of it."""
    if not code:
        return str(_("senza codice fiscale"))
    return f"{code[:6]}{'•' * (len(code) - 10)}{code[-4:]}"


class PersonPickField(forms.ModelChoiceField):
    """A person of the project, shown with birth year and part of the codice fiscale."""

    widget = forms.RadioSelect

    def label_from_instance(self, person):
        return _("%(name)s, nato/a nel %(year)s, CF %(code)s") % {
            "name": f"{person.last_name} {person.first_name}",
            "year": person.birth_date.year,
            "code": masked_tax_code(person.tax_code),
        }


PICKER_LIMIT = 20


class MemberAddForm(forms.Form):
    """Add an existing person of the project, or a new one, to the household.

    The existing person is searched first (by name, birth year, codice fiscale, see
    ``search``); the choices are the people found, at most PICKER_LIMIT, minus those who
    already live in a household (the service would refuse them)."""

    person = PersonPickField(
        queryset=Person.objects.none(),
        required=False,
        label=_("Persona già registrata"),
        empty_label=None,
    )
    first_name = forms.CharField(label=_("Nome"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Cognome"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Data di nascita"), widget=DateInput(), required=False)
    sex = forms.ChoiceField(label=_("Sesso"), choices=[("", "—"), *Sex.choices], required=False)
    tax_code = forms.CharField(label=_("Codice fiscale"), max_length=16, required=False)
    relation = forms.ChoiceField(
        label=_("Relazione con l'intestatario"), choices=HouseholdMember.Relation.choices
    )
    start_date = forms.DateField(
        label=_("Nel nucleo dal"), widget=DateInput(), initial=timezone.localdate
    )

    def __init__(self, *args, people, search: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = people  # what the server accepts: the people the user may see
        self.search = search.strip()[:100]
        self.found, self.found_more, self.in_a_household = [], False, []
        if self.search:
            in_household = HouseholdMember.objects.filter(
                person=OuterRef("pk"), end_date__isnull=True
            )
            found = list(
                people.matching(self.search, tax_code=True, birth_year=True)
                .annotate(in_household=Exists(in_household))
                .order_by("last_name", "first_name", "birth_date", "pk")[: PICKER_LIMIT + 1]
            )
            self.found_more = len(found) > PICKER_LIMIT
            found = found[:PICKER_LIMIT]
            self.found = [p for p in found if not p.in_household]
            self.in_a_household = [p for p in found if p.in_household]
        # What is offered: only the people found who may join.
        field.widget.choices = [(p.pk, field.label_from_instance(p)) for p in self.found]
        if not self.found:
            field.help_text = _("Cercala con il modulo qui sopra.")
        self.helper = _helper(_("Aggiungi al nucleo"))

    def clean(self):
        cleaned = super().clean()
        new_fields = ("first_name", "last_name", "birth_date", "sex")
        if cleaned.get("person"):
            return cleaned
        missing = [f for f in new_fields if not cleaned.get(f)]
        if len(missing) == len(new_fields):
            raise forms.ValidationError(
                _("Scegliere una persona già registrata oppure inserire i dati di una nuova.")
            )
        for field in missing:
            self.add_error(field, _("Campo obbligatorio per una nuova persona."))
        if not missing:
            person = Person(
                first_name=cleaned["first_name"],
                last_name=cleaned["last_name"],
                birth_date=cleaned["birth_date"],
                sex=cleaned["sex"],
                tax_code=cleaned.get("tax_code") or None,
            )
            try:
                person.full_clean()
            except forms.ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
            cleaned["new_person"] = person
        return cleaned


class MemberEndForm(forms.Form):
    end_date = forms.DateField(label=_("Uscito/a dal nucleo il"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registra l'uscita"))


class ArrearsForm(forms.ModelForm):
    class Meta:
        model = ArrearsRecord
        fields = [
            "recorded_on",
            "amount",
            "blameless",
            "repayment_plan",
            "plan_monthly_amount",
            "community_work_hours",
            "notes",
        ]
        widgets = {"recorded_on": DateInput()}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.helper = _helper(_("Registra"))

    def clean_recorded_on(self):
        # One record per household and day; the household is not a field of the form, so
        # the model's unique constraint would only be met by the database.
        day = self.cleaned_data["recorded_on"]
        if self.instance.household.arrears.filter(recorded_on=day).exists():
            raise forms.ValidationError(
                _("Per questa data c'è già una situazione di morosità del nucleo."),
                code="unique",
            )
        return day


class CaseNoteForm(forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["date", "text"]
        widgets = {"date": DateInput(), "text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        self.helper = _helper(_("Aggiungi la nota"))
