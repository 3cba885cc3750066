"""Money (issue 8): hourly rates and staff costs to the cent, allowances from the registers,
contract hours, closed periods, documents in scope, budget against spending and its XLSX."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from beneficiaries.allowances import services as allowances
from beneficiaries.models import AllowancePayment, Attendance
from labs.budget import services
from labs.models import BudgetLine, Expense, ReportingPeriod, StaffMember, TimesheetEntry
from labs.templatetags.money import format_euro
from tests import budget_builders as money
from tests import factories as f

D = Decimal


def _staff(w, contract, cost, **extra):
    return StaffMember.objects.create(
        project=w.a,
        organisation=w.aurora,
        first_name="Anna",
        last_name=contract,
        contract_type=contract,
        annual_gross_cost=D(cost),
        **extra,
    )


def _declare(staff, actor, day, hours, axis=None):
    services.timesheet_save_month(
        staff=staff,
        actor=actor,
        year=day.year,
        month=day.month,
        hours={((axis or staff.project.axes.first()).pk, None, day): D(hours)},
    )


def _close(project, start, end, user):
    return ReportingPeriod.objects.create(
        project=project,
        name="Chiuso",
        start_date=start,
        end_date=end,
        closed_at=timezone.now(),
        closed_by=user,
    )


# ---- Hourly rate and cost of declared hours --------------------------------------------


@pytest.mark.parametrize(
    "contract, cost, extra, rate, hours, expected_cost",
    [
        # 31,234.56 / 1,720 = 18.1596... -> 18.16; 7.25 h x 18.16 = 131.66
        ("full_time", "31234.56", {}, "18.16", "7.25", "131.66"),
        # 50% of 1,720 = 860 h; 17,000 / 860 = 19.7674... -> 19.77; 4 h -> 79.08
        ("part_time_fixed", "17000.00", {"share_percent": D("50")}, "19.77", "4", "79.08"),
        # 1,000 h in the contract; 21,500 / 1,000 = 21.50; 3.5 h -> 75.25
        (
            "part_time_variable",
            "21500.00",
            {"contract_annual_hours": D("1000")},
            "21.50",
            "3.5",
            "75.25",
        ),
        # 300 h; 7,777.77 / 300 = 25.9259 -> 25.93; 2.25 h x 25.93 = 58.3425 -> 58.34
        ("hourly", "7777.77", {"contract_annual_hours": D("300")}, "25.93", "2.25", "58.34"),
    ],
)
def test_hourly_rate_and_cost_of_declared_hours_to_the_cent(
    world, contract, cost, extra, rate, hours, expected_cost
):
    staff = _staff(world, contract, cost, **extra)
    assert staff.hourly_rate == D(rate)
    _declare(staff, world.paolo, dt.date(2019, 9, 10), hours)
    data = services.budget_vs_spending(world.a)
    staff_row = next(r for r in data["by_category"] if r["key"] == "staff")
    assert staff_row["spent"] == expected_cost
    assert isinstance(staff.hourly_rate, Decimal)


def test_staff_form_asks_the_part_time_share(world, client):
    client.force_login(world.alice)
    response = client.post(
        reverse("budget:staff-create", args=["valle"]),
        {
            "organisation": world.aurora.pk,
            "last_name": "Gialli",
            "first_name": "Ugo",
            "contract_type": "part_time_fixed",
            "annual_gross_cost": "20000,00",
            "daily_hours": "8",
        },
    )
    assert response.status_code == 200
    assert "percentuale del part time" in response.content.decode()
    assert not StaffMember.objects.filter(last_name="Gialli").exists()


# ---- Hours above the contract ----------------------------------------------------------


def test_hours_above_the_daily_contract_hours_are_refused(world):
    staff = _staff(world, "full_time", "34400.00")
    with pytest.raises(services.BudgetError, match="al massimo 8"):
        _declare(staff, world.paolo, dt.date(2019, 9, 10), "9")
    assert not TimesheetEntry.objects.exists()


def test_hours_above_the_annual_contract_hours_are_refused(world):
    staff = _staff(world, "hourly", "3000.00", contract_annual_hours=D("10"))
    _declare(staff, world.paolo, dt.date(2019, 9, 10), "6")
    with pytest.raises(services.BudgetError, match="ore annue"):
        _declare(staff, world.paolo, dt.date(2019, 10, 1), "5")  # 11 h in 2019
    assert TimesheetEntry.objects.get().hours == D("6")


def test_month_screen_saves_and_refuses_excess_hours_keeping_what_was_typed(world, client):
    staff = _staff(world, "full_time", "34400.00")
    client.force_login(world.paolo)
    url = reverse("budget:timesheet", args=["valle", staff.pk, 2019, 9])
    page = client.get(url)
    assert page.status_code == 200
    field = f"h-{world.axis.pk}-{world.sewing.pk}-10"
    assert f'name="{field}"' in page.content.decode()
    response = client.post(url, {field: "6", f"h-{world.axis.pk}-0-10": "3"})
    assert response.status_code == 400
    assert "al massimo 8" in response.content.decode()
    assert 'value="6"' in response.content.decode()
    assert not TimesheetEntry.objects.exists()
    response = client.post(url, {field: "6,5", f"h-{world.axis.pk}-0-11": "1"})
    assert response.status_code == 302
    saved = {(e.activity_id, e.date.day): e.hours for e in TimesheetEntry.objects.all()}
    assert saved == {(world.sewing.pk, 10): D("6.5"), (None, 11): D("1")}


@pytest.mark.parametrize("typed", ["NaN", "nan", "Infinity", "-inf", "1e308", "25", "-1", "1,234"])
def test_month_screen_refuses_hours_that_are_not_hours_with_a_message(world, client, typed):
    staff = _staff(world, "full_time", "34400.00")
    client.force_login(world.paolo)
    url = reverse("budget:timesheet", args=["valle", staff.pk, 2019, 9])
    field = f"h-{world.axis.pk}-{world.sewing.pk}-10"
    response = client.post(url, {field: typed, f"h-{world.axis.pk}-0-11": "2"})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"10/09, Cucito: «{typed}» non è un numero di ore valido" in page
    assert f'value="{typed}"' in page  # kept, to be corrected
    assert not TimesheetEntry.objects.exists()


def test_the_timesheet_service_refuses_hours_that_are_not_finite(world):
    staff = _staff(world, "full_time", "34400.00")
    for value in ("NaN", "Infinity"):
        with pytest.raises(services.BudgetError):
            _declare(staff, world.paolo, dt.date(2019, 9, 10), value)
    assert not TimesheetEntry.objects.exists()


def test_monthly_timesheet_pdf_to_sign(world, client):
    staff = _staff(world, "full_time", "34400.00")
    _declare(staff, world.paolo, dt.date(2019, 9, 10), "7.5")
    client.force_login(world.paolo)
    response = client.get(reverse("budget:timesheet-pdf", args=["valle", staff.pk, 2019, 9]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


# ---- Allowances ------------------------------------------------------------------------


def test_allowance_due_follows_attended_hours_with_the_cap(world):
    programme = world.a.programme
    programme.allowance_hourly_amount = D("6.50")
    programme.allowance_cap = D("40.00")
    programme.save()
    world.path.allowance_eligible = True
    world.path.save()  # Maria, axis LAB, entered 01/03/2019; 2 h on 06/05/2019 already
    for day in (dt.date(2019, 5, 13), dt.date(2019, 5, 20)):
        session = f.SessionFactory(activity=world.sewing, date=day, end_time=dt.time(12, 0))
        Attendance.objects.create(session=session, person=world.maria, hours=D("3"))
    before_entry = f.SessionFactory(activity=world.sewing, date=dt.date(2019, 2, 20))
    Attendance.objects.create(session=before_entry, person=world.maria, hours=D("2"))
    other_axis = f.ActivityFactory(project=world.a, organisation=world.aurora)
    Attendance.objects.create(
        session=f.SessionFactory(activity=other_axis, date=dt.date(2019, 6, 3)),
        person=world.maria,
        hours=D("2"),
    )
    giulia = f.PathFactory(
        person=world.giulia, project=world.a, entry_date=dt.date(2019, 5, 1)
    )  # no axis: every session of the project; 1 h at the desk on 07/05/2019
    giulia.allowance_eligible = True
    giulia.save()

    rows = {r.person_id: r for r in allowances.allowance_rows(world.a)}
    # Maria: 2 + 3 + 3 = 8 h x 6.50 = 52.00, capped at 40.00
    assert rows[world.maria.pk].attended_hours == D("8")
    assert rows[world.maria.pk].due == D("40.00")
    # Giulia: 1 h x 6.50
    assert rows[world.giulia.pk].attended_hours == D("1")
    assert rows[world.giulia.pk].due == D("6.50")

    allowances.allowance_payment_record(
        path=world.path, actor=world.alice, paid_on=dt.date(2019, 6, 30), amount=D("30.00")
    )
    with pytest.raises(services.BudgetError, match="ancora dovuto"):
        allowances.allowance_payment_record(
            path=world.path, actor=world.alice, paid_on=dt.date(2019, 7, 1), amount=D("10.01")
        )
    assert AllowancePayment.objects.count() == 1
    spent = services.budget_vs_spending(world.a)
    row = next(r for r in spent["by_category"] if r["key"] == "allowances")
    assert row["spent"] == "30.00"


def test_allowance_due_function_to_the_cent():
    assert allowances.allowance_due(hours=D("7.75"), hourly_amount=D("3.33"), cap=D("0")) == D(
        "25.81"
    )  # 25.8075
    assert allowances.allowance_due(hours=D("100"), hourly_amount=D("3.33"), cap=D("300")) == D(
        "300"
    )


# ---- Closed periods --------------------------------------------------------------------


def test_a_closed_period_refuses_expense_and_timesheet_edits(world):
    staff = _staff(world, "full_time", "34400.00")
    _declare(staff, world.paolo, dt.date(2019, 9, 10), "4")
    expense = money.expense(world)
    _close(world.a, dt.date(2019, 7, 1), dt.date(2019, 12, 31), world.alice)

    with pytest.raises(services.BudgetError, match="è chiuso"):
        services.expense_update(expense=expense, actor=world.paolo, data={"amount": D("1")})
    with pytest.raises(services.BudgetError, match="è chiuso"):
        services.expense_submit(expense=expense, actor=world.paolo)
    with pytest.raises(services.BudgetError, match="è chiuso"):
        _declare(staff, world.paolo, dt.date(2019, 9, 10), "5")
    with pytest.raises(services.BudgetError, match="è chiuso"):
        services.expense_create(
            project=world.a,
            actor=world.paolo,
            data={
                "axis": world.axis,
                "organisation": world.aurora,
                "category": "materials",
                "date": dt.date(2019, 10, 1),
                "amount": D("10.00"),
                "supplier": "X",
                "document_number": "2",
            },
        )
    expense.refresh_from_db()
    assert expense.amount == D("120.50") and expense.status == "draft"
    assert TimesheetEntry.objects.get().hours == D("4")


def test_a_closed_period_refuses_the_month_screen(world, client):
    staff = _staff(world, "full_time", "34400.00")
    _close(world.a, dt.date(2019, 7, 1), dt.date(2019, 12, 31), world.alice)
    client.force_login(world.paolo)
    url = reverse("budget:timesheet", args=["valle", staff.pk, 2019, 9])
    response = client.post(url, {f"h-{world.axis.pk}-0-10": "3"})
    assert response.status_code == 400
    assert "è chiuso" in response.content.decode()
    assert not TimesheetEntry.objects.exists()


# ---- Documents -------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_partner_cannot_download_another_partners_document(world, client, media):
    own = money.expense(world)
    other = money.expense(world, organisation=world.valle, number="F-COMUNE")
    client.force_login(world.paolo)
    assert (
        client.get(reverse("budget:expense-document", args=["valle", other.pk])).status_code == 404
    )
    response = client.get(reverse("budget:expense-document", args=["valle", own.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == money.PDF
    client.force_login(world.alice)
    assert (
        client.get(reverse("budget:expense-document", args=["valle", other.pk])).status_code == 200
    )
    client.force_login(world.bruno)
    assert client.get(reverse("budget:expense-document", args=["valle", own.pk])).status_code == 404


def _expense_post(upload):
    return {
        "date": "2019-09-12",
        "axis": None,
        "category": "materials",
        "amount": "1.234,56",
        "supplier": "Ferramenta Rossi",
        "document_number": "FT/77",
        "upload": upload,
    }


@pytest.mark.parametrize(
    "name, content",
    [
        ("fattura.txt", b"solo testo"),
        ("fattura.pdf", b"MZ\x90\x00 eseguibile"),  # a program named .pdf
        ("foto.png", b"%PDF-1.4 non un png"),  # name and content disagree
    ],
)
def test_an_upload_that_is_not_a_pdf_or_image_is_refused(world, client, media, name, content):
    client.force_login(world.paolo)
    data = _expense_post(SimpleUploadedFile(name, content))
    data["axis"] = world.axis.pk
    data["organisation"] = world.aurora.pk
    response = client.post(reverse("budget:expense-create", args=["valle"]), data)
    assert response.status_code == 200
    assert not Expense.objects.exists()
    assert not list(media.rglob("*.*"))


def test_a_partner_records_an_expense_with_its_document(world, client, media):
    client.force_login(world.paolo)
    data = _expense_post(SimpleUploadedFile("scontrino.pdf", b"%PDF-1.7 ok"))
    data["axis"] = world.axis.pk
    data["organisation"] = world.valle.pk  # not theirs: the choice is refused
    response = client.post(reverse("budget:expense-create", args=["valle"]), data)
    assert response.status_code == 200 and not Expense.objects.exists()
    data["organisation"] = world.aurora.pk
    data["upload"] = SimpleUploadedFile("scontrino.pdf", b"%PDF-1.7 ok")
    response = client.post(reverse("budget:expense-create", args=["valle"]), data)
    assert response.status_code == 302
    expense = Expense.objects.get()
    assert expense.amount == D("1234.56")
    assert expense.document.name.startswith("private/expenses/")
    assert "scontrino" not in expense.document.name  # random stored name


def test_too_big_a_document_is_refused(world, client, media, settings):
    settings.EVIDENCE_MAX_BYTES = 100
    client.force_login(world.paolo)
    data = _expense_post(SimpleUploadedFile("f.pdf", b"%PDF-" + b"0" * 200))
    data["axis"] = world.axis.pk
    data["organisation"] = world.aurora.pk
    response = client.post(reverse("budget:expense-create", args=["valle"]), data)
    assert "dimensione massima" in response.content.decode()
    assert not Expense.objects.exists()


# ---- Review and what counts as spent ---------------------------------------------------


def test_submitted_and_accepted_expenses_count_drafts_and_rejected_do_not(world, media):
    expense = money.expense(world)
    assert services.budget_vs_spending(world.a)["total"]["spent"] == "0.00"
    services.expense_submit(expense=expense, actor=world.paolo)
    assert services.budget_vs_spending(world.a)["total"]["spent"] == "120.50"
    with pytest.raises(Exception, match="motivo"):
        services.expense_review(expense=expense, actor=world.alice, accept=False, reason=" ")
    services.expense_review(expense=expense, actor=world.alice, accept=False, reason="Non IVA")
    assert services.budget_vs_spending(world.a)["total"]["spent"] == "0.00"
    services.expense_update(expense=expense, actor=world.paolo, data={"amount": D("100.00")})
    services.expense_submit(expense=expense, actor=world.paolo)
    services.expense_review(expense=expense, actor=world.alice, accept=True)
    assert services.budget_vs_spending(world.a)["total"]["spent"] == "100.00"


# ---- Budget against spending: page, scope and XLSX -------------------------------------


def _world_money(w):
    money.line(w)  # Aurora, materials: 1,000.00 of which 800.00 funded
    BudgetLine.objects.create(
        project=w.a,
        axis=w.axis,
        organisation=w.valle,
        category="staff",
        amount=D("5000.00"),
        funded_amount=D("5000.00"),
    )
    expense = money.expense(w)
    services.expense_submit(expense=expense, actor=w.paolo)
    staff = _staff(w, "full_time", "34400.00")  # 20.00 / h
    _declare(staff, w.paolo, dt.date(2019, 9, 10), "7.5")  # 150.00


def test_partner_sees_only_their_lines_lead_all_region_totals(world, client, media):
    _world_money(world)
    url = reverse("budget:budget", args=["valle"])
    client.force_login(world.alice)
    page = client.get(url).content.decode()
    assert "€ 6.000,00" in page and "€ 270,50" in page  # 120.50 + 150.00
    client.force_login(world.paolo)
    page = client.get(url).content.decode()
    assert "€ 1.000,00" in page and "€ 6.000,00" not in page
    assert "Comune di Valle" not in page.split("<h1>")[1]
    client.force_login(world.rita)
    page = client.get(url).content.decode()
    assert "€ 6.000,00" in page and "Voci di budget" not in page
    assert client.get(reverse("budget:expense-list", args=["valle"])).status_code == 404


def test_budget_xlsx_matches_the_page_figures(world, client, media):
    _world_money(world)
    period = ReportingPeriod.objects.create(
        project=world.a,
        name="II sem",
        start_date=dt.date(2019, 7, 1),
        end_date=dt.date(2019, 12, 31),
    )
    data = services.budget_vs_spending(world.a, period)
    assert data["total"] == {
        **data["total"],
        "budget": "6000.00",
        "funded": "5800.00",
        "cofinanced": "200.00",
        "spent": "270.50",
        "spent_period": "270.50",
        "remaining": "5729.50",
    }
    client.force_login(world.alice)
    response = client.get(reverse("budget:budget-export", args=["valle"]), {"periodo": period.pk})
    workbook = load_workbook(io.BytesIO(response.content))
    for key, title in services.BUDGET_SHEETS:
        rows = list(workbook[title].iter_rows(min_row=2, values_only=True))
        expected = data[key] + ([] if key == "lines" else [data["total"]])
        assert len(rows) == len(expected)
        for row, want in zip(rows, expected, strict=True):
            amounts = row[-len(services.AMOUNT_COLUMNS) :]
            assert [D(str(v)).quantize(D("0.01")) for v in amounts] == [
                D(want[c]) for c in services.AMOUNT_COLUMNS
            ]


def test_expense_list_runs_constant_queries(world, client, media, django_assert_max_num_queries):
    for n in range(30):
        money.expense(world, number=f"N{n}")
    client.force_login(world.alice)
    # session, user, grants (2), project, count, total, page of expenses
    with django_assert_max_num_queries(12):
        response = client.get(reverse("budget:expense-list", args=["valle"]))
    assert response.status_code == 200
    assert response.content.decode().count("Merceria Centrale") == 30


def test_euro_format():
    assert format_euro(D("1234.56")) == "€ 1.234,56"
    assert format_euro("1234567.5") == "€ 1.234.567,50"
    assert format_euro(D("0")) == "€ 0,00"
    assert format_euro(D("-12.3")) == "-€ 12,30"


def test_money_pages_run_constant_queries(world, client, media):
    """The budget page, the staff list and the allowances page cost the same whatever the
    number of expenses, staff members, hours and paths (aggregates in the database)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pages = [
        reverse("budget:budget", args=["valle"]),
        reverse("budget:staff-list", args=["valle"]),
        reverse("allowances:allowance-list", args=["valle"]),
    ]
    client.force_login(world.alice)
    _world_money(world)

    def costs():
        out = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out

    before = costs()
    for n in range(5):
        member = _staff(world, "full_time", "30000.00")
        member.last_name = f"Extra{n}"
        member.save()
        _declare(member, world.paolo, dt.date(2019, 9, 2 + n), "3")
        services.expense_submit(expense=money.expense(world, number=f"X{n}"), actor=world.paolo)
    world.path.allowance_eligible = True
    world.path.save()
    assert costs() == before


def test_lead_records_an_allowance_payment_never_above_what_is_due(world, client):
    programme = world.a.programme
    programme.allowance_hourly_amount = D("5.00")
    programme.allowance_cap = D("100.00")
    programme.save()
    world.path.allowance_eligible = True
    world.path.save()  # 2 h attended: 10.00 due
    client.force_login(world.alice)
    url = reverse("allowances:allowance-payment", args=["valle", world.path.pk])
    response = client.post(url, {"paid_on": "2019-06-10", "amount": "10,01"})
    assert response.status_code == 200
    assert "supera quanto ancora dovuto" in response.content.decode()
    response = client.post(url, {"paid_on": "2019-06-10", "amount": "10,00", "reference": "B1"})
    assert response.status_code == 302
    page = client.get(reverse("allowances:allowance-list", args=["valle"])).content.decode()
    assert "€ 10,00" in page and "B1" in page
    client.force_login(world.paolo)  # a partner never sees allowances (names and money)
    assert client.get(reverse("allowances:allowance-list", args=["valle"])).status_code == 404


def test_lead_rejects_an_expense_only_with_a_reason(world, client, media):
    expense = money.expense(world)
    services.expense_submit(expense=expense, actor=world.paolo)
    client.force_login(world.alice)
    url = reverse("budget:expense-review", args=["valle", expense.pk])
    response = client.post(url, {"decision": "reject", "reason": ""})
    assert response.status_code == 200 and "motivo del rifiuto" in response.content.decode()
    client.post(url, {"decision": "reject", "reason": "Manca la quietanza"})
    expense.refresh_from_db()
    assert (expense.status, expense.rejection_reason) == ("rejected", "Manca la quietanza")
    client.force_login(world.paolo)
    page = client.get(reverse("budget:expense-list", args=["valle"])).content.decode()
    assert "Manca la quietanza" in page


def test_cost_of_hours_in_a_closed_period_cannot_change(world):
    staff = _staff(world, "full_time", "34400.00")
    _declare(staff, world.paolo, dt.date(2019, 3, 4), "4")
    services.staff_save(
        project=world.a, actor=world.alice, staff=staff, data={"job_title": "Educatrice"}
    )
    _close(world.a, dt.date(2019, 1, 1), dt.date(2019, 6, 30), world.alice)
    with pytest.raises(services.BudgetError, match="periodo di rendicontazione chiuso"):
        services.staff_save(
            project=world.a,
            actor=world.alice,
            staff=staff,
            data={"annual_gross_cost": D("40000.00")},
        )
    services.staff_save(
        project=world.a, actor=world.alice, staff=staff, data={"job_title": "Coordinatrice"}
    )
    staff.refresh_from_db()
    assert (staff.annual_gross_cost, staff.job_title) == (D("34400.00"), "Coordinatrice")


def test_report_section_shows_the_figures_of_the_xlsx(world, media):
    """The progress report's budget section prints, per sub-project, partner and category,
    exactly the amounts of the XLSX export."""
    from django.template.loader import render_to_string

    _world_money(world)
    period = ReportingPeriod.objects.create(
        project=world.a, name="II", start_date=dt.date(2019, 7, 1), end_date=dt.date(2019, 12, 31)
    )
    data = services.budget_vs_spending(world.a, period)
    html = render_to_string("labs/budget/_report_section.html", {"budget": data})
    workbook = load_workbook(io.BytesIO(services.budget_workbook(data)))
    for _key, title in services.BUDGET_SHEETS[:3]:
        for row in workbook[title].iter_rows(min_row=2, values_only=True):
            assert row[0] in html
            for value in row[1:]:
                assert format_euro(D(str(value))) in html, (title, row)


# ---- In the browser --------------------------------------------------------------------


@pytest.fixture
def office(transactional_db):
    """Valle, with Coop Aurora's operator paola and its educator Anna on a full-time
    contract."""
    from labs.models import Partnership, ProjectRole
    from partners.models import Membership

    aurora = f.OrganisationFactory(name="Coop Aurora")
    project = f.ProjectFactory(slug="valle")
    Partnership.objects.create(
        project=project, organisation=project.lead_organisation, role="capofila"
    )
    Partnership.objects.create(project=project, organisation=aurora, role="partner")
    paola = f.UserFactory(username="paola")
    Membership.objects.create(user=paola, organisation=aurora)
    ProjectRole.objects.create(
        project=project, user=paola, organisation=aurora, role="partner_operator"
    )
    axis = f.AxisFactory(project=project, code="SP1")
    f.AxisFactory(project=project, code="SP2", name="Inclusione attiva")
    f.ActivityFactory(project=project, axis=axis, organisation=aurora, name="Cucito")
    return StaffMember.objects.create(
        project=project,
        organisation=aurora,
        first_name="Anna",
        last_name="Neri",
        contract_type="full_time",
        annual_gross_cost=D("34400.00"),
    )


@pytest.mark.browser
def test_partner_fills_a_month_on_one_laptop_screen(live_server, browser, office):
    page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="it-IT")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "paola")
    page.fill("#id_password", "password-di-prova-123")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/progetti/valle/personale/{office.pk}/ore/2019/9/")
    # 30 days and the totals without scrolling sideways.
    assert page.evaluate(
        "(() => { const t = document.querySelector('.q-timesheet');"
        " return t.scrollWidth <= t.clientWidth; })()"
    )
    inputs = page.locator("input.q-hours")
    assert inputs.count() == 30 * 3  # Cucito, SP1 other work, SP2 other work
    inputs.nth(1).fill("7,5")  # Cucito, 2 September
    inputs.nth(30 + 2).fill("2")  # other SP1 work, 3 September
    page.click("main form button[type=submit]")
    page.wait_for_url("**/ore/2019/9/")
    assert "Foglio presenze salvato." in page.content()
    # 9.5 h x 20.00 = € 190,00: the pay is the lead's and the coordinator's to see.
    assert "€ 190,00" not in page.content() and "€ 20,00" not in page.content()
    saved = sorted((e.date.day, e.hours) for e in TimesheetEntry.objects.all())
    assert saved == [(2, D("7.5")), (3, D("2"))]


def test_an_expense_outside_the_project_dates_is_refused_next_to_the_date(world, client, media):
    client.force_login(world.paolo)
    data = _expense_post(SimpleUploadedFile("f.pdf", b"%PDF-1.7 ok"))
    data.update(axis=world.axis.pk, organisation=world.aurora.pk, date="2018-12-31")
    response = client.post(reverse("budget:expense-create", args=["valle"]), data)
    assert response.status_code == 200
    assert "fuori dal periodo del progetto" in str(response.context["form"].errors["date"])
    assert not Expense.objects.exists()
