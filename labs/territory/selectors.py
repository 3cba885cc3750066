"""The territory of a project: its neighbourhoods, buildings, units and who lives there.

Every count comes from the database, and each function issues a fixed number of queries
whatever the number of buildings, units or households. Households are counted and shown
only when they belong to the project: a unit may be lived in by a household another
project follows, and this project must not learn that record exists.
"""

from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from labs import access
from labs.models import Building, HousingUnit, Neighbourhood, Project

Status = HousingUnit.Status

# The per-building figures, in the order the pages show them.
OCCUPANCY_FIELDS = (
    "declared_units",
    "units_in_portal",
    "occupied",
    "vacant",
    "under_works",
    "no_title",
    "households",
)


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """The number of rows of ``queryset`` (already filtered on an OuterRef), as a
    correlated subquery: 0 when there are none."""
    counted = queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _current_tenancies(user, project: Project) -> QuerySet:
    return access.scoped(_tenancy_model(), user, project).filter(moved_out__isnull=True)


def buildings_with_occupancy(user, project: Project) -> QuerySet:
    """The buildings of the project's neighbourhoods, each annotated with its units in the
    portal, their count by status, and the households of the project living there now.
    One query."""
    households = _current_tenancies(user, project).filter(unit__building=OuterRef("pk"))
    return (
        access.scoped(Building, user, project)
        .select_related("owner")
        .annotate(
            units_in_portal=Count("units"),
            occupied=Count("units", filter=Q(units__status=Status.OCCUPIED)),
            vacant=Count("units", filter=Q(units__status=Status.VACANT)),
            under_works=Count("units", filter=Q(units__status=Status.UNDER_WORKS)),
            no_title=Count("units", filter=Q(units__status=Status.OCCUPIED_WITHOUT_TITLE)),
            households=_count(households, "unit__building"),
        )
        .order_by("address", "pk")
    )


# Occupancy (tenancies, household members) belongs to beneficiaries, which labs never
# imports: territory reads it through the reverse relations of its own models.
def _tenancy_model():
    return HousingUnit._meta.get_field("tenancies").related_model


def _member_model():
    household = _tenancy_model()._meta.get_field("household").related_model
    return household._meta.get_field("members").related_model


@dataclass
class Occupancy:
    """The sum of the per-building figures of a group of buildings."""

    declared_units: int = 0
    units_in_portal: int = 0
    occupied: int = 0
    vacant: int = 0
    under_works: int = 0
    no_title: int = 0
    households: int = 0

    def add(self, building: Building) -> None:
        for name in OCCUPANCY_FIELDS:
            setattr(self, name, getattr(self, name) + getattr(building, name))


@dataclass
class Territory:
    neighbourhoods: list[Neighbourhood]
    totals: Occupancy = field(default_factory=Occupancy)


def project_territory(user, project: Project) -> Territory:
    """The project's neighbourhoods (``Neighbourhood.projects``), each with its buildings
    (``.project_buildings``, annotated as in ``buildings_with_occupancy``) and their
    totals (``.totals``), and the totals of the whole territory. Two queries."""
    neighbourhoods = list(
        access.scoped(Neighbourhood, user, project)
        .select_related("municipality")
        .prefetch_related(
            Prefetch(
                "buildings",
                queryset=buildings_with_occupancy(user, project),
                to_attr="project_buildings",
            )
        )
        .order_by("municipality__name", "name")
    )
    territory = Territory(neighbourhoods)
    for neighbourhood in neighbourhoods:
        neighbourhood.totals = Occupancy()
        for building in neighbourhood.project_buildings:
            neighbourhood.totals.add(building)
            territory.totals.add(building)
    return territory


def building_units(user, project: Project, building: Building) -> QuerySet:
    """The building's units with the project's household living there now, if any
    (``household_id``, ``household_code``, ``moved_in``) and its current members
    (``residents``). One query."""
    current = _current_tenancies(user, project).filter(unit=OuterRef("pk"))
    residents = access.scoped(_member_model(), user, project).filter(
        end_date__isnull=True,
        household__tenancies__unit=OuterRef("pk"),
        household__tenancies__moved_out__isnull=True,
    )
    return (
        access.scoped(HousingUnit, user, project)
        .filter(building=building)
        .annotate(
            household_id=Subquery(current.values("household_id")[:1]),
            household_code=Subquery(current.values("household__code")[:1]),
            moved_in=Subquery(current.values("moved_in")[:1]),
            residents=_count(residents, "household__tenancies__unit"),
        )
        .order_by("staircase", "floor", "owner_code", "pk")
    )
