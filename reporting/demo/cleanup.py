"""``delete_demo``: remove what the demo built and nothing that something else still uses."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.test.utils import override_settings

from beneficiaries.models import (
    ActivityEnrolment,
    ArrearsRecord,
    Attendance,
    CaseNote,
    CaseReview,
    Consent,
    Household,
    HouseholdMember,
    Path,
    Person,
    PersonLink,
    Registration,
    RepaymentPayment,
    RepaymentPlan,
    SensitiveAccess,
    Tenancy,
)
from labs.models import (
    Activity,
    Axis,
    Body,
    BodyMember,
    Building,
    District,
    HousingUnit,
    Lab,
    Meeting,
    Municipality,
    Neighbourhood,
    Partnership,
    Programme,
    Project,
    ProjectRole,
    ReportingPeriod,
    ResidentReport,
    Session,
    SessionEvidence,
)
from partners.models import Membership, Organisation
from reporting.models import ProgressReport

from . import loader
from .reference import demo_email

#: Where each model reaches the people of a project.
PERSON_PATHS = [
    (Registration, "project"),
    (Path, "project"),
    (HouseholdMember, "household__project"),
    (Attendance, "session__activity__project"),
    (ActivityEnrolment, "activity__project"),
]
PERSON_USES = (Registration, HouseholdMember, Path, Attendance, ActivityEnrolment, CaseNote)


def _purge(queryset) -> int:
    """Delete rows and the audit history of exactly those rows (demo data only)."""
    model = queryset.model
    ids = list(queryset.values_list("pk", flat=True))
    if not ids:
        return 0
    history = getattr(model, "history", None)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        model.objects.filter(pk__in=chunk).delete()
        if history is not None:
            history.model.objects.filter(id__in=chunk).delete()
    return len(ids)


def _try_purge(*querysets) -> bool:
    """Delete all the querysets, or none of them if something outside the demo still
    points at their rows."""
    try:
        with transaction.atomic():
            for queryset in querysets:
                _purge(queryset)
        return True
    except ProtectedError:
        return False


def purge_project_rows(projects, deleted: Counter) -> list[int]:
    """Everything recorded in the projects, and the projects; returns the ids of their
    neighbourhoods."""
    in_projects = Q(project__in=projects)
    sessions = Session.objects.filter(activity__project__in=projects)
    deleted["Attendance"] += _purge(Attendance.objects.filter(session__in=sessions))
    _purge(SessionEvidence.objects.filter(session__in=sessions))
    deleted["Session"] += _purge(sessions)
    deleted["ActivityEnrolment"] += _purge(
        ActivityEnrolment.objects.filter(activity__project__in=projects)
    )
    deleted["Activity"] += _purge(Activity.objects.filter(in_projects))
    deleted["ResidentReport"] += _purge(ResidentReport.objects.filter(in_projects))
    _purge(ProgressReport.objects.filter(in_projects))
    deleted["CaseNote"] += _purge(CaseNote.objects.filter(in_projects))
    _purge(CaseReview.objects.filter(path__project__in=projects))
    _purge_placements(projects, deleted)
    deleted["Path"] += _purge(Path.objects.filter(in_projects))
    households = Household.objects.filter(in_projects)
    deleted["ArrearsRecord"] += _purge(ArrearsRecord.objects.filter(household__in=households))
    plans = RepaymentPlan.objects.filter(household__in=households)
    deleted["RepaymentPayment"] += _purge(RepaymentPayment.objects.filter(plan__in=plans))
    deleted["RepaymentPlan"] += _purge(plans)  # its instalments go with it
    deleted["Tenancy"] += _purge(Tenancy.objects.filter(household__in=households))
    deleted["HouseholdMember"] += _purge(HouseholdMember.objects.filter(household__in=households))
    deleted["Household"] += _purge(households)
    _purge(Registration.objects.filter(in_projects))
    _purge(SensitiveAccess.objects.filter(in_projects))
    _purge(Meeting.objects.filter(body__project__in=projects))
    _purge(BodyMember.objects.filter(body__project__in=projects))
    _purge(Body.objects.filter(in_projects))
    for model in (ProjectRole, Partnership, ReportingPeriod, Lab, Axis):
        _purge(model.objects.filter(in_projects))
    neighbourhood_ids = list(
        Neighbourhood.objects.filter(projects__in=projects).values_list("pk", flat=True).distinct()
    )
    deleted["Project"] += _purge(projects)
    return neighbourhood_ids


def _purge_placements(projects, deleted: Counter) -> None:
    """Placements with their hours and grant payments, then the company register."""
    from beneficiaries.models import Placement, PlacementMonth, PlacementPayment
    from labs.companies.models import HostCompany

    in_placements = Q(placement__path__project__in=projects)
    _purge(PlacementPayment.objects.filter(in_placements))
    _purge(PlacementMonth.objects.filter(in_placements))
    deleted["Placement"] += _purge(Placement.objects.filter(path__project__in=projects))
    deleted["HostCompany"] += _purge(HostCompany.objects.filter(project__in=projects))


def purge_free_people(person_ids: set[int], deleted: Counter) -> None:
    """People of the demo that no other project uses, with their consents and links."""
    ids = sorted(person_ids)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        used = set()
        for model in PERSON_USES:
            used.update(
                model.objects.filter(person_id__in=chunk).values_list("person_id", flat=True)
            )
        free_ids = [pk for pk in chunk if pk not in used]
        _purge(Consent.objects.filter(person_id__in=free_ids))
        _purge(PersonLink.objects.filter(Q(person_id__in=free_ids) | Q(same_as_id__in=free_ids)))
        deleted["Person"] += _purge(Person.objects.filter(pk__in=free_ids))


def purge_free_territory(neighbourhood_ids: list[int], deleted: Counter) -> None:
    """The demo's neighbourhoods, municipalities and districts that nothing else uses."""
    for neighbourhood in Neighbourhood.objects.filter(pk__in=neighbourhood_ids):
        if neighbourhood.projects.exists():
            continue
        buildings = Building.objects.filter(neighbourhood=neighbourhood)
        units = HousingUnit.objects.filter(building__in=buildings)
        counts = (units.count(), buildings.count())
        if _try_purge(units, buildings, Neighbourhood.objects.filter(pk=neighbourhood.pk)):
            deleted["HousingUnit"] += counts[0]
            deleted["Building"] += counts[1]
    for spec in loader.reference()["municipalities"]:
        municipality = Municipality.objects.filter(
            istat_code=spec["istat"], name=spec["name"]
        ).first()
        if municipality and not (
            municipality.projects.exists()
            or municipality.labs.exists()
            or municipality.neighbourhoods.exists()
        ):
            deleted["Municipality"] += _try_purge(Municipality.objects.filter(pk=municipality.pk))
    for name, _ in loader.reference()["districts"].values():
        district = District.objects.filter(name=name).first()
        if district and not district.municipalities.exists():
            _try_purge(District.objects.filter(pk=district.pk))


def purge_free_reference(deleted: Counter) -> None:
    """The demo users, and the organisations and programmes of the demo nothing uses."""
    User = get_user_model()
    for spec in loader.demo_users():
        user = User.objects.filter(
            username=spec["username"], email=demo_email(spec["username"])
        ).first()
        if user is not None:
            deleted["User"] += _try_purge(
                Membership.objects.filter(user=user), User.objects.filter(pk=user.pk)
            )
    for spec in loader.reference()["organisations"]:
        organisation = Organisation.objects.filter(name=spec["name"]).first()
        if organisation is None or organisation.memberships.exists():
            continue
        deleted["Organisation"] += _try_purge(Organisation.objects.filter(pk=organisation.pk))
    for spec in loader.reference()["programmes"]:
        programme = Programme.objects.filter(code=spec["code"]).first()
        if programme and not programme.projects.exists():
            deleted["Programme"] += _try_purge(Programme.objects.filter(pk=programme.pk))


@transaction.atomic
def delete_demo(project_slugs: list[str]) -> Counter:
    """Remove the demo projects with everything recorded in them, their people, the demo
    users, and the organisations, territory and programmes of the demo that nothing else
    uses. Returns how many rows of each kind went."""
    deleted: Counter = Counter()
    projects = Project.objects.filter(slug__in=project_slugs)
    person_ids = set()
    for model, path in PERSON_PATHS:
        person_ids.update(
            model.objects.filter(**{f"{path}__in": projects}).values_list("person_id", flat=True)
        )
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        neighbourhood_ids = purge_project_rows(projects, deleted)
        purge_free_people(person_ids, deleted)
        purge_free_territory(neighbourhood_ids, deleted)
        purge_free_reference(deleted)
    return deleted
