"""The imports offered, by the slug used in URLs and in the command."""

from .attendance import AttendanceImporter
from .households import HouseholdImporter
from .people import PeopleImporter
from .placements import PlacementImporter
from .repayments import RepaymentPaymentImporter
from .territory import BuildingImporter

IMPORTERS = {
    cls.kind: cls
    for cls in (
        BuildingImporter,
        HouseholdImporter,
        PeopleImporter,
        AttendanceImporter,
        RepaymentPaymentImporter,
        PlacementImporter,
    )
}


def importer_for(kind: str):
    return IMPORTERS.get(kind)
