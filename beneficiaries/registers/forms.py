"""The register form: a tick and the hours for each person, on one screen.

It works without JavaScript: each row has a checkbox and an hours field prefilled with the
session's length. The rows are the people on the register, the activity's usual
participants and those a search found (the view chooses them); anyone the user may
register can be ticked. static/js/register.js adds the people found without reloading
the page, narrows the rows as one types, and "select all / none".
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import Person
from labs.forms import HiddenFieldErrorsMixin
from labs.models import Session


@dataclass
class RegisterRow:
    """One person's row, with the texts of its hours input written once: the template
    draws up to a few hundred rows, and each attribute of a BoundField it asked for cost
    a lookup and a method call (the rows were half of the page's processor time)."""

    person: Person
    checked: bool
    usual: bool
    pk: str
    name: str  # "Rossi Maria", as the list is sorted
    hours_name: str
    hours_id: str
    hours_label: str
    hours_value: str
    hours_errors: list[str]


class RegisterForm(HiddenFieldErrorsMixin, forms.Form):
    token = forms.UUIDField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    present = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Presenti"),
        error_messages={
            "invalid_choice": _(
                "Una delle persone spuntate non è iscritta al progetto (o non è tra quelle "
                "che puoi vedere): ricarica il registro."
            ),
            "invalid_pk_value": _("Scelta non valida: ricarica il registro."),
        },
    )
    head_count = forms.IntegerField(
        min_value=0,
        max_value=10000,
        label=_("Presenti senza nome"),
        help_text=_("Per gli eventi aperti: quante altre persone hanno partecipato."),
    )
    enrol_present = forms.BooleanField(
        required=False,
        label=_("Ricorda i presenti come partecipanti abituali di questa attività"),
    )
    reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Motivo della correzione"),
        help_text=_("Il registro è validato: la correzione resta registrata con il motivo."),
    )

    def __init__(
        self,
        *args,
        session: Session,
        people,
        pool,
        current: dict[int, Decimal],
        correcting: bool,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.session = session
        self.correcting = correcting
        self.people = list(people)
        # Rows for ``people``; any person of ``pool`` (everyone the user may register)
        # may be ticked.
        self.fields["present"].queryset = pool
        self.fields["reason"].widget.attrs["class"] = "form-control"
        # One hours field per row, copied from one made here: the rows differ only in
        # label and initial value, and building each field anew (widget, validators)
        # cost more than the rest of the form.
        hours = forms.DecimalField(
            required=False,
            max_digits=5,
            decimal_places=2,
            localize=True,
            widget=forms.TextInput(
                attrs={"inputmode": "decimal", "size": 4, "class": "form-control"}
            ),
        )
        label = gettext("Ore di %(name)s")
        initial: dict[Decimal, str] = {}
        default = session.hours
        for person in self.people:
            value = current.get(person.pk, default)
            if value not in initial:
                initial[value] = formats.localize_input(value)
            field = copy.copy(hours)
            field.label = label % {"name": person.full_name}
            field.initial = initial[value]
            self.fields[f"hours_{person.pk}"] = field
        if correcting:
            self.fields["reason"].required = True
        else:
            del self.fields["reason"]
            if current:
                del self.fields["enrol_present"]
        if not self.is_bound:
            if current or session.state != Session.State.PLANNED:
                self.initial.setdefault("present", list(current))
            else:  # a register not filled yet: the usual participants are ticked
                self.initial.setdefault("present", [p.pk for p in self.people if p.usual])
            self.initial.setdefault("head_count", session.head_count)
            self.initial.setdefault("version", session.version)
            self.initial.setdefault("token", uuid.uuid4())

    @cached_property
    def rows(self) -> list[RegisterRow]:
        if self.is_bound:
            checked = set(self.data.getlist(self.add_prefix("present")))
            errors = self.errors
        else:
            checked = {str(pk) for pk in self.initial.get("present", [])}
            errors = {}
        # BoundField.auto_id's rule, for the form's auto_id ("id_%s" unless changed).
        auto_id = str(self.auto_id) if self.auto_id else ""
        id_format = auto_id if "%s" in auto_id else ("%s" if auto_id else "")
        rows = []
        for p in self.people:
            pk = str(p.pk)
            name = self.add_prefix(f"hours_{pk}")
            field = self.fields[f"hours_{pk}"]
            # What BoundField.value() gives: the text posted, or the initial value.
            value = self.data.get(name) if self.is_bound else field.initial
            rows.append(
                RegisterRow(
                    person=p,
                    checked=pk in checked,
                    usual=p.usual,
                    pk=pk,
                    name=f"{p.last_name} {p.first_name}",
                    hours_name=name,
                    hours_id=id_format % name if id_format else "",
                    hours_label=field.label,
                    hours_value="" if value is None else value,
                    hours_errors=list(errors.get(f"hours_{pk}", ())),
                )
            )
        return rows

    @property
    def checked_count(self) -> int:
        return sum(1 for row in self.rows if row.checked)

    def clean(self):
        cleaned = super().clean()
        lines: dict[Person, Decimal] = {}
        for person in cleaned.get("present") or []:
            name = f"hours_{person.pk}"
            if name in self.errors:
                continue
            hours = cleaned.get(name)
            if hours is None:
                hours = self.session.hours  # left empty: the whole session
            if hours <= 0:
                self.add_error(
                    name,
                    _("%(name)s: le ore devono essere più di zero.") % {"name": person.full_name},
                )
            elif hours * 60 > self.session.duration_minutes:
                self.add_error(
                    name,
                    _("%(name)s: %(hours)s ore superano la durata dell'incontro (%(length)s).")
                    % {
                        "name": person.full_name,
                        "hours": formats.number_format(hours, 2),
                        "length": formats.number_format(self.session.hours, 2),
                    },
                )
            lines[person] = hours
        cleaned["lines"] = lines
        return cleaned

    @property
    def hours_errors(self) -> list[str]:
        """Errors of the hours fields, to list at the top of the form."""
        return [e for name, errs in self.errors.items() if name.startswith("hours_") for e in errs]
