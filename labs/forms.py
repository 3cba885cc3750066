"""Forms of activities, sessions, evidence, residents' reports and periods. Every choice
list is built from the current project and what the user may do in it."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation

from . import services
from .models import (
    Activity,
    Building,
    HousingUnit,
    Lab,
    Project,
    ReportingPeriod,
    ResidentReport,
    Session,
    SessionEvidence,
)

STALE_PAGE_MESSAGE = _(
    "La pagina non è più valida (è rimasta aperta a lungo o è stata modificata): "
    "ricaricala e ripeti l'operazione. Quello che hai scritto è ancora qui sotto."
)


class HiddenFieldErrorsMixin:
    """An error on a hidden field (a record's version, a one-time token) has no place
    next to a field the user can see: it becomes an error of the whole form, shown above
    it, instead of a form that comes back with no message."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or self._errors is None:
            return
        hidden = [n for n in list(self._errors) if n in self.fields and self[n].is_hidden]
        for name in hidden:
            del self._errors[name]
        if hidden:
            errors = self._errors.setdefault(
                NON_FIELD_ERRORS, self.error_class(error_class="nonfield", renderer=self.renderer)
            )
            if STALE_PAGE_MESSAGE not in errors:
                errors.append(STALE_PAGE_MESSAGE)


WEEKDAYS = [
    (0, _("lunedì")),
    (1, _("martedì")),
    (2, _("mercoledì")),
    (3, _("giovedì")),
    (4, _("venerdì")),
    (5, _("sabato")),
    (6, _("domenica")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("save", label))
    return helper


def project_operators(project: Project, organisation_id: int | None = None):
    """Users with a role in the project (only one organisation's, for a partner)."""
    users = get_user_model().objects.filter(project_roles__project=project, is_active=True)
    if organisation_id is not None:
        users = users.filter(project_roles__organisation_id=organisation_id)
    return users.order_by("last_name", "first_name").distinct()


class OperatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "name",
            "kind",
            "axis",
            "organisation",
            "lab",
            "planned_hours",
            "is_open_event",
            "description",
        ]

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.fields["axis"].queryset = project.axes.all()
        self.fields["organisation"].queryset = Organisation.objects.filter(
            partnerships__project=project
        ).order_by("name")
        self.fields["lab"].queryset = project.labs.all()
        self.helper = _helper(_("Salva l'attività"))


def _columns(*names: str) -> Row:
    """Fields side by side from the tablet width up."""
    width = 12 // len(names)
    return Row(*(Column(name, css_class=f"col-md-{width}") for name in names))


class SessionFieldsMixin:
    """Choices of the session forms: the activities whose sessions the user may change,
    the project's labs, the people who may operate."""

    def setup(self, *, project: Project, activities, organisation_id: int | None):
        self.fields["activity"].queryset = activities.select_related("axis").order_by("name")
        self.fields["lab"].queryset = project.labs.all()
        self.fields["lab"].empty_label = _("— altro luogo (indicare sotto) —")
        self.fields["operators"] = OperatorChoiceField(
            queryset=project_operators(project, organisation_id),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            label=_("Operatori"),
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("lab") and not cleaned.get("place", "").strip():
            self.add_error("place", _("Indicare il laboratorio o il luogo dell'incontro."))
        return cleaned


class SessionForm(HiddenFieldErrorsMixin, SessionFieldsMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Session
        fields = ["activity", "date", "start_time", "end_time", "lab", "place", "notes"]
        widgets = {
            "date": DateInput(),
            "start_time": TimeInput(),
            "end_time": TimeInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, project, activities, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup(project=project, activities=activities, organisation_id=organisation_id)
        if self.instance.pk:
            self.fields["activity"].disabled = True
            self.initial.setdefault("version", self.instance.version)
            self.initial.setdefault("operators", list(self.instance.operators.all()))
        self.helper = _helper(_("Salva l'incontro"))
        self.helper.layout = Layout(
            _columns("activity", "lab"),
            _columns("date", "start_time", "end_time"),
            "place",
            "notes",
            "operators",
            "version",
        )


class SessionSeriesForm(SessionFieldsMixin, forms.Form):
    activity = forms.ModelChoiceField(queryset=Activity.objects.none(), label=_("Attività"))
    first_date = forms.DateField(label=_("Dal"), widget=DateInput())
    last_date = forms.DateField(label=_("Al"), widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label=_("Ogni"),
    )
    start_time = forms.TimeField(label=_("Ora di inizio"), widget=TimeInput())
    end_time = forms.TimeField(label=_("Ora di fine"), widget=TimeInput())
    lab = forms.ModelChoiceField(queryset=Lab.objects.none(), required=False, label=_("Luogo"))
    place = forms.CharField(max_length=200, required=False, label=_("Altro luogo"))
    notes = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label=_("Note")
    )

    def __init__(self, *args, project, activities, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup(project=project, activities=activities, organisation_id=organisation_id)
        self.helper = _helper(_("Crea gli incontri"))
        self.helper.layout = Layout(
            _columns("activity", "lab"),
            _columns("first_date", "last_date"),
            InlineCheckboxes("weekdays"),
            _columns("start_time", "end_time"),
            "place",
            "notes",
            "operators",
        )

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_date"), cleaned.get("last_date")
        if first and last and last < first:
            self.add_error("last_date", _("La data finale non può precedere quella iniziale."))
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("L'ora di fine deve seguire l'ora di inizio."))
        return cleaned


class SessionCancelForm(HiddenFieldErrorsMixin, forms.Form):
    reason = forms.CharField(
        max_length=250,
        label=_("Perché l'incontro non si è svolto?"),
        help_text=_("Ad esempio: maltempo, operatore malato, nessun partecipante."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Segna come non svolto"))


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=SessionEvidence.Kind.choices, label=_("Tipo di documento"))
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("PDF, JPEG o PNG, al massimo %(mb)s MB.") % {
            "mb": services.evidence_max_bytes() // 2**20
        }
        self.helper = _helper(_("Carica"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            services.evidence_file_type(upload)
        except services.SessionError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ResidentReportForm(forms.ModelForm):
    """New report: where, what, when. Follow-up fields come with ResidentReportUpdateForm."""

    class Meta:
        model = ResidentReport
        fields = ["building", "unit", "category", "description", "opened_on"]
        widgets = {"opened_on": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        buildings = Building.objects.filter(neighbourhood__projects=project).distinct()
        self.fields["building"].queryset = buildings.order_by("address")
        self.fields["unit"].queryset = (
            HousingUnit.objects.filter(building__in=buildings)
            .select_related("building")
            .order_by("building__address", "staircase", "floor", "owner_code")
        )
        self.helper = _helper(_("Registra la segnalazione"))


class ResidentReportUpdateForm(forms.ModelForm):
    class Meta:
        model = ResidentReport
        fields = ["status", "assigned_to", "solved_on", "resolution"]
        widgets = {"solved_on": DateInput(), "resolution": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "solved_on": _("Se vuota, chiudendo la segnalazione si usa la data di oggi."),
        }

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        # The project's partners, and whoever the report is already assigned to. One
        # filter with distinct(): OR-ing two querysets joins the partnerships of every
        # project and repeats an organisation once per partnership (the choice then
        # fails with MultipleObjectsReturned).
        # scope: organisations of the project's partnership
        self.fields["assigned_to"].queryset = (
            Organisation.objects.filter(
                Q(partnerships__project=project) | Q(pk=self.instance.assigned_to_id)
            )
            .distinct()
            .order_by("name")
        )
        self.helper = _helper(_("Aggiorna la segnalazione"))


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["name", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.project = project
        self.helper = _helper(_("Crea il periodo"))


class PeriodReopenForm(forms.Form):
    reason = forms.CharField(
        max_length=250,
        label=_("Motivo della riapertura"),
        help_text=_("Resta nella storia del periodo, con il tuo nome e l'ora."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Riapri il periodo"))
