"""Filters of the people list. Choices are built from the current project, so even a
dropdown never names another project's building."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import HouseholdMember, Path, Person
from labs import access
from labs.models import Building


class PersonFilter(django_filters.FilterSet):
    building = django_filters.ModelChoiceFilter(
        queryset=Building.objects.none(),
        label=_("Edificio"),
        method="filter_building",
        empty_label=_("Tutti gli edifici"),
    )
    path = django_filters.ChoiceFilter(
        label=_("Percorso"),
        choices=[("open", _("in corso")), ("closed", _("concluso")), ("none", _("nessuno"))],
        method="filter_path",
        empty_label=_("Percorso: tutti"),
    )
    privacy = django_filters.ChoiceFilter(
        label=_("Informativa privacy"),
        choices=[("missing", _("mancante o non valida")), ("valid", _("valida"))],
        method="filter_privacy",
        empty_label=_("Privacy: tutti"),
    )

    class Meta:
        model = Person
        fields = []

    def __init__(self, *args, project, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.user = user
        self.filters["building"].queryset = access.scoped(Building, user, project).order_by(
            "address"
        )
        for field in self.form.fields.values():
            field.widget.attrs["class"] = "form-select"

    def filter_building(self, queryset, name, value):
        living = access.scoped(HouseholdMember, self.user, self.project).filter(
            person=OuterRef("pk"),
            end_date__isnull=True,
            household__tenancies__moved_out__isnull=True,
            household__tenancies__unit__building=value,
        )
        return queryset.filter(Exists(living))

    def filter_path(self, queryset, name, value):
        paths = access.scoped(Path, self.user, self.project).filter(person=OuterRef("pk"))
        if value == "open":
            return queryset.filter(Exists(paths.filter(exit_date__isnull=True)))
        if value == "closed":
            return queryset.filter(Exists(paths.filter(exit_date__isnull=False)))
        return queryset.exclude(Exists(paths))

    def filter_privacy(self, queryset, name, value):
        return queryset.filter(has_privacy_notice=(value == "valid"))
