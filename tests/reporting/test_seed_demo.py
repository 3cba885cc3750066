"""The demo data set: the seed pages' figures exactly, valid records, idempotence, logins;
Adda Martesana's governance (seed 002) and the Lombardy call's rules; RiCA's repayment
plans (issue 15), built from the arrears records, with community-work hours.

The command runs once for the whole module (it commits outside the tests' transactions)
and the module removes it at the end, so other test modules see an empty database.
"""

import datetime as dt
import io
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db.models import Count, F
from stdnum.it import iva

from beneficiaries.models import (
    Answer,
    ArrearsRecord,
    Attendance,
    CaseNote,
    CaseReview,
    Consent,
    Household,
    HouseholdMember,
    Path,
    Person,
    Registration,
)
from beneficiaries.repayments.models import RepaymentPayment, RepaymentPlan
from labs import access
from labs.governance.partnership_rules import project_partnership_warnings
from labs.models import (
    Activity,
    Body,
    BodyMember,
    Building,
    HousingUnit,
    Lab,
    Meeting,
    Municipality,
    Partnership,
    Programme,
    Project,
    ProjectRole,
    ReportingPeriod,
    ResidentReport,
    Session,
)
from partners.models import Organisation
from partners.validators import validate_cup
from reporting import demo as demo_data

pytestmark = pytest.mark.django_db
APPS = ["partners", "labs", "beneficiaries", "reporting"]


@pytest.fixture(scope="module", autouse=True)
def baseline(django_db_setup, django_db_blocker):
    """Row counts before the demo; the demo is loaded for the module, removed after it."""
    with django_db_blocker.unblock():
        counts = row_counts()
        call_command("seed_demo", stdout=io.StringIO())
    yield counts
    with django_db_blocker.unblock():
        demo_data.delete_demo()


def row_counts() -> dict[str, int]:
    counts = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model.objects.count()
    counts["auth.User"] = get_user_model().objects.count()
    return counts


def project(slug: str) -> Project:
    return Project.objects.get(slug=slug)


def residents_of(building: Building) -> tuple[int, int]:
    """Households whose current tenancy is in the building, and their current members."""
    households = Household.objects.filter(
        tenancies__unit__building=building, tenancies__moved_out__isnull=True
    )
    people = HouseholdMember.objects.filter(household__in=households, end_date__isnull=True)
    return households.count(), people.count()


def partners_by_role(slug: str) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for role, name in Partnership.objects.filter(project__slug=slug).values_list(
        "role", "organisation__name"
    ):
        roles.setdefault(role, set()).add(name)
    return roles


# --- the seed pages' figures ---------------------------------------------------------------


def test_valverde_territory_matches_the_page():
    valverde = project(demo_data.VALVERDE_SLUG)
    aler = Organisation.objects.get(short_name="ALER Milano")
    units = HousingUnit.objects.filter(building__neighbourhood__projects=valverde)
    assert units.count() == 159
    assert set(units.values_list("building__owner", flat=True)) == {aler.pk}
    assert Household.objects.filter(project=valverde).count() == 144
    current = HouseholdMember.objects.filter(household__project=valverde, end_date__isnull=True)
    assert current.count() == 343
    by_address = {
        b.address: residents_of(b)
        for b in Building.objects.filter(neighbourhood__projects=valverde)
    }
    assert by_address == {
        "Via Ancona 5": (44, 103),
        "Via Terni 10": (21, 49),
        "Via Bologna": (79, 191),
    }
    assert units.filter(status=HousingUnit.Status.OCCUPIED).count() == 144
    assert units.filter(tenancies__isnull=False, tenancies__moved_out__isnull=True).count() == 144
    # members who moved out during the year exist but are not residents
    assert HouseholdMember.objects.filter(
        household__project=valverde, end_date__isnull=False
    ).exists()


def test_valverde_project_partnership_and_axes():
    valverde = project(demo_data.VALVERDE_SLUG)
    assert valverde.lead_organisation.tax_code == "00835500158"
    assert valverde.programme.indicator_set == Programme.IndicatorSet.ESF_2014
    assert partners_by_role(demo_data.VALVERDE_SLUG) == {
        "capofila": {"Comune di Canegrate"},
        "partner": {
            "ALER Milano – Azienda Lombarda per l'Edilizia Residenziale",
            "Eurolavoro – AFOL Ovest Milano",
            "Elaborando Società Cooperativa Sociale",
            "La Cordata Società Cooperativa Sociale",
        },
    }
    assert set(valverde.partnerships.values_list("agreement_date", flat=True)) == {
        demo_data.dt.date(2018, 12, 11)
    }
    axes = {a.name: (a.action, a.budget) for a in valverde.axes.all()}
    assert axes["Laboratorio sociale"] == ("9.4.2", demo_data.D("119640.70"))
    assert axes["Inclusione attiva"][0] == "9.1.3"
    shares = sum(valverde.partnerships.values_list("budget_share", flat=True))
    assert shares == valverde.budget == sum(a.budget for a in valverde.axes.all())
    assert valverde.partnerships.filter(organisation__accredited_labour=True).exists()


def test_trezzano_households_people_axes_and_network():
    trezzano = project(demo_data.TREZZANO_SLUG)
    assert Household.objects.filter(project=trezzano).count() == 133
    people = HouseholdMember.objects.filter(household__project=trezzano, end_date__isnull=True)
    assert 290 <= people.count() <= 310
    assert set(
        HousingUnit.objects.filter(building__neighbourhood__projects=trezzano).values_list(
            "building__owner__name", flat=True
        )
    ) == {"Comune di Trezzano sul Naviglio"}
    assert list(trezzano.axes.values_list("name", flat=True)) == [
        "Azione di sistema: fare comunità / costruire reti",
        "Asse disagio",
        "Asse convivenza e integrazione",
        "Asse formazione e lavoro",
    ]
    assert partners_by_role(demo_data.TREZZANO_SLUG) == {
        "capofila": {"Comune di Trezzano sul Naviglio"},
        "partner": {
            "Ripari Società Cooperativa Sociale",
            "Lule Società Cooperativa Sociale",
            "AFOL Metropolitana – Agenzia Formazione Orientamento Lavoro",
        },
        "rete": {
            "Comitato Mezzetta",
            "Forum Cooperazione e Tecnologia",
            "Associazione sportiva New San Lorenzo",
            "Parrocchia San Lorenzo – Trezzano sul Naviglio",
        },
    }
    assert not trezzano.partnerships.filter(role="rete", budget_share__gt=0).exists()


def test_adda_martesana_municipalities_and_districts():
    adda = project(demo_data.ADDA_SLUG)
    assert (adda.start_date, adda.end_date) == (
        demo_data.dt.date(2020, 9, 1),
        demo_data.dt.date(2021, 12, 31),
    )
    assert adda.municipalities.count() == 28
    per_district = dict(adda.municipalities.values_list("district__name").annotate(n=Count("pk")))
    assert per_district == {
        "Distretto 5 – Melzo": 8,
        "Distretto 4 – Cernusco sul Naviglio": 9,
        "Distretto 3 – Pioltello (Distretto Sociale Est Milano)": 4,
        "Distretto 8 – Trezzo sull'Adda": 7,
    }
    assert adda.lead_organisation.name == "Comune di Melzo"
    roles = partners_by_role(demo_data.ADDA_SLUG)
    assert "ASST Melegnano e della Martesana" in roles["partner"]
    assert {"Arti e Mestieri", "Mariposa", "Fondazione Somaschi", "Punto d'Incontro"} <= roles[
        "rete"
    ]
    women = Path.objects.filter(project=adda, person__sex="F").count()
    assert women > Path.objects.filter(project=adda).count() / 2
    assert Path.objects.filter(project=adda, disability=Answer.YES).exists()


def test_rica_three_hubs_with_phases_and_housing_axis():
    rica = project(demo_data.RICA_SLUG)
    labs = Lab.objects.filter(project=rica)
    assert labs.count() == 3
    assert set(labs.values_list("phase", flat=True)) == {"aggancio", "attivazione", "manutenzione"}
    assert list(rica.axes.values_list("name", flat=True)) == [
        "Rigenerazione di comunità",
        "Educazione finanziaria",
        "Abitare",
    ]
    assert rica.lead_organisation.name == "Comuni Insieme per lo Sviluppo Sociale"
    assert set(rica.municipalities.values_list("name", flat=True)) == {
        "Bollate",
        "Baranzate",
        "Cesate",
        "Garbagnate Milanese",
        "Novate Milanese",
        "Senago",
        "Solaro",
    }
    assert Activity.objects.filter(
        project=rica, kind=Activity.Kind.FINANCIAL_EDUCATION, enrolments__isnull=False
    ).exists()
    assert Activity.objects.filter(project=rica, kind=Activity.Kind.HOUSING_DESK).exists()
    arrears = ArrearsRecord.objects.filter(household__project=rica)
    assert arrears.filter(repayment_plan=True, community_work_hours__gt=0).exists()


def test_programmes_and_regional_organisation():
    assert Programme.objects.filter(
        indicator_set=Programme.IndicatorSet.ESF_PLUS_2021, fund=Programme.Fund.ESF_PLUS
    ).exists()
    call = Programme.objects.get(code="lombardia-quartieri-erp-2017")
    assert call.fund == Programme.Fund.ESF and call.allowance_hourly_amount > 0
    assert "gestione sociale dei quartieri di edilizia pubblica" in call.name
    assert Organisation.objects.filter(
        kind=Organisation.Kind.REGION, name="Regione Lombardia"
    ).exists()
    assert Programme.objects.get(code="bando-periferie-2016").indicator_set == "none"


def test_the_data_files_are_the_source():
    """Every figure the data files declare is what the database holds: territory and
    residents per building, axes, partners, activities; Valverde's file says the page's
    159 flats, 144 households and 343 residents."""
    from labs.models import BudgetLine, StaffMember
    from reporting.demo import loader

    valverde = loader.project("valverde")["buildings"]
    assert [sum(b[k] for b in valverde) for k in ("units", "households", "people")] == [
        159,
        144,
        343,
    ]
    for name in loader.PROJECT_FILES:
        data = loader.project(name)
        slug = data["project"]["slug"]
        for spec in data.get("buildings", []):
            building = Building.objects.get(
                neighbourhood__projects__slug=slug, address=spec["address"]
            )
            assert building.units.count() == spec["units"] == building.declared_units
            assert residents_of(building) == (spec["households"], spec["people"]), spec
        activities = [s for s in data.get("steps", []) if s["do"] == "activity"]
        assert sorted(
            Activity.objects.filter(project__slug=slug).values_list("name", flat=True)
        ) == (sorted(a["name"] for a in activities))
        assert Partnership.objects.filter(project__slug=slug).count() == len(data["partners"])
        assert list(project(slug).axes.values_list("code", flat=True)) == [
            a["code"] for a in data["axes"]
        ]
    money = loader.read("valverde_money")
    assert BudgetLine.objects.count() == len(money["budget"])
    assert StaffMember.objects.count() == len(money["staff"])
    assert get_user_model().objects.filter(
        username__in=[u["username"] for u in demo_data.DEMO_USERS]
    ).count() == len(loader.reference()["users"])


# --- valid records ---------------------------------------------------------------------------


def test_every_person_is_valid_and_codici_fiscali_are_unique():
    people = list(Person.objects.all())
    assert len(people) > 800
    for person in people:
        person.full_clean()
    codes = [p.tax_code for p in people if p.tax_code]
    assert len(codes) == len(set(codes))
    without = len(people) - len(codes)
    assert 0.01 * len(people) <= without <= 0.08 * len(people)
    assert any(
        p.birth_place == "Marocco" and p.tax_code and p.tax_code[11:15] == "Z330" for p in people
    )


def test_codice_fiscale_rules():
    born = demo_data.dt.date(1983, 11, 18)
    assert demo_data.person_tax_code("Rocca", "Emanuele", born, "M", "D969") == ("RCCMNL83S18D969H")
    assert demo_data.name_code("Cristian") == "CST"
    assert demo_data.surname_code("Fo") == "FOX"
    assert demo_data.surname_code("D'Angelo") == "DNG"
    omocode = demo_data.person_tax_code("Rocca", "Emanuele", born, "M", "D969", 1)
    assert omocode[:15] == "RCCMNL83S18D96V"


def test_organisations_projects_and_sessions_are_valid():
    for organisation in Organisation.objects.all():
        organisation.full_clean()
        assert iva.is_valid(organisation.tax_code)
    cups = list(Project.objects.values_list("cup", flat=True))
    assert len(cups) == len(set(cups)) == 5
    for cup in cups:
        validate_cup(cup)
    for path in Path.objects.select_related("axis"):
        path.full_clean()
    too_long = [
        a
        for a in Attendance.objects.values("hours", "session__duration_minutes")
        if a["hours"] * 60 > a["session__duration_minutes"]
    ]
    assert not too_long
    for session in Session.objects.all()[:200]:
        session.full_clean()
    assert not Session.objects.exclude(
        duration_minutes=(F("end_time__hour") - F("start_time__hour")) * 60
        + F("end_time__minute")
        - F("start_time__minute")
    ).exists()


def test_sessions_in_every_state_and_registers():
    for slug in [
        demo_data.VALVERDE_SLUG,
        demo_data.TREZZANO_SLUG,
        demo_data.ADDA_SLUG,
        demo_data.RICA_SLUG,
    ]:
        sessions = Session.objects.filter(activity__project__slug=slug)
        states = set(sessions.values_list("state", flat=True))
        assert states == {"held", "cancelled", "planned"}, slug
        assert not sessions.filter(state="cancelled", cancel_reason="").exists()
        assert not sessions.exclude(state="held").filter(attendances__isnull=False).exists()
        assert Attendance.objects.filter(session__activity__project__slug=slug).count() > 100
    assert Session.objects.filter(head_count__gt=30, activity__is_open_event=True).exists()
    assert Session.objects.filter(validated_by__username="lead.valverde").exists()


def test_paths_profiles_exits_and_followups():
    paths = Path.objects.all()
    assert (
        paths.filter(labour_status="").exists()
        or paths.filter(education_level__isnull=True).exists()
    )
    assert (
        paths.filter(disability=Answer.DECLINED).exists()
        or paths.filter(other_disadvantage=Answer.DECLINED).exists()
        or paths.filter(foreign_background=Answer.DECLINED).exists()
    )
    assert paths.filter(exit_date__isnull=False).exclude(exit_reason="").exists()
    assert paths.filter(followup_date__isnull=False, followup_employed__isnull=False).exists()
    assert paths.filter(exit_date__isnull=True).exists()
    assert paths.filter(labour_status="unemployed", unemployment_months__gt=12).exists()
    valverde = project(demo_data.VALVERDE_SLUG)
    assert paths.filter(project=valverde, axis__code="SP2").count() == 24
    # every participant is registered in the project
    assert not paths.exclude(person__registrations__project=F("project")).exists()


def test_consents_notes_arrears_reports_periods():
    assert Consent.objects.filter(purpose="privacy_notice").count() > 800
    assert Consent.objects.filter(withdrawn_on__isnull=False).exists()
    assert Consent.objects.filter(expires_on__isnull=False, notes__icontains="scaduta").exists()
    privacy = Consent.objects.filter(purpose="privacy_notice").values("person")
    assert Person.objects.exclude(pk__in=privacy).exists()  # some never signed
    assert CaseNote.objects.filter(project__slug=demo_data.VALVERDE_SLUG).count() > 20
    arrears = ArrearsRecord.objects.filter(household__project__slug=demo_data.VALVERDE_SLUG)
    assert arrears.filter(blameless=True).exists()
    assert arrears.filter(repayment_plan=True, plan_monthly_amount__gt=0).exists()
    reports = ResidentReport.objects.all()
    assert reports.filter(status="solved", solved_on__isnull=False).exists()
    assert reports.filter(status="open").exists()
    periods = ReportingPeriod.objects.filter(project__slug=demo_data.VALVERDE_SLUG)
    assert [p.is_closed for p in periods] == [True, False, False, False]
    assert Registration.objects.filter(project__slug=demo_data.VALVERDE_SLUG).count() > 100


# --- users -------------------------------------------------------------------------------------


def test_demo_users_log_in_with_their_roles(rf):
    User = get_user_model()
    assert len(demo_data.DEMO_PASSWORD) >= 10
    for spec in demo_data.DEMO_USERS:
        user = User.objects.get(username=spec["username"])
        validate_password(demo_data.DEMO_PASSWORD, user)
        assert user.first_name and user.last_name and user.email
        # through every authentication backend, django-axes included (it wants a request)
        assert (
            authenticate(
                rf.post("/accounts/login/"),
                username=spec["username"],
                password=demo_data.DEMO_PASSWORD,
            )
            == user
        )
        roles = set(ProjectRole.objects.filter(user=user).values_list("project__slug", "role"))
        assert roles == set(spec["roles"]), spec["username"]
        for role in ProjectRole.objects.filter(user=user):
            assert user.memberships.filter(organisation=role.organisation).exists()
            role.full_clean()
        if spec["kind"] == "admin":
            assert user.is_superuser
        if spec["kind"] == "regional_officer":
            assert access.is_regional_officer(user)
            assert set(access.project_ids_for(user)) == set(
                Project.objects.values_list("pk", flat=True)
            )
    usernames = {s["username"] for s in demo_data.DEMO_USERS}
    assert {
        "lead.valverde",
        "social.valverde",
        "partner.valverde",
        "lead.trezzano",
        "social.trezzano",
        "partner.trezzano",
        "officer.regione",
        "admin",
    } <= usernames


def test_partner_of_valverde_sees_its_activities_and_people():
    user = get_user_model().objects.get(username="partner.valverde")
    valverde = project(demo_data.VALVERDE_SLUG)
    assert access.project_ids_for(user) == [valverde.pk]
    activities = Activity.objects.visible_to(user)
    assert set(activities.values_list("organisation__short_name", flat=True)) == {
        "Coop. La Cordata"
    }
    busy = activities.filter(enrolments__isnull=False, sessions__attendances__isnull=False)
    assert busy.distinct().count() >= 2
    visible = Person.objects.visible_to(user)
    assert visible.count() > 30
    assert (
        visible.count()
        < Person.objects.filter(household_memberships__household__project=valverde).count()
    )


# --- money (issue 8) ---------------------------------------------------------------------


def test_valverde_has_a_year_of_budget_expenses_time_sheets_and_allowances():
    from django.db.models import Max, Sum

    from beneficiaries.allowances.services import allowance_rows
    from labs.models import BudgetLine, Expense, StaffMember, TimesheetEntry

    valverde = project(demo_data.VALVERDE_SLUG)
    lines = BudgetLine.objects.filter(project=valverde)
    for partnership in valverde.partnerships.all():
        total = lines.filter(organisation=partnership.organisation).aggregate(t=Sum("amount"))
        assert total["t"] == partnership.budget_share, partnership
    for axis in valverde.axes.all():
        assert lines.filter(axis=axis).aggregate(t=Sum("amount"))["t"] == axis.budget, axis
    expenses = Expense.objects.filter(project=valverde)
    assert set(expenses.values_list("status", flat=True)) == {
        "draft",
        "submitted",
        "accepted",
        "rejected",
    }
    assert expenses.dates("date", "month").count() == 12
    staff = StaffMember.objects.filter(project=valverde)
    assert set(staff.values_list("contract_type", flat=True)) == {
        "full_time",
        "part_time_fixed",
        "part_time_variable",
        "hourly",
    }
    entries = TimesheetEntry.objects.filter(staff__project=valverde)
    assert entries.dates("date", "month").count() == 12
    for member in staff:
        mine = entries.filter(staff=member)
        assert mine.aggregate(t=Sum("hours"))["t"] <= member.annual_hours
        per_day = mine.values("date").annotate(h=Sum("hours")).aggregate(m=Max("h"))["m"]
        assert per_day <= member.daily_hours
    rows = allowance_rows(valverde)
    assert sum(r.paid for r in rows) > 0
    assert all(r.paid <= r.due for r in rows)


def test_valverde_budget_page_and_xlsx_show_the_same_figures(client):
    from decimal import Decimal

    from django.urls import reverse
    from openpyxl import load_workbook

    from labs.budget import services as budget_services
    from labs.templatetags.money import format_euro

    valverde = project(demo_data.VALVERDE_SLUG)
    period = valverde.periods.order_by("start_date")[1]  # II semester 2019
    data = budget_services.budget_vs_spending(valverde, period)
    assert Decimal(data["total"]["spent"]) > Decimal(data["total"]["spent_period"]) > 0
    client.force_login(get_user_model().objects.get(username="lead.valverde"))
    page = client.get(reverse("budget:budget", args=[valverde.slug]), {"periodo": period.pk})
    html = page.content.decode()
    for row in data["by_axis"] + data["by_partner"] + [data["total"]]:
        assert format_euro(row["budget"]) in html and format_euro(row["spent"]) in html
    export = client.get(
        reverse("budget:budget-export", args=[valverde.slug]), {"periodo": period.pk}
    )
    workbook = load_workbook(io.BytesIO(export.content))
    for key, title in budget_services.BUDGET_SHEETS:
        rows = list(workbook[title].iter_rows(min_row=2, values_only=True))
        expected = data[key] + ([] if key == "lines" else [data["total"]])
        assert [[Decimal(str(v)).quantize(Decimal("0.01")) for v in r[-6:]] for r in rows] == [
            [Decimal(e[c]) for c in budget_services.AMOUNT_COLUMNS] for e in expected
        ]


def test_valverde_progress_report_shows_the_budget_of_the_xlsx(client):
    """The progress report of Valverde's second semester prints budget against spending per
    sub-project, partner and category with exactly the amounts of the budget XLSX."""
    from decimal import Decimal

    from django.urls import reverse
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from labs.budget import services as budget_services
    from labs.templatetags.money import format_euro
    from reporting.pdf import render_report_pdf
    from reporting.report_data import build_report_data

    valverde = project(demo_data.VALVERDE_SLUG)
    period = valverde.periods.order_by("start_date")[1]
    report = build_report_data(valverde, period)
    assert report["budget"] == budget_services.budget_vs_spending(valverde, period)
    pdf = render_report_pdf(report)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    text = " ".join(text.split())
    client.force_login(get_user_model().objects.get(username="lead.valverde"))
    export = client.get(
        reverse("budget:budget-export", args=[valverde.slug]), {"periodo": period.pk}
    )
    workbook = load_workbook(io.BytesIO(export.content))
    for _key, title in budget_services.BUDGET_SHEETS[:3]:
        for row in workbook[title].iter_rows(min_row=2, values_only=True):
            printed = " ".join(format_euro(Decimal(str(v))) for v in row[1:])
            assert printed in text, (title, row[0], printed)


# --- idempotence and determinism -----------------------------------------------------------------


def test_adda_martesana_has_the_three_levels_of_its_page():
    bodies = Body.objects.filter(project__slug=demo_data.ADDA_SLUG)
    assert sorted(bodies.values_list("kind", flat=True)) == [
        "cabina_regia",
        "coordinamento",
        "equipe",
        "equipe",
    ]
    assert Meeting.objects.filter(body__in=bodies).count() == 10


def test_members_and_attendees_belong_to_the_partnership_and_the_body():
    members = BodyMember.objects.filter(body__project__slug=demo_data.ADDA_SLUG)
    partners = set(
        Project.objects.get(slug=demo_data.ADDA_SLUG).partnerships.values_list(
            "organisation_id", flat=True
        )
    )
    assert set(members.values_list("organisation_id", flat=True)) <= partners
    assert not Meeting.attendees.through.objects.exclude(
        bodymember__body_id=F("meeting__body_id")
    ).exists()


def test_case_reviews_follow_each_path_inside_its_dates():
    reviews = CaseReview.objects.filter(path__project__slug=demo_data.ADDA_SLUG)
    assert reviews.count() == 132
    assert not reviews.filter(date__lt=F("path__entry_date")).exists()
    assert not reviews.filter(path__exit_date__isnull=False, date__gt=F("path__exit_date")).exists()
    assert not reviews.exclude(body__kind="equipe").exists()
    assert not CaseReview.participants.through.objects.exclude(
        bodymember__body_id=F("casereview__body_id")
    ).exists()


def test_the_lombardy_call_carries_its_rules_and_its_projects_keep_them():
    call = Programme.objects.get(code="lombardia-quartieri-erp-2017")
    assert call.partnership_rules == {
        "min_members": 3,
        "lead_kinds": ["comune", "ente_erp"],
        "min_accredited": 1,
    }
    for project in Project.objects.filter(programme=call).select_related("programme"):
        assert project_partnership_warnings(project, project.partnerships.all()) == []
    adda = Project.objects.select_related("programme").get(slug=demo_data.ADDA_SLUG)
    assert adda.programme.partnership_rules == {}


def repayment_snapshot():
    return sorted(
        RepaymentPayment.objects.values_list(
            "plan__household__code", "paid_on", "channel", "amount", "hours", "value"
        )
    )


def test_rica_plans_follow_the_arrears_records_with_community_work():
    plans = RepaymentPlan.objects.filter(project__slug="rica")
    on_plan = (
        ArrearsRecord.objects.filter(household__project__slug="rica", repayment_plan=True)
        .values("household")
        .distinct()
        .count()
    )
    assert plans.count() == on_plan >= 8
    assert not RepaymentPlan.objects.exclude(project__slug="rica").exists()
    assert {p.creditor.kind for p in plans} == {"ente_erp"}
    hours = RepaymentPayment.objects.filter(plan__in=plans, hours__isnull=False)
    assert hours.exists()
    assert all(h.value == h.hours * Decimal("8") and h.hours <= 6 for h in hours)
    # Plausible at the project's end: most keep to the plan or have repaid it, some not.
    status = Counter(plans.with_status(on=dt.date(2021, 12, 31)).values_list("status", flat=True))
    assert status["on_track"] + status["closed"] > status["late"] + status["broken"] > 0


def ordered(rows):
    return sorted(rows, key=lambda row: tuple("" if v is None else str(v) for v in row))


def test_demo_people_round_trip_through_the_template():
    """Export a demo project's people to the import template, remove the demo, import the
    file into an empty project: the same people, paths and ESF profiles come back."""
    from beneficiaries import models as b
    from beneficiaries.imports.engine import ImportRefused, run_import
    from beneficiaries.imports.people import export_rows
    from beneficiaries.imports.registry import IMPORTERS
    from beneficiaries.paths.models import ENTRY_PROFILE_FIELDS, ENTRY_SENSITIVE_FIELDS
    from tests import factories as f
    from tests.beneficiaries.test_imports import PEOPLE_HEADER, xlsx_bytes
    from tests.conftest import _role

    # The whole ESF entry profile, as the path form asks it, and the path's own fields.
    profile = [
        *ENTRY_PROFILE_FIELDS,
        *ENTRY_SENSITIVE_FIELDS,
        "entry_date",
        "planned_hours",
        "axis__code",
    ]
    source = Project.objects.get(slug=demo_data.VALVERDE_SLUG)
    rows = export_rows(source)
    people = ordered(
        b.Person.objects.in_project(source.pk).values_list(
            "tax_code", "last_name", "first_name", "birth_date", "sex", "citizenship"
        )
    )
    original = ordered(
        b.Path.objects.filter(project=source).values_list("person__tax_code", *profile)
    )
    axes = list(source.axes.values_list("code", "name"))
    dates = (source.start_date, source.end_date)
    demo_data.delete_demo()
    assert len(rows) > 50 and len(original) > 10

    town = f.OrganisationFactory(name="Comune di Prova", kind="comune")
    lead = f.UserFactory(username="lead")
    empty = f.ProjectFactory(
        slug="vuoto", start_date=dates[0], end_date=dates[1], lead_organisation=town
    )
    for code, name in axes:
        f.AxisFactory(project=empty, code=code, name=name)
    Partnership.objects.create(project=empty, organisation=town, role="capofila")
    _role(empty, lead, town, "lead")
    data = xlsx_bytes([dict(zip(PEOPLE_HEADER, row, strict=True)) for row in rows])
    try:
        preview = run_import(IMPORTERS["persone"](project=empty, actor=lead), data)
    except ImportRefused as error:
        problems = [(r.number, r.problems) for r in error.preview.problem_rows]
        raise AssertionError(problems) from None

    assert preview.creates == len(rows) == len(people)
    copied_people = ordered(
        b.Person.objects.in_project(empty.pk).values_list(
            "tax_code", "last_name", "first_name", "birth_date", "sex", "citizenship"
        )
    )
    assert copied_people == people
    copied = ordered(b.Path.objects.filter(project=empty).values_list("person__tax_code", *profile))
    assert copied == original


def test_second_run_changes_nothing():
    before = row_counts()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "già caricati" in out.getvalue()
    assert "lead.valverde" in out.getvalue()
    assert row_counts() == before


def test_reset_rebuilds_the_same_data():
    before = row_counts()
    people = sorted(
        Person.objects.values_list("last_name", "first_name", "birth_date", "tax_code"), key=str
    )
    payments = repayment_snapshot()
    out = io.StringIO()
    call_command("seed_demo", "--reset", stdout=out)
    assert "cancellati" in out.getvalue()
    assert row_counts() == before
    assert repayment_snapshot() == payments  # the same files give the same rows
    assert (
        sorted(
            Person.objects.values_list("last_name", "first_name", "birth_date", "tax_code"), key=str
        )
        == people
    )
    assert Municipality.objects.filter(istat_code="015046", cadastral_code="B593").exists()


def test_delete_leaves_nothing_behind(baseline):
    demo_data.delete_demo()
    assert row_counts() == baseline  # repayment plans and payments, bodies, reviews too
    assert not RepaymentPlan.objects.exists() and not RepaymentPayment.objects.exists()


def test_a_labs_year_of_sessions_lists_in_constant_queries(client):
    """Every page of every demo lab's session list (a year of sessions: 19 to 362 per lab)
    costs the same number of queries, as the project's lead sees it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from labs.models import Lab, ProjectRole

    costs = {}
    for lab in Lab.objects.annotate(n=Count("sessions")).select_related("project"):
        lead = ProjectRole.objects.filter(project=lab.project, role="lead").first().user
        client.force_login(lead)
        url = reverse("labs:session-list", args=[lab.project.slug])
        pages = (lab.n + 49) // 50
        listed = 0
        for page in range(1, pages + 1):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, {"lab": lab.pk, "page": page})
            assert response.status_code == 200
            listed += len(response.context["object_list"])
            costs[(lab.name, page)] = len(queries)
        assert listed == lab.n
    assert max(lab.n for lab in Lab.objects.annotate(n=Count("sessions"))) >= 300
    assert len(set(costs.values())) == 1, costs
    assert max(costs.values()) <= 16
