"""The territory a project works in: neighbourhoods, ERP buildings and their flats."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from labs.models import Municipality, Project
from partners.models import Organisation


def _neighbourhoods_of(projects):
    """Ids of the neighbourhoods of the projects (a project, an id or a list of ids), as
    a semi-join on the M2M table: never a join that repeats a row."""
    if isinstance(projects, Project | int):
        projects = [getattr(projects, "pk", projects)]
    through = Neighbourhood.projects.through
    return through.objects.filter(project_id__in=projects).values("neighbourhood_id")


class NeighbourhoodQuerySet(models.QuerySet):
    def in_projects(self, projects):
        """The territory of the projects: the one place that knows how it is linked."""
        return self.filter(pk__in=_neighbourhoods_of(projects))


class BuildingQuerySet(models.QuerySet):
    def in_projects(self, projects):
        return self.filter(neighbourhood_id__in=_neighbourhoods_of(projects))


class HousingUnitQuerySet(models.QuerySet):
    def in_projects(self, projects):
        return self.filter(building__neighbourhood_id__in=_neighbourhoods_of(projects))


class Neighbourhood(models.Model):
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        verbose_name=_("comune"),
    )
    name = models.CharField(_("nome"), max_length=150)
    description = models.TextField(_("descrizione"), blank=True)
    projects = models.ManyToManyField(
        Project, related_name="neighbourhoods", blank=True, verbose_name=_("progetti")
    )

    objects = NeighbourhoodQuerySet.as_manager()

    class Meta:
        verbose_name = _("quartiere")
        verbose_name_plural = _("quartieri")
        ordering = ["municipality__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="neighbourhood_unique_in_municipality"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality.name})"


class Building(models.Model):
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("quartiere"),
    )
    name = models.CharField(_("nome del complesso"), max_length=150)
    address = models.CharField(_("indirizzo"), max_length=200)
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="buildings",
        verbose_name=_("proprietario / ente gestore"),
    )
    owner_code = models.CharField(_("codice dello stabile"), max_length=40, blank=True)
    declared_units = models.PositiveIntegerField(_("alloggi dichiarati"), default=0)
    notes = models.TextField(_("note"), blank=True)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("edificio")
        verbose_name_plural = _("edifici")
        ordering = ["neighbourhood", "address"]
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "address"], name="building_address_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.address


class HousingUnit(models.Model):
    class Tenure(models.TextChoices):
        SOCIAL_RENT = "canone_sociale", _("Canone sociale (SAP)")
        MODERATE_RENT = "canone_moderato", _("Canone moderato")
        AGREED_RENT = "canone_concordato", _("Canone concordato")
        TEMPORARY = "transitorio", _("Servizio abitativo transitorio")
        OTHER = "altro", _("Altro")

    class Status(models.TextChoices):
        OCCUPIED = "occupied", _("Occupato")
        VACANT = "vacant", _("Sfitto")
        UNDER_WORKS = "under_works", _("In ristrutturazione")
        OCCUPIED_WITHOUT_TITLE = "no_title", _("Occupato senza titolo")

    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, related_name="units", verbose_name=_("edificio")
    )
    staircase = models.CharField(_("scala"), max_length=10, blank=True)
    floor = models.SmallIntegerField(_("piano"), default=0)
    owner_code = models.CharField(_("codice alloggio dell'ente"), max_length=40)
    rooms = models.PositiveSmallIntegerField(_("vani"), default=2)
    surface_m2 = models.PositiveSmallIntegerField(_("superficie (m²)"), null=True, blank=True)
    tenure = models.CharField(
        _("regime"), max_length=30, choices=Tenure.choices, default=Tenure.SOCIAL_RENT
    )
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.OCCUPIED
    )
    history = HistoricalRecords()

    objects = HousingUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("alloggio")
        verbose_name_plural = _("alloggi")
        ordering = ["building", "staircase", "floor", "owner_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "owner_code"],
                name="unit_code_unique_in_building",
                violation_error_message=_(
                    "Esiste già un alloggio con questo codice nell'edificio."
                ),
            ),
            models.CheckConstraint(condition=Q(rooms__gte=1), name="unit_has_rooms"),
            models.CheckConstraint(
                condition=Q(floor__gte=-3) & Q(floor__lte=60), name="unit_floor_plausible"
            ),
        ]

    def __str__(self) -> str:
        parts = [str(self.building)]
        if self.staircase:
            parts.append(_("scala %(s)s") % {"s": self.staircase})
        parts.append(_("piano %(f)s") % {"f": self.floor})
        parts.append(self.owner_code)
        return ", ".join(str(p) for p in parts)
