"""Forms of the individual path (percorso), with each ESF question explained in plain
Italian, as a social worker would explain it to the person."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Path
from beneficiaries.paths.models import (
    ENTRY_PROFILE_FIELDS,
    ENTRY_SENSITIVE_FIELDS,
    followup_window,
)
from beneficiaries.people.forms import DateInput
from labs import access
from labs.concurrency import VersionedFormMixin
from labs.models import Axis

YES_NO_UNKNOWN = [("", _("Non rilevato")), ("true", _("Sì")), ("false", _("No"))]

HELP = {
    "entry_date": _(
        "Il giorno in cui la persona inizia il percorso. I dati FSE qui sotto "
        "descrivono la sua situazione in quel giorno e non si aggiornano dopo."
    ),
    "labour_status": _(
        "Occupato: lavora, anche come autonomo o con contratti brevi. "
        "Disoccupato: non lavora, cerca lavoro e ha rilasciato la DID al Centro "
        "per l'impiego. Inattivo: non lavora e non cerca lavoro (studenti, "
        "pensionati, chi si occupa della casa...)."
    ),
    "unemployment_months": _(
        "Da quanti mesi, senza interruzioni, la persona è disoccupata. "
        "Serve a contare i disoccupati di lunga durata: oltre 12 mesi, "
        "oltre 6 mesi per chi ha meno di 25 anni."
    ),
    "education_level": _("Il titolo di studio più alto ottenuto, anche all'estero."),
    "jobless_household": _("Sì se nessun componente adulto del nucleo lavora."),
    "dependent_children": _(
        "Figli fino a 17 anni, o da 18 a 24 anni inattivi che vivono con almeno un genitore."
    ),
    "single_adult_household": _("Sì se nel nucleo c'è un solo adulto."),
    "homeless_or_housing_exclusion": _("Senza dimora, in alloggio di emergenza o precario."),
    "rural_area": _("Residenza in un comune classificato come area rurale."),
    "foreign_background": _(
        "Domanda facoltativa: la persona può non rispondere. Chi è nato "
        "all'estero o ha genitori nati all'estero."
    ),
    "third_country_national": _("Cittadinanza di un paese non appartenente all'Unione europea."),
    "minority": _("Domanda facoltativa: appartenenza a una minoranza, comprese le comunità rom."),
    "disability": _(
        "Domanda facoltativa: disabilità riconosciuta o dichiarata. È un dato "
        "particolare (art. 9 GDPR): visibile solo agli operatori sociali."
    ),
    "other_disadvantage": _(
        "Domanda facoltativa: altre situazioni di svantaggio (es. "
        "dipendenze, detenzione, violenza)."
    ),
}


def _nullable_boolean(field_name):
    return forms.TypedChoiceField(
        label=Path._meta.get_field(field_name).verbose_name,
        choices=YES_NO_UNKNOWN,
        coerce=lambda v: v == "true",
        empty_value=None,
        required=False,
    )


class PathCreateForm(forms.ModelForm):
    class Meta:
        model = Path
        fields = [
            "axis",
            "entry_date",
            "planned_hours",
            "allowance_eligible",
            *ENTRY_PROFILE_FIELDS,
            *ENTRY_SENSITIVE_FIELDS,
        ]
        widgets = {"entry_date": DateInput()}

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["axis"].queryset = access.scoped(Axis, user, project)
        for name in (
            "jobless_household",
            "dependent_children",
            "single_adult_household",
            "homeless_or_housing_exclusion",
        ):
            self.fields[name] = _nullable_boolean(name)
        for name, text in HELP.items():
            if name in self.fields:
                self.fields[name].help_text = text
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Percorso"), "axis", "entry_date", "planned_hours", "allowance_eligible"),
            Fieldset(_("Situazione all'ingresso (dati FSE)"), *ENTRY_PROFILE_FIELDS),
            Fieldset(_("Domande facoltative su dati particolari"), *ENTRY_SENSITIVE_FIELDS),
        )
        self.helper.add_input(Submit("save", _("Apri il percorso")))

    def clean(self):
        cleaned = super().clean()
        path = self.instance
        if Path.objects.filter(person=path.person, project=path.project).exists():
            raise forms.ValidationError(
                _(
                    "La persona ha già un percorso in questo progetto: un nuovo ingresso "
                    "mantiene la prima data e il primo profilo."
                )
            )
        return cleaned


class PathExitForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Path
        fields = [
            "exit_date",
            "exit_reason",
            "exit_job_searching",
            "exit_in_education",
            "exit_qualification",
            "exit_employed",
        ]
        widgets = {"exit_date": DateInput()}
        help_texts = {
            "exit_date": _(
                "Il giorno in cui il percorso si conclude o si interrompe. Gli esiti "
                "vanno rilevati entro 4 settimane dall'uscita."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in (
            "exit_job_searching",
            "exit_in_education",
            "exit_qualification",
            "exit_employed",
        ):
            self.fields[name] = _nullable_boolean(name)
        self.fields["exit_date"].required = True
        self.fields["exit_reason"].required = True
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Chiudi il percorso")))


class PathFollowupForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Path
        fields = [
            "followup_date",
            "followup_employed",
            "followup_self_employed",
            "followup_in_education",
            "followup_job_searching",
            "followup_improved",
        ]
        widgets = {"followup_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields[1:]:
            self.fields[name] = _nullable_boolean(name)
        self.fields["followup_date"].required = True
        first, last = followup_window(self.instance.exit_date)
        if first:
            self.fields["followup_date"].help_text = _(
                "Il giorno in cui la persona ha risposto. Vale dal %(first)s al %(last)s "
                "(sei mesi dopo l'uscita del %(exit)s)."
            ) % {
                "first": first.strftime("%d/%m/%Y"),
                "last": last.strftime("%d/%m/%Y"),
                "exit": self.instance.exit_date.strftime("%d/%m/%Y"),
            }
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Registra la rilevazione")))
