"""The database itself refuses inconsistent rows, whoever writes them (form, import, shell).

Each case builds what it needs, then returns the one write under test: with ``ok=False`` the
write breaks the named constraint, with ``ok=True`` it is the nearest row that keeps it.
Rows are written straight through the ORM (``create`` / ``update``), never ``full_clean``.
"""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.models import UniqueConstraint

from beneficiaries.models import (
    ActivityEnrolment,
    ArrearsRecord,
    Attendance,
    CaseNote,
    Consent,
    Household,
    HouseholdMember,
    Path,
    Person,
    PersonLink,
    RegisterCorrection,
    Registration,
    Tenancy,
)
from labs.models import (
    Building,
    HousingUnit,
    Lab,
    Neighbourhood,
    Partnership,
    ProjectRole,
    ResidentReport,
    Session,
)
from partners.models import Membership, Organisation
from reporting.models import ProgressReport
from tests import builders as b

pytestmark = pytest.mark.django_db

TRIGGER = "attendance_hours_within_session"
DAY = b.DAY
Write = Callable[[], object]
CASES: dict[str, Callable[[bool], Write]] = {}


def case(name: str):
    """Register a case; ``name`` is the constraint, optionally ``:variant``."""

    def register(fn):
        CASES[name] = fn
        return fn

    return register


def one_day(days: int) -> dt.date:
    return DAY + dt.timedelta(days=days)


# partners ---------------------------------------------------------------------------------


@case("organisation_tax_code_unique")
def _(ok):
    b.organisation(tax_code="00835500158")
    b.organisation(tax_code="")
    # Organisations without a code are many; a code belongs to one.
    return lambda: b.organisation(tax_code="" if ok else "00835500158")


@case("membership_user_organisation_unique")
def _(ok):
    user, org = b.user(), b.organisation()
    Membership.objects.create(user=user, organisation=org)
    return lambda: Membership.objects.create(
        user=user, organisation=org if not ok else b.organisation()
    )


# labs: programme, project, partnership ----------------------------------------------------


@case("programme_allowance_not_negative")
def _(ok):
    return lambda: b.programme(allowance_hourly_amount=Decimal("0" if ok else "-0.01"))


@case("programme_allowance_not_negative:cap")
def _(ok):
    return lambda: b.programme(allowance_cap=Decimal("0" if ok else "-1"))


@case("project_end_not_before_start")
def _(ok):
    end = DAY if ok else one_day(-1)
    return lambda: b.project(start_date=DAY, end_date=end)


@case("project_budget_not_negative")
def _(ok):
    return lambda: b.project(budget=Decimal("0" if ok else "-1"))


@case("axis_code_unique_in_project")
def _(ok):
    project = b.project()
    b.axis(project, code="SUB1")
    return lambda: b.axis(project if not ok else b.project(), code="SUB1")


@case("axis_budget_not_negative")
def _(ok):
    return lambda: b.axis(budget=Decimal("0" if ok else "-1"))


@case("partnership_unique")
def _(ok):
    project, coop = b.project(), b.organisation(kind=Organisation.Kind.SOCIAL_COOPERATIVE)
    Partnership.objects.create(project=project, organisation=coop, role="partner")
    return lambda: Partnership.objects.create(
        project=project if not ok else b.project(), organisation=coop, role="rete"
    )


@case("one_lead_per_project")
def _(ok):
    project = b.project()
    Partnership.objects.create(
        project=project, organisation=project.lead_organisation, role="capofila"
    )
    role = "partner" if ok else "capofila"
    return lambda: Partnership.objects.create(
        project=project, organisation=b.organisation(), role=role
    )


@case("partnership_budget_not_negative")
def _(ok):
    project = b.project()
    return lambda: Partnership.objects.create(
        project=project,
        organisation=b.organisation(),
        role="partner",
        budget_share=Decimal("0" if ok else "-1"),
    )


@case("one_role_per_user_per_project")
def _(ok):
    project, user = b.project(), b.user()
    org = project.lead_organisation
    ProjectRole.objects.create(project=project, user=user, organisation=org, role="lead")
    other = b.project(lead_organisation=org)
    return lambda: ProjectRole.objects.create(
        project=other if ok else project, user=user, organisation=org, role="social_worker"
    )


@case("period_start_unique")
def _(ok):
    project = b.project()
    b.period(project, start_date=DAY, end_date=one_day(30))
    return lambda: b.period(
        project, name="bis", start_date=one_day(1 if ok else 0), end_date=one_day(60)
    )


@case("period_end_not_before_start")
def _(ok):
    return lambda: b.period(start_date=DAY, end_date=DAY if ok else one_day(-1))


# labs: territory --------------------------------------------------------------------------


@case("neighbourhood_unique_in_municipality")
def _(ok):
    first = b.neighbourhood(name="San Siro")
    where = b.municipality() if ok else first.municipality
    return lambda: Neighbourhood.objects.create(municipality=where, name="San Siro")


@case("building_address_unique")
def _(ok):
    first = b.building(address="Via Pistoia 12")
    where = b.neighbourhood() if ok else first.neighbourhood
    return lambda: Building.objects.create(
        neighbourhood=where, address="Via Pistoia 12", name="", owner=first.owner
    )


@case("unit_code_unique_in_building")
def _(ok):
    first = b.unit(owner_code="0042")
    where = b.building() if ok else first.building
    return lambda: HousingUnit.objects.create(building=where, owner_code="0042")


@case("unit_has_rooms")
def _(ok):
    return lambda: b.unit(rooms=1 if ok else 0)


@case("unit_floor_plausible")
def _(ok):
    return lambda: b.unit(floor=60 if ok else 61)


@case("unit_floor_plausible:basement")
def _(ok):
    return lambda: b.unit(floor=-3 if ok else -4)


@case("lab_name_unique_in_project")
def _(ok):
    project, town = b.project(), b.municipality()
    Lab.objects.create(
        project=project, name="Hub Stadera", address="Via Neera 1", municipality=town
    )
    return lambda: Lab.objects.create(
        project=b.project() if ok else project,
        name="Hub Stadera",
        address="Via Neera 3",
        municipality=town,
    )


@case("activity_planned_hours_not_negative")
def _(ok):
    project = b.project()
    return lambda: b.activity(project, planned_hours=Decimal("0" if ok else "-1"))


def _report(**kw):
    kw = {"category": "maintenance", "description": "Ascensore fermo", "opened_on": DAY} | kw
    return ResidentReport.objects.create(project=b.project(), building=b.building(), **kw)


@case("report_solved_not_before_opened")
def _(ok):
    solved = DAY if ok else one_day(-1)
    return lambda: _report(status="solved", solved_on=solved)


@case("solved_report_has_date")
def _(ok):
    return lambda: _report(status="solved", solved_on=DAY if ok else None)


# labs: sessions ---------------------------------------------------------------------------


@case("session_unique_start")
def _(ok):
    first = b.session()
    start = dt.time(9, 30) if ok else dt.time(9)
    return lambda: b.session(first.activity, start_time=start, end_time=dt.time(12))


@case("session_ends_after_start")
def _(ok):
    # save() would recompute the duration: update the end time alone, as a bulk edit would.
    s = b.session()
    end = dt.time(9, 1) if ok else dt.time(9)
    return lambda: Session.objects.filter(pk=s.pk).update(end_time=end)


@case("session_duration_positive")
def _(ok):
    s = b.session()
    return lambda: Session.objects.filter(pk=s.pk).update(duration_minutes=1 if ok else 0)


@case("cancelled_session_has_reason")
def _(ok):
    reason = "Operatrice malata" if ok else ""
    return lambda: b.session(state="cancelled", cancel_reason=reason)


# beneficiaries: people and consents -------------------------------------------------------


@case("person_tax_code_unique")
def _(ok):
    code = b.tax_code(dt.date(1980, 1, 1), "F")
    b.person(tax_code=code)
    b.person(tax_code=None)
    # Many people have no codice fiscale; one code is one person.
    return lambda: b.person(tax_code=None if ok else code)


@case("person_tax_code_unique:blank_is_none")
def _(ok):
    b.person(tax_code="")
    code = "" if ok else b.person(tax_code=b.tax_code(n=7)).tax_code
    return lambda: b.person(tax_code=code)


@case("person_birth_plausible")
def _(ok):
    return lambda: b.person(birth_date=dt.date(1900, 1, 1) if ok else dt.date(1899, 12, 31))


@case("consent_expiry_after_signature")
def _(ok):
    who = b.person()
    expires = DAY if ok else one_day(-1)
    return lambda: Consent.objects.create(
        person=who, purpose="privacy_notice", signed_on=DAY, expires_on=expires
    )


@case("consent_withdrawal_after_signature")
def _(ok):
    who = b.person()
    withdrawn = DAY if ok else one_day(-1)
    return lambda: Consent.objects.create(
        person=who, purpose="photos", signed_on=DAY, withdrawn_on=withdrawn
    )


@case("person_link_not_to_itself")
def _(ok):
    who, other, by = b.person(), b.person(), b.user()
    return lambda: PersonLink.objects.create(person=who, same_as=other if ok else who, linked_by=by)


@case("person_link_unique_active")
def _(ok):
    who, other, by = b.person(), b.person(), b.user()
    PersonLink.objects.create(person=who, same_as=other, linked_by=by)
    # An undone link stays as a record; a second active one would be a duplicate.
    unlinked = dt.datetime(2024, 3, 1, tzinfo=dt.UTC) if ok else None
    return lambda: PersonLink.objects.create(
        person=who, same_as=other, linked_by=by, unlinked_at=unlinked
    )


# beneficiaries: households ----------------------------------------------------------------


@case("household_code_unique")
def _(ok):
    first = b.household(code="N-001")
    where = b.project() if ok else first.project
    return lambda: Household.objects.create(project=where, code="N-001")


@case("person_in_one_household_at_a_time")
def _(ok):
    who, project = b.person(), b.project()
    HouseholdMember.objects.create(
        household=b.household(project), person=who, relation="reference", start_date=DAY
    )
    # A past membership elsewhere is history; a second open one is a contradiction.
    end = one_day(10) if ok else None
    return lambda: HouseholdMember.objects.create(
        household=b.household(project),
        person=who,
        relation="child",
        start_date=DAY,
        end_date=end,
    )


@case("one_reference_person_per_household")
def _(ok):
    home = b.household()
    HouseholdMember.objects.create(
        household=home, person=b.person(), relation="reference", start_date=DAY
    )
    relation = "partner" if ok else "reference"
    return lambda: HouseholdMember.objects.create(
        household=home, person=b.person(), relation=relation, start_date=DAY
    )


@case("member_end_not_before_start")
def _(ok):
    home, who = b.household(), b.person()
    end = DAY if ok else one_day(-1)
    return lambda: HouseholdMember.objects.create(
        household=home, person=who, relation="other", start_date=DAY, end_date=end
    )


@case("household_in_one_unit_at_a_time")
def _(ok):
    home = b.household()
    Tenancy.objects.create(household=home, unit=b.unit(), moved_in=DAY)
    out = one_day(10) if ok else None
    return lambda: Tenancy.objects.create(
        household=home, unit=b.unit(), moved_in=DAY, moved_out=out
    )


@case("unit_has_one_current_household")
def _(ok):
    flat = b.unit()
    Tenancy.objects.create(household=b.household(), unit=flat, moved_in=DAY)
    out = one_day(10) if ok else None
    return lambda: Tenancy.objects.create(
        household=b.household(), unit=flat, moved_in=DAY, moved_out=out
    )


@case("tenancy_out_not_before_in")
def _(ok):
    home, flat = b.household(), b.unit()
    out = DAY if ok else one_day(-1)
    return lambda: Tenancy.objects.create(household=home, unit=flat, moved_in=DAY, moved_out=out)


@case("arrears_one_record_per_day")
def _(ok):
    home = b.household()
    ArrearsRecord.objects.create(household=home, recorded_on=DAY, amount=Decimal("1200"))
    on = one_day(1) if ok else DAY
    return lambda: ArrearsRecord.objects.create(
        household=home, recorded_on=on, amount=Decimal("1100")
    )


@case("arrears_not_negative")
def _(ok):
    home = b.household()
    return lambda: ArrearsRecord.objects.create(
        household=home, recorded_on=DAY, amount=Decimal("0" if ok else "-0.01")
    )


@case("arrears_plan_amount_positive")
def _(ok):
    home = b.household()
    return lambda: ArrearsRecord.objects.create(
        household=home,
        recorded_on=DAY,
        amount=Decimal("900"),
        repayment_plan=True,
        plan_monthly_amount=Decimal("0.01" if ok else "0"),
    )


# beneficiaries: registrations, registers, paths, notes ------------------------------------


@case("registration_unique")
def _(ok):
    who, project = b.person(), b.project()
    Registration.objects.create(project=project, person=who, registered_on=DAY)
    return lambda: Registration.objects.create(
        project=b.project() if ok else project, person=who, registered_on=DAY
    )


@case("enrolment_unique")
def _(ok):
    who, act = b.person(), b.activity()
    ActivityEnrolment.objects.create(activity=act, person=who, since=DAY)
    other = b.activity(act.project)
    return lambda: ActivityEnrolment.objects.create(
        activity=other if ok else act, person=who, since=DAY
    )


@case("attendance_once_per_session")
def _(ok):
    who, s = b.person(), b.session()
    Attendance.objects.create(session=s, person=who, hours=Decimal("1"))
    return lambda: Attendance.objects.create(
        session=s, person=b.person() if ok else who, hours=Decimal("1")
    )


@case("attendance_hours_positive")
def _(ok):
    who, s = b.person(), b.session()
    return lambda: Attendance.objects.create(
        session=s, person=who, hours=Decimal("0.25" if ok else "0")
    )


def _path(**kw):
    return Path.objects.create(
        person=kw.pop("person", None) or b.person(),
        project=kw.pop("project", None) or b.project(),
        entry_date=DAY,
        **kw,
    )


@case("one_path_per_person_per_project")
def _(ok):
    who, project = b.person(), b.project()
    _path(person=who, project=project, exit_date=one_day(30))
    # Even after an exit: re-entry reopens the same path.
    return lambda: _path(person=who, project=b.project() if ok else project)


@case("path_exit_not_before_entry")
def _(ok):
    return lambda: _path(exit_date=DAY if ok else one_day(-1))


@case("path_followup_after_exit")
def _(ok):
    followup = one_day(180) if ok else one_day(29)
    return lambda: _path(exit_date=one_day(30), followup_date=followup)


@case("path_followup_after_exit:without_exit")
def _(ok):
    return lambda: _path(exit_date=one_day(30) if ok else None, followup_date=one_day(180))


@case("path_unemployment_months_only_if_unemployed")
def _(ok):
    status = "unemployed" if ok else "employed"
    return lambda: _path(labour_status=status, unemployment_months=14)


@case("case_note_has_subject")
def _(ok):
    project, author = b.project(), b.user()
    about = b.person() if ok else None
    return lambda: CaseNote.objects.create(
        project=project, author=author, date=DAY, person=about, household=None, text="Colloquio"
    )


@case("case_note_has_subject:household")
def _(ok):
    project, author = b.project(), b.user()
    home = b.household(project) if ok else None
    return lambda: CaseNote.objects.create(
        project=project, author=author, date=DAY, person=None, household=home, text="Visita"
    )


# reporting --------------------------------------------------------------------------------


@case("report_version_unique")
def _(ok):
    span = b.period()
    ProgressReport.objects.create(project=span.project, period=span, version=1)
    return lambda: ProgressReport.objects.create(
        project=span.project, period=span, version=2 if ok else 1
    )


@case("submitted_report_is_complete")
def _(ok):
    span = b.period()
    return lambda: ProgressReport.objects.create(
        project=span.project,
        period=span,
        version=1,
        status="submitted",
        submitted_at=dt.datetime(2024, 7, 10, tzinfo=dt.UTC),
        pdf_sha256="ab" * 32 if ok else "",
    )


@case("submitted_report_is_complete:no_date")
def _(ok):
    span = b.period()
    when = dt.datetime(2024, 7, 10, tzinfo=dt.UTC) if ok else None
    return lambda: ProgressReport.objects.create(
        project=span.project,
        period=span,
        version=1,
        status="submitted",
        submitted_at=when,
        pdf_sha256="ab" * 32,
    )


@case("register_correction_has_reason")
def _(ok):
    s = b.session()
    return lambda: RegisterCorrection.objects.create(
        session=s,
        corrected_by=b.user(),
        reason="Presenza dimenticata" if ok else "",
        before={},
        after={},
    )


# the attendance-hours trigger (migration beneficiaries 0002) ------------------------------


@case(f"{TRIGGER}:insert")
def _(ok):
    s, who = b.session(), b.person()  # two hours
    return lambda: Attendance.objects.create(
        session=s, person=who, hours=Decimal("2.00" if ok else "2.01")
    )


@case(f"{TRIGGER}:update_hours")
def _(ok):
    s = b.session()
    line = Attendance.objects.create(session=s, person=b.person(), hours=Decimal("1.5"))
    hours = Decimal("2" if ok else "2.5")
    return lambda: Attendance.objects.filter(pk=line.pk).update(hours=hours)


@case(f"{TRIGGER}:move_to_shorter_session")
def _(ok):
    long = b.session(end_time=dt.time(12))
    line = Attendance.objects.create(session=long, person=b.person(), hours=Decimal("3"))
    end = dt.time(12) if ok else dt.time(11)
    other = b.session(long.activity, start_time=dt.time(9), end_time=end, date=one_day(1))
    return lambda: Attendance.objects.filter(pk=line.pk).update(session=other)


@case(f"{TRIGGER}:shorten_session")
def _(ok):
    s = b.session(end_time=dt.time(12))
    Attendance.objects.create(session=s, person=b.person(), hours=Decimal("2"))
    s.end_time = dt.time(11) if ok else dt.time(10, 30)
    return lambda: s.save()  # save() recomputes duration_minutes: 120 is fine, 90 is not


# money (issue 8) --------------------------------------------------------------------------


def _money_row(model_name: str, **kw):
    from labs import models as labs

    ax = kw.pop("axis", None) or b.axis()
    base = {"project": ax.project, "axis": ax, "organisation": ax.project.lead_organisation}
    if model_name == "BudgetLine":
        return labs.BudgetLine.objects.create(**{**base, "category": "staff", **kw})
    return labs.Expense.objects.create(
        **{
            **base,
            "category": "materials",
            "date": DAY,
            "amount": Decimal("10"),
            "supplier": "S",
            "document_number": "1",
            **kw,
        }
    )


def _staff(**kw):
    from labs.models import StaffMember

    project = kw.pop("project", None) or b.project()
    fields = {"contract_type": "full_time", "annual_gross_cost": Decimal("30000"), **kw}
    return StaffMember.objects.create(
        project=project, organisation=project.lead_organisation, last_name="N", **fields
    )


@case("budget_line_unique")
def _(ok):
    line = _money_row("BudgetLine", amount=Decimal("5"))
    return lambda: _money_row("BudgetLine", axis=line.axis, category="materials" if ok else "staff")


@case("budget_line_not_negative")
def _(ok):
    value = Decimal("0" if ok else "-1")  # funded = amount: only this check is broken
    return lambda: _money_row("BudgetLine", amount=value, funded_amount=value)


@case("budget_line_funded_within_amount")
def _(ok):
    funded = Decimal("100" if ok else "100.01")
    return lambda: _money_row("BudgetLine", amount=Decimal("100"), funded_amount=funded)


@case("expense_amount_positive")
def _(ok):
    return lambda: _money_row("Expense", amount=Decimal("0.01" if ok else "0"))


@case("rejected_expense_has_reason")
def _(ok):
    return lambda: _money_row("Expense", status="rejected", rejection_reason="No" if ok else "")


@case("staff_cost_not_negative")
def _(ok):
    return lambda: _staff(annual_gross_cost=Decimal("0" if ok else "-1"))


@case("staff_part_time_has_share")
def _(ok):
    share = Decimal("50") if ok else None
    return lambda: _staff(contract_type="part_time_fixed", share_percent=share)


@case("staff_hours_contract_has_hours")
def _(ok):
    hours = Decimal("300") if ok else None
    return lambda: _staff(contract_type="hourly", contract_annual_hours=hours)


@case("staff_daily_hours_in_day")
def _(ok):
    return lambda: _staff(daily_hours=Decimal("24" if ok else "24.5"))


@case("timesheet_entry_unique")
def _(ok):
    from labs.models import TimesheetEntry

    act = b.activity()
    member = _staff(project=act.project)
    TimesheetEntry.objects.create(staff=member, date=DAY, axis=act.axis, activity=act, hours=1)
    return lambda: TimesheetEntry.objects.create(
        staff=member, date=one_day(1) if ok else DAY, axis=act.axis, activity=act, hours=1
    )


@case("timesheet_hours_in_day")
def _(ok):
    from labs.models import TimesheetEntry

    act = b.activity()
    member = _staff(project=act.project)
    hours = Decimal("0.25" if ok else "0")
    return lambda: TimesheetEntry.objects.create(staff=member, date=DAY, axis=act.axis, hours=hours)


@case("allowance_payment_positive")
def _(ok):
    from beneficiaries.models import AllowancePayment

    path = Path.objects.create(person=b.person(), project=b.project(), entry_date=DAY)
    amount = Decimal("0.01" if ok else "0")
    return lambda: AllowancePayment.objects.create(path=path, paid_on=DAY, amount=amount)


# the tests --------------------------------------------------------------------------------


def _constraint(name: str):
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if constraint.name == name:
                return model, constraint
    return None, None


# labs / beneficiaries: governance (issue 15) ----------------------------------------------


@case("body_name_unique_in_project")
def _(ok):
    from labs.models import Body

    project = b.project()
    Body.objects.create(project=project, kind="equipe", name="Équipe")
    return lambda: Body.objects.create(
        project=project if not ok else b.project(), kind="equipe", name="Équipe"
    )


@case("body_member_unique")
def _(ok):
    from labs.models import Body, BodyMember

    project = b.project()
    team = Body.objects.create(project=project, kind="equipe", name="Équipe")
    org = project.lead_organisation
    BodyMember.objects.create(body=team, organisation=org, full_name="Anna Neri")
    return lambda: BodyMember.objects.create(
        body=team, organisation=org, full_name="Anna Neri" if not ok else "Anna Bianchi"
    )


@case("case_review_next_after_date")
def _(ok):
    from beneficiaries.models import CaseReview, Path
    from labs.models import Body

    project = b.project()
    team = Body.objects.create(project=project, kind="equipe", name="Équipe")
    path = Path.objects.create(person=b.person(), project=project, entry_date=DAY)
    return lambda: CaseReview.objects.create(
        path=path, body=team, date=DAY, decisions="x", next_review_on=one_day(1 if ok else 0)
    )


def assert_refused_by(error: IntegrityError, name: str) -> None:
    """The error names the constraint we meant to break, not some other one."""
    if connection.vendor == "postgresql":
        assert error.__cause__.diag.constraint_name == name
        return
    message = str(error)
    model, constraint = _constraint(name)
    if isinstance(constraint, UniqueConstraint):
        assert message.startswith("UNIQUE constraint failed"), message
        table = model._meta.db_table
        for field in constraint.fields:
            assert f"{table}.{model._meta.get_field(field).column}" in message, message
    else:
        assert message == f"CHECK constraint failed: {name}", message


# The cases of issue 15's models live in their own module, registered here.
from tests.portal import constraint_cases_issue15  # noqa: E402,F401


@pytest.mark.parametrize("name", CASES)
def test_database_refuses_row_breaking(name):
    write = CASES[name](ok=False)
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        write()
    assert_refused_by(refused.value, name.split(":")[0])


@pytest.mark.parametrize("name", CASES)
def test_database_accepts_nearest_valid_row(name):
    write = CASES[name](ok=True)
    with transaction.atomic():
        write()


def test_every_constraint_of_our_apps_has_a_case():
    ours = {
        c.name
        for label in ("partners", "labs", "beneficiaries", "reporting")
        for model in apps.get_app_config(label).get_models()
        for c in model._meta.constraints
    }
    covered = {name.split(":")[0] for name in CASES}
    assert ours | {TRIGGER} == covered


def test_shortening_a_session_with_update_is_refused_too():
    s = b.session(end_time=dt.time(12))
    Attendance.objects.create(session=s, person=b.person(), hours=Decimal("3"))
    with pytest.raises(IntegrityError) as refused, transaction.atomic():
        Session.objects.filter(pk=s.pk).update(end_time=dt.time(11), duration_minutes=120)
    assert_refused_by(refused.value, TRIGGER)
    s.refresh_from_db()
    assert s.duration_minutes == 180


def test_many_people_without_codice_fiscale():
    for _ in range(3):
        b.person(tax_code=None)
    b.person(tax_code="")
    assert Person.objects.filter(tax_code__isnull=True).count() == 4
