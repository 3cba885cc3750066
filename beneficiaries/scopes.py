"""Row rules of people's data, registered with ``labs.access.scoped``.

Staff (lead, social worker) see the people, households and paths of their projects with
their sensitive data; a partner operator sees only the people enrolled in (or on the
register of) an activity of their own organisation, and none of the rows below that
carry sensitive data; a regional officer sees no person at all.
"""

from django.db.models import Q

from beneficiaries.models import (
    ActivityEnrolment,
    AllowancePayment,
    ArrearsRecord,
    Attendance,
    CaseNote,
    CaseReview,
    Consent,
    FollowupContact,
    Household,
    HouseholdMember,
    OfflineConflict,
    Path,
    Person,
    PersonLink,
    RegisterCorrection,
    RegisterSubmission,
    Registration,
    RepaymentInstalment,
    RepaymentPayment,
    RepaymentPlan,
    SensitiveAccess,
    Tenancy,
)
from labs import access
from labs.querysets import _activity_scope as activity_scope

SENSITIVE = "people.view_sensitive"


def _sensitive(user, project_id, field="project_id") -> Q:
    return Q(**{f"{field}__in": access.projects_with(user, SENSITIVE, project_id)})


_within = access.project_list


@access.row_rule("beneficiaries.person")
def people(user, project_id=None):
    return Person.objects.visible_to(user, project_id)


def people_with_sensitive_access(user, project_id=None):
    """People whose sensitive data the user may read (leads and social workers)."""
    return Person.objects.with_sensitive_access(user, project_id)


@access.row_rule("beneficiaries.household")
def households(user, project_id=None):
    return Household.objects.filter(_sensitive(user, project_id))


@access.row_rule("beneficiaries.householdmember")
def household_members(user, project_id=None):
    return HouseholdMember.objects.filter(_sensitive(user, project_id, "household__project_id"))


@access.row_rule("beneficiaries.tenancy")
def tenancies(user, project_id=None):
    return Tenancy.objects.filter(_sensitive(user, project_id, "household__project_id"))


@access.row_rule("beneficiaries.arrearsrecord")
def arrears(user, project_id=None):
    return ArrearsRecord.objects.filter(_sensitive(user, project_id, "household__project_id"))


@access.row_rule("beneficiaries.registration")
def registrations(user, project_id=None):
    return Registration.objects.filter(_sensitive(user, project_id))


@access.row_rule("beneficiaries.path")
def paths(user, project_id=None):
    return Path.objects.filter(_sensitive(user, project_id))


@access.row_rule("beneficiaries.followupcontact")
def followup_contacts(user, project_id=None):
    return FollowupContact.objects.filter(_sensitive(user, project_id, "path__project_id"))


@access.row_rule("beneficiaries.allowancepayment")
def allowance_payments(user, project_id=None):
    return AllowancePayment.objects.filter(_sensitive(user, project_id, "path__project_id"))


@access.row_rule("beneficiaries.consent")
def consents(user, project_id=None):
    return Consent.objects.filter(person__in=people_with_sensitive_access(user, project_id))


@access.row_rule("beneficiaries.casenote")
def case_notes(user, project_id=None):
    """The diario sociale: only for roles that read case notes."""
    ids = access.projects_with(user, "casenotes.view", project_id)
    return CaseNote.objects.filter(project_id__in=ids)


@access.row_rule("beneficiaries.personlink")
def person_links(user, project_id=None):
    visible = people_with_sensitive_access(user, project_id).values("pk")
    return PersonLink.objects.filter(person__in=visible, same_as__in=visible)


@access.row_rule("beneficiaries.sensitiveaccess")
def sensitive_access_log(user, project_id=None):
    ids = access.projects_with(user, "audit.view", project_id)
    return SensitiveAccess.objects.filter(project_id__in=ids)


@access.row_rule("beneficiaries.activityenrolment")
def enrolments(user, project_id=None):
    return ActivityEnrolment.objects.filter(activity_scope(user, "activity__", _within(project_id)))


@access.row_rule("beneficiaries.attendance")
def attendances(user, project_id=None):
    return Attendance.objects.filter(
        activity_scope(user, "session__activity__", _within(project_id))
    )


@access.row_rule("beneficiaries.registersubmission")
def register_submissions(user, project_id=None):
    return RegisterSubmission.objects.filter(
        activity_scope(user, "session__activity__", _within(project_id))
    )


@access.row_rule("beneficiaries.registercorrection")
def register_corrections(user, project_id=None):
    return RegisterCorrection.objects.filter(
        activity_scope(user, "session__activity__", _within(project_id))
    )


@access.row_rule("beneficiaries.offlineconflict")
def offline_conflicts(user, project_id=None):
    """The conflicts of registers the user may see (the session's activity scope)."""
    return OfflineConflict.objects.filter(
        activity_scope(user, "session__activity__", _within(project_id))
    )


@access.row_rule("beneficiaries.repaymentplan")
def repayment_plans(user, project_id=None):
    """Staff who read sensitive data see every plan of their projects; a partner operator
    sees the plans followed by their own organisation's housing desk (``desk``), the
    households whose payments they record, and nothing else of those households."""
    rule = _sensitive(user, project_id)
    desks = access.partner_scopes(user)
    for pid in access.projects_with(user, "repayments.view", project_id):
        if pid in desks:
            rule |= Q(project_id=pid, desk_id=desks[pid])
    return RepaymentPlan.objects.filter(rule)


@access.row_rule("beneficiaries.repaymentinstalment")
def repayment_instalments(user, project_id=None):
    return RepaymentInstalment.objects.filter(plan__in=repayment_plans(user, project_id))


@access.row_rule("beneficiaries.repaymentpayment")
def repayment_payments(user, project_id=None):
    return RepaymentPayment.objects.filter(plan__in=repayment_plans(user, project_id))


@access.row_rule("beneficiaries.casereview")
def case_reviews(user, project_id=None):
    """An équipe's review of a path: only who sees the path's sensitive data."""
    return CaseReview.objects.filter(_sensitive(user, project_id, "path__project_id"))


# ---- Placements -------------------------------------------------------------------------
def _placements_q(user, project_id, prefix=""):
    """Staff see every placement of their projects; a partner operator those their own
    organisation promotes; the Region none."""
    q = _sensitive(user, project_id, f"{prefix}path__project_id")
    for pid in access.projects_with(user, "placements.view", project_id):
        organisation_id = access.organisation_in(user, pid)
        if organisation_id is not None:
            q |= Q(**{f"{prefix}path__project_id": pid, f"{prefix}promoter_id": organisation_id})
    return q


@access.row_rule("beneficiaries.placement")
def placements(user, project_id=None):
    from beneficiaries.models import Placement

    return Placement.objects.filter(_placements_q(user, project_id))


@access.row_rule("beneficiaries.placementmonth")
def placement_months(user, project_id=None):
    from beneficiaries.models import PlacementMonth

    return PlacementMonth.objects.filter(_placements_q(user, project_id, "placement__"))


@access.row_rule("beneficiaries.placementpayment")
def placement_payments(user, project_id=None):
    """Money paid to a person: staff only, like the participation allowance."""
    from beneficiaries.models import PlacementPayment

    return PlacementPayment.objects.filter(
        _sensitive(user, project_id, "placement__path__project_id")
    )
