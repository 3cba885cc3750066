"""The operator's admin: every page of our four apps opens, and lists stay cheap on big tables."""

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from beneficiaries import models as ben
from labs import models as labs
from partners.models import Membership, UserIdentity
from reporting.models import FiguresChange, ProgressReport, ProjectFigures
from tests import builders as b

OUR_APPS = ("partners", "labs", "beneficiaries", "reporting")
REGISTERED = sorted(
    (m for m in admin.site._registry if m._meta.app_label in OUR_APPS),
    key=lambda m: m._meta.label,
)
IDS = [m._meta.label for m in REGISTERED]
DAY = b.DAY


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def operator(db, client):
    user = get_user_model().objects.create_superuser("operatore", "op@example.org", "x" * 12)
    client.force_login(user)
    return user


@pytest.fixture
def one_of_each(operator, settings, tmp_path) -> dict:
    """One row of every model of our apps, linked as in real life."""
    settings.MEDIA_ROOT = tmp_path
    project = b.project(retention_until=dt.date(2031, 12, 31))
    lead = project.lead_organisation
    act = b.activity(
        project,
        lab=labs.Lab.objects.create(
            project=project, name="Hub", address="Via Neera 1", municipality=b.municipality()
        ),
    )
    session = b.session(act)
    flat = b.unit()
    person = b.person(tax_code=b.tax_code(dt.date(1980, 1, 1), "F"))
    home = b.household(project)
    span = b.period(project)
    rows = [
        Membership.objects.create(user=operator, organisation=lead),
        UserIdentity.objects.create(user=operator, tax_code="RSSMRA80A01F205X"),
        labs.District.objects.create(name="Ambito di Milano"),
        labs.Partnership.objects.create(project=project, organisation=lead, role="capofila"),
        labs.ProjectRole.objects.create(
            project=project, user=operator, organisation=lead, role="lead"
        ),
        labs.SessionEvidence.objects.create(
            session=session,
            kind="photo",
            file=ContentFile(b"jpg", name="foto.jpg"),
            original_name="foto.jpg",
            uploaded_by=operator,
        ),
        labs.ResidentReport.objects.create(
            project=project,
            building=flat.building,
            unit=flat,
            category="maintenance",
            description="Perdita",
            opened_on=DAY,
        ),
        ben.Consent.objects.create(person=person, purpose="privacy_notice", signed_on=DAY),
        ben.HouseholdMember.objects.create(
            household=home, person=person, relation="reference", start_date=DAY
        ),
        ben.Tenancy.objects.create(household=home, unit=flat, moved_in=DAY),
        ben.ArrearsRecord.objects.create(household=home, recorded_on=DAY, amount=Decimal(900)),
        ben.Registration.objects.create(project=project, person=person, registered_on=DAY),
        ben.ActivityEnrolment.objects.create(activity=act, person=person, since=DAY),
        ben.Attendance.objects.create(session=session, person=person, hours=Decimal(2)),
        ben.Path.objects.create(person=person, project=project, axis=act.axis, entry_date=DAY),
        ben.CaseNote.objects.create(
            project=project, person=person, author=operator, date=DAY, text="Colloquio"
        ),
        ben.PersonLink.objects.create(person=person, same_as=b.person(), linked_by=operator),
        ben.SensitiveAccess.objects.create(
            user=operator, person=person, project=project, what="scheda"
        ),
        ProgressReport.objects.create(project=project, period=span, version=1),
        ProjectFigures.objects.create(project=project, households=1),
        FiguresChange.objects.filter(project_id=project.pk).latest("pk"),  # from a trigger
        ben.RegisterCorrection.objects.create(
            session=session,
            corrected_by=operator,
            reason="Presenza dimenticata",
            before={"head_count": 0, "people": {}},
            after={"head_count": 0, "people": {str(person.pk): "2.00"}},
        ),
        ben.RegisterSubmission.objects.create(
            token="0b6f1c3e-8d2a-4c55-9e0a-3f7a1d2b4c5e", session=session, submitted_by=operator
        ),
        ben.OfflineConflict.objects.create(
            session=session,
            submitted_by=operator,
            device_version=1,
            server_version=2,
            device_register={"head_count": 0, "people": {str(person.pk): "2.00"}},
            server_register={"head_count": 0, "people": {}},
        ),
    ]
    # Money (issue 8)
    staff = labs.StaffMember.objects.create(
        project=project,
        organisation=lead,
        first_name="Anna",
        last_name="Neri",
        contract_type="full_time",
        annual_gross_cost=Decimal("34400.00"),
    )
    rows += [
        staff,
        labs.TimesheetEntry.objects.create(staff=staff, date=DAY, axis=act.axis, hours=2),
        labs.BudgetLine.objects.create(
            project=project, axis=act.axis, organisation=lead, category="staff", amount=100
        ),
        labs.Expense.objects.create(
            project=project,
            axis=act.axis,
            organisation=lead,
            category="materials",
            date=DAY,
            amount=Decimal("12.30"),
            supplier="Cartoleria",
            document_number="1",
        ),
        ben.AllowancePayment.objects.create(
            path=next(r for r in rows if isinstance(r, ben.Path)), paid_on=DAY, amount=5
        ),
    ]
    # Repayment plans, host companies and placements, follow-up contacts (#15, #16)
    from beneficiaries.repayments import services as repayments

    path = next(r for r in rows if isinstance(r, ben.Path))
    aler = b.organisation(name="ALER Valle", kind="ente_erp")
    plan = repayments.plan_create(
        project=project,
        household=home,
        creditor=aler,
        desk=lead,
        debt=Decimal("300.00"),
        start_date=DAY,
        instalment_amount=Decimal("100.00"),
        hourly_rate=Decimal("8.00"),
    )
    host = labs.HostCompany.objects.create(
        project=project, name="Officina Rossi", vat_number="01234567897", ateco_code="25.62"
    )
    placement = ben.Placement.objects.create(
        path=path,
        kind="traineeship",
        host=host,
        promoter=lead,
        start_date=DAY,
        end_date=DAY + dt.timedelta(days=90),
        weekly_hours=Decimal(20),
        monthly_grant=Decimal(500),
    )
    rows += [
        plan,
        plan.instalments.first(),
        repayments.payment_record(plan=plan, paid_on=DAY, channel="bonifico", amount=50),
        host,
        placement,
        ben.PlacementMonth.objects.create(
            placement=placement, month=DAY.replace(day=1), hours=Decimal(40), recorded_by=operator
        ),
        ben.PlacementPayment.objects.create(
            placement=placement,
            month=DAY.replace(day=1),
            paid_on=DAY,
            amount=Decimal(500),
            recorded_by=operator,
        ),
        ben.FollowupContact.objects.create(
            path=path, contacted_on=DAY, channel="phone", recorded_by=operator
        ),
    ]
    # Governance (issue 15)
    team = labs.Body.objects.create(project=project, kind="equipe", name="Équipe")
    seat = labs.BodyMember.objects.create(body=team, organisation=lead, full_name="Anna Neri")
    rows += [
        team,
        seat,
        labs.Meeting.objects.create(body=team, date=DAY, decisions="Avvio"),
        ben.CaseReview.objects.create(
            path=next(r for r in rows if isinstance(r, ben.Path)),
            body=team,
            date=DAY,
            decisions="Proseguire",
        ),
    ]
    rows += [
        project,
        lead,
        project.programme,
        act,
        act.axis,
        act.lab,
        act.lab.municipality,
        session,
        flat,
        flat.building,
        flat.building.neighbourhood,
        person,
        home,
        span,
    ]
    return {type(row): row for row in rows}


def test_every_model_of_our_apps_has_an_admin():
    ours = {
        m
        for label in OUR_APPS
        for m in apps.get_app_config(label).get_models()
        if not m.__name__.startswith("Historical")
    }
    assert ours == set(REGISTERED)


def test_models_with_history_show_it_in_the_admin():
    for model in REGISTERED:
        has_history = hasattr(model, "history")
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin) == has_history, model


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_changelist_lists_the_row(client, one_of_each, model):
    row = one_of_each[model]
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert url(model, "change", row.pk) in response.content.decode()


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_changelist_search_answers(client, operator, model):
    response = client.get(url(model, "changelist"), {"q": "Rossi"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_add_page_opens(client, rf, operator, model):
    request = rf.get("/")
    request.user = operator
    may_add = admin.site._registry[model].has_add_permission(request)
    response = client.get(url(model, "add"))
    # Logs and what the database keeps are never written by hand: their add page is refused.
    assert response.status_code == (200 if may_add else 403)
    assert may_add or model in (
        ben.SensitiveAccess,
        ben.RegisterCorrection,
        ben.RegisterSubmission,
        ben.OfflineConflict,
        ProjectFigures,
        FiguresChange,
    )


@pytest.mark.parametrize("model", REGISTERED, ids=IDS)
def test_change_and_history_pages_open(client, one_of_each, model):
    assert model in one_of_each, f"add a {model.__name__} to the one_of_each fixture"
    row = one_of_each[model]
    assert client.get(url(model, "change", row.pk)).status_code == 200
    assert client.get(url(model, "history", row.pk)).status_code == 200


def test_session_page_shows_its_register(client, one_of_each):
    session = one_of_each[labs.Session]
    page = client.get(url(labs.Session, "change", session.pk)).content.decode()
    assert 'name="attendances-0-person"' in page
    assert 'name="evidence-0-kind"' in page


def test_building_links_to_its_units_instead_of_listing_them(client, one_of_each):
    building = one_of_each[labs.Building]
    b.unit(building)
    page = client.get(url(labs.Building, "changelist")).content.decode()
    assert f'{url(labs.HousingUnit, "changelist")}?building__id__exact={building.pk}">2<' in page
    units = client.get(url(labs.HousingUnit, "changelist"), {"building__id__exact": building.pk})
    assert units.context["cl"].result_count == 2


def test_submitted_report_is_read_only(client, one_of_each):
    report = one_of_each[ProgressReport]
    ProgressReport.objects.filter(pk=report.pk).update(
        status="submitted",
        submitted_at=dt.datetime(2024, 7, 1, tzinfo=dt.UTC),
        pdf_sha256="ab" * 32,
    )
    page = client.get(url(ProgressReport, "change", report.pk))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert client.post(url(ProgressReport, "change", report.pk), {}).status_code == 403
    assert client.get(url(ProgressReport, "delete", report.pk)).status_code == 403


def test_project_cannot_be_deleted_before_its_retention_date(client, one_of_each):
    project = one_of_each[labs.Project]
    assert client.get(url(labs.Project, "delete", project.pk)).status_code == 403


@pytest.mark.parametrize("people", [3, 30])
def test_person_changelist_queries_do_not_grow_with_people(
    client, operator, people, django_assert_max_num_queries
):
    """The same queries for 3 people as for 30: the login session and its user, the count
    (filtered and total), the page of people, the citizenship filter's values, then the
    session saved again (savepoint, update, release): 9."""
    for n in range(people):
        b.person(tax_code=b.tax_code(n=n))
    with django_assert_max_num_queries(9):
        assert client.get(url(ben.Person, "changelist")).status_code == 200


@pytest.mark.parametrize("reviews", [3, 30])
def test_case_review_changelist_queries_do_not_grow_with_reviews(
    client, operator, reviews, django_assert_max_num_queries
):
    """A review's row names its path (person and project) and its body, all read with the
    page: the same queries for 3 reviews as for 30 (it was one more per row for the
    path's project). The login session and its user, the counts, the date hierarchy, the
    page of reviews, the session saved again."""
    from beneficiaries.models import CaseReview
    from labs.models import Body
    from tests import factories as f

    project = f.ProjectFactory()
    body = Body.objects.create(project=project, name="Équipe", kind="equipe")
    for n in range(reviews):
        path = f.PathFactory(project=project, person=b.person(tax_code=b.tax_code(n=n)))
        CaseReview.objects.create(path=path, body=body, date=dt.date(2019, 4, 1))
    with django_assert_max_num_queries(10):
        assert client.get(url(CaseReview, "changelist")).status_code == 200
