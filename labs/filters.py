"""Filters of the session list, the calendar and the residents' reports. Every choice list
is built from the current project and the user's scope: a partner operator is never
offered another organisation's activity."""

from __future__ import annotations

import datetime as dt
import re

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation

from . import access
from .models import Activity, Axis, Building, Lab, Project, ResidentReport, Session

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str | None) -> dt.date | None:
    """'2024-03' -> 1 March 2024; None for anything else."""
    match = MONTH.match(value or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def month_end(first: dt.date) -> dt.date:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


class MonthInput(forms.TextInput):
    input_type = "month"


class SessionFilter(django_filters.FilterSet):
    activity = django_filters.ModelChoiceFilter(
        queryset=Activity.objects.none(), label=_("Attività"), empty_label=_("Tutte le attività")
    )
    axis = django_filters.ModelChoiceFilter(
        field_name="activity__axis",
        queryset=Axis.objects.none(),
        label=_("Asse"),
        empty_label=_("Tutti gli assi"),
    )
    organisation = django_filters.ModelChoiceFilter(
        field_name="activity__organisation",
        queryset=Organisation.objects.none(),
        label=_("Ente"),
        empty_label=_("Tutti gli enti"),
    )
    lab = django_filters.ModelChoiceFilter(
        queryset=Lab.objects.none(), label=_("Laboratorio"), empty_label=_("Tutti i luoghi")
    )
    month = django_filters.CharFilter(
        label=_("Mese"), method="filter_month", widget=MonthInput(attrs={"placeholder": "AAAA-MM"})
    )
    state = django_filters.ChoiceFilter(
        label=_("Stato"),
        method="filter_state",
        empty_label=_("Tutti gli stati"),
        choices=[
            *Session.State.choices,
            ("to_record", _("Passati da registrare")),
            ("to_validate", _("Registro da validare")),
        ],
    )

    class Meta:
        model = Session
        fields: list[str] = []

    def __init__(self, *args, project: Project, user, **kwargs):
        super().__init__(*args, **kwargs)
        activities = access.scoped(Activity, user, project)
        self.filters["activity"].queryset = activities.order_by("name")
        self.filters["axis"].queryset = access.scoped(Axis, user, project)
        self.filters["organisation"].queryset = Organisation.objects.filter(
            pk__in=activities.values("organisation_id")
        ).order_by("name")
        self.filters["lab"].queryset = access.scoped(Lab, user, project)
        for name, field in self.form.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "month" else "form-select"

    def filter_month(self, queryset, name, value):
        first = parse_month(value)
        if first is None:
            return queryset
        return queryset.filter(date__range=(first, month_end(first)))

    def filter_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "to_record":
            return queryset.to_record(today)
        if value == "to_validate":
            return queryset.to_validate(today)
        return queryset.filter(state=value)


class ResidentReportFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("open_any", _("Non ancora chiuse")), *ResidentReport.Status.choices],
        method="filter_status",
        label=_("Stato"),
        empty_label=_("Tutti gli stati"),
    )
    category = django_filters.ChoiceFilter(
        choices=ResidentReport.Category.choices,
        label=_("Categoria"),
        empty_label=_("Tutte le categorie"),
    )
    building = django_filters.ModelChoiceFilter(
        queryset=Building.objects.none(), label=_("Edificio"), empty_label=_("Tutti gli edifici")
    )

    class Meta:
        model = ResidentReport
        fields: list[str] = []

    def __init__(self, *args, project: Project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["building"].queryset = access.scoped(Building, user, project).order_by(
            "address"
        )
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter_status(self, queryset, name, value):
        if value == "open_any":
            closed = [ResidentReport.Status.SOLVED, ResidentReport.Status.REJECTED]
            return queryset.filter(~Q(status__in=closed))
        return queryset.filter(status=value)
