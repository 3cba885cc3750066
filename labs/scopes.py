"""Row rules of labs' models (and of the partners and auth models labs shows), registered
with ``labs.access.scoped``. Each rule answers: which rows may this user see, in this
project when one is given."""

from django.contrib.auth import get_user_model
from django.db.models import F, Q

from labs import access
from labs.models import (
    Activity,
    Axis,
    Body,
    BodyMember,
    BudgetLine,
    Building,
    District,
    Expense,
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
    StaffMember,
    TimesheetEntry,
)
from labs.querysets import _activity_scope as activity_scope
from partners.models import Membership, Organisation, UserIdentity


def in_projects(user, capability: str, project_id, field: str = "project_id"):
    return Q(**{f"{field}__in": access.projects_with(user, capability, project_id)})


# Reference data: calls, districts, municipalities, organisations are public facts.
def _reference_rule(model):
    def rule(user, project_id=None):
        del project_id
        signed_in = bool(user is not None and user.is_authenticated and user.is_active)
        return model.objects.all() if signed_in else model.objects.none()

    return rule


for _model in (Programme, District, Municipality, Organisation):
    access.row_rule(_model._meta.label)(_reference_rule(_model))


@access.row_rule("partners.membership")
def memberships(user, project_id=None):
    """Memberships are managed in the admin; the portal reads only the user's own."""
    del project_id
    return Membership.objects.filter(user_id=getattr(user, "pk", None))


@access.row_rule("partners.useridentity")
def identities(user, project_id=None):
    """A user's codice fiscale for SPID/CIE is managed in the admin; the login matches it
    before anybody is signed in (config/spid.py). The portal reads only the user's own."""
    del project_id
    return UserIdentity.objects.filter(user_id=getattr(user, "pk", None))


@access.row_rule("labs.project")
def projects(user, project_id=None):
    return Project.objects.filter(pk__in=access.projects_with(user, "project.view", project_id))


@access.row_rule("labs.axis")
def axes(user, project_id=None):
    return Axis.objects.filter(in_projects(user, "project.view", project_id))


@access.row_rule("labs.partnership")
def partnerships(user, project_id=None):
    return Partnership.objects.filter(in_projects(user, "project.view", project_id))


@access.row_rule("labs.reportingperiod")
def periods(user, project_id=None):
    return ReportingPeriod.objects.filter(in_projects(user, "project.view", project_id))


@access.row_rule("labs.lab")
def labs_(user, project_id=None):
    return Lab.objects.filter(in_projects(user, "project.view", project_id))


@access.row_rule("labs.projectrole")
def project_roles(user, project_id=None):
    """Roles that count: their organisation is in the partnership and the user still
    works there (the same rule as ``access.grants_for``)."""
    return ProjectRole.objects.filter(
        in_projects(user, "project.view", project_id),
        project__partnerships__organisation_id=F("organisation_id"),
        user__memberships__organisation_id=F("organisation_id"),
        user__memberships__is_active=True,
        user__is_active=True,
    ).distinct()


@access.row_rule(get_user_model()._meta.label)
def operators(user, project_id=None):
    """The people who work in the user's projects (through a role that counts), only
    their own organisation's for a partner operator."""
    roles = project_roles(user, project_id)
    if project_id is not None:
        organisation_id = access.organisation_in(user, project_id)
        if organisation_id is not None:
            roles = roles.filter(organisation_id=organisation_id)
    return get_user_model().objects.filter(pk__in=roles.order_by().values("user_id"))


# ---- Territory -------------------------------------------------------------------------
# Addresses and flats are no one's personal data: every role of the project reads them
# (a partner picks the building of a residents' report). Who lives where is in
# beneficiaries, under its own rules; the territory pages ask for territory.view.
@access.row_rule("labs.neighbourhood")
def neighbourhoods(user, project_id=None):
    return Neighbourhood.objects.in_projects(access.projects_with(user, "project.view", project_id))


@access.row_rule("labs.building")
def buildings(user, project_id=None):
    return Building.objects.in_projects(access.projects_with(user, "project.view", project_id))


@access.row_rule("labs.housingunit")
def housing_units(user, project_id=None):
    return HousingUnit.objects.in_projects(access.projects_with(user, "project.view", project_id))


# ---- Activities ------------------------------------------------------------------------
_within = access.project_list


@access.row_rule("labs.activity")
def activities(user, project_id=None):
    return Activity.objects.filter(activity_scope(user, within=_within(project_id)))


@access.row_rule("labs.session")
def sessions(user, project_id=None):
    return Session.objects.visible_to(user, within=_within(project_id))


@access.row_rule("labs.sessionevidence")
def session_evidence(user, project_id=None):
    return SessionEvidence.objects.filter(
        activity_scope(user, "session__activity__", _within(project_id))
    )


@access.row_rule("labs.residentreport")
def resident_reports(user, project_id=None):
    return ResidentReport.objects.filter(in_projects(user, "activities.view", project_id))


# ---- Money -----------------------------------------------------------------------------
def _budget_rows(model, user, project_id):
    """Every row of a project for whoever may change them all; a partner's own
    organisation's rows only."""
    rows = model.objects.visible_to(user)
    return rows if project_id is None else rows.filter(project_id=project_id)


@access.row_rule("labs.budgetline")
def budget_lines(user, project_id=None):
    return _budget_rows(BudgetLine, user, project_id)


@access.row_rule("labs.expense")
def expenses(user, project_id=None):
    return _budget_rows(Expense, user, project_id)


@access.row_rule("labs.staffmember")
def staff(user, project_id=None):
    return _budget_rows(StaffMember, user, project_id)


@access.row_rule("labs.timesheetentry")
def timesheet_entries(user, project_id=None):
    return TimesheetEntry.objects.filter(staff__in=staff(user, project_id).values("pk"))


# ---- Governance ------------------------------------------------------------------------
# The partnership's bodies and meetings: operators' names and the minutes, for the
# project's staff and partners; never the Region (names of people are personal data).
@access.row_rule("labs.body")
def bodies(user, project_id=None):
    return Body.objects.filter(in_projects(user, "governance.view", project_id))


@access.row_rule("labs.bodymember")
def body_members(user, project_id=None):
    return BodyMember.objects.filter(
        in_projects(user, "governance.view", project_id, "body__project_id")
    )


@access.row_rule("labs.meeting")
def meetings(user, project_id=None):
    return Meeting.objects.filter(
        in_projects(user, "governance.view", project_id, "body__project_id")
    )


# ---- Host companies: no personal data; every working role of the project ------------------
@access.row_rule("labs.hostcompany")
def host_companies(user, project_id=None):
    from labs.companies.models import HostCompany

    return HostCompany.objects.filter(in_projects(user, "companies.view", project_id))
