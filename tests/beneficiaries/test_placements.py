"""Host companies and placements (issue 15): who sees what, the rules of a placement,
where its grant and outcome go, its import and its figures in the report."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from beneficiaries import models as b
from beneficiaries.imports.engine import ImportRefused, run_import
from beneficiaries.imports.registry import IMPORTERS
from beneficiaries.placements import services
from labs import access
from labs.budget.services import BudgetError, spending
from labs.companies.models import HostCompany
from tests import placement_builders as pb

pytestmark = pytest.mark.django_db


def detail(client, user, placement):
    client.force_login(user)
    return client.get(reverse("placements:placement-detail", args=["valle", placement.pk]))


def test_a_partner_operator_never_receives_the_interruption_reason_or_notes(client, world):
    placement = pb.placement(world)
    staff = detail(client, world.sofia, placement)
    assert pb.SECRET_REASON in staff.content.decode()
    partner = detail(client, world.paolo, placement)
    assert partner.status_code == 200
    assert pb.SECRET_REASON not in partner.content.decode()
    # Removed on the server, not only hidden by the template.
    shown = partner.context["placement"]
    assert (shown.interruption_reason, shown.notes) == ("", "")
    assert "Maria" in partner.content.decode()  # he follows her placement


def test_the_partner_sees_only_placements_his_organisation_promotes(world):
    own = pb.placement(world)
    other = pb.placement(world, promoter=world.valle)
    seen = set(access.scoped(b.Placement, world.paolo, world.a))
    assert own in seen and other not in seen
    assert set(access.scoped(b.Placement, world.sofia, world.a)) == {own, other}


def test_the_region_sees_no_placement_and_no_company(world):
    pb.placement(world)
    assert not access.scoped(b.Placement, world.rita, world.a).exists()
    assert not access.scoped(b.PlacementMonth, world.rita, world.a).exists()
    assert not access.scoped(HostCompany, world.rita, world.a).exists()


def test_a_company_with_a_wrong_partita_iva_is_refused_in_italian(client, world):
    client.force_login(world.paolo)
    url = reverse("companies:company-create", args=["valle"])
    data = {"name": "Forno Rossi", "kind": "company", "vat_number": "01234567897"}
    response = client.post(url, {**data, "ateco_code": "10.71"})
    assert response.status_code == 200
    assert "partita IVA" in response.content.decode() or "controllo" in response.content.decode()
    assert not HostCompany.objects.exists()
    response = client.post(url, {**data, "vat_number": pb.VAT_VALLE, "ateco_code": "10.71"})
    assert response.status_code == 302
    assert HostCompany.objects.get().vat_number == pb.VAT_VALLE
    # The same partita IVA twice in one project's register is refused.
    response = client.post(url, {**data, "vat_number": pb.VAT_VALLE, "ateco_code": "10.71"})
    assert "già nel registro" in response.content.decode()


def test_an_interrupted_placement_needs_a_reason_and_a_hire_a_contract(client, world):
    placement = pb.placement(world, interruption_reason="", notes="")
    client.force_login(world.sofia)
    url = reverse("placements:placement-outcome", args=["valle", placement.pk])
    base = {"outcome_date": "2019-06-30", "version": placement.version}
    response = client.post(url, {**base, "outcome": "interrupted"})
    assert "perché" in response.content.decode()
    response = client.post(url, {**base, "outcome": "hired"})
    assert "tipo di contratto" in response.content.decode()
    placement.refresh_from_db()
    assert placement.outcome == ""


def test_a_hire_feeds_the_paths_result(client, world):
    placement = pb.placement(world)
    assert world.path.exit_employed is not True
    client.force_login(world.sofia)
    url = reverse("placements:placement-outcome", args=["valle", placement.pk])
    response = client.post(
        url,
        {
            "outcome": "hired",
            "outcome_date": "2019-09-30",
            "contract_type": "apprenticeship",
            "version": placement.version,
        },
    )
    assert response.status_code == 302
    world.path.refresh_from_db()
    assert world.path.exit_employed is True


def test_hours_of_a_month_are_recorded_by_the_partner_and_can_be_corrected(client, world):
    placement = pb.placement(world)
    client.force_login(world.paolo)
    url = reverse("placements:placement-hours", args=["valle", placement.pk])
    assert client.post(url, {"month": "2019-05", "hours": "72,5"}).status_code == 302
    assert client.post(url, {"month": "2019-05", "hours": "70"}).status_code == 302
    assert placement.months.get(month=dt.date(2019, 5, 1)).hours == Decimal("70")
    # Outside the placement's months, or beyond five weeks of its hours: refused.
    response = client.post(url, {"month": "2020-01", "hours": "10"})
    assert "fuori dal periodo" in response.content.decode()
    response = client.post(url, {"month": "2019-06", "hours": "150"})
    assert "massimo del mese" in response.content.decode()


def test_the_grant_paid_is_allowance_spending_in_the_budget(world):
    placement = pb.placement(world)  # 80 hours in April 2019, 500 € a month
    services.placement_payment_record(
        placement=placement,
        actor=world.alice,
        month=dt.date(2019, 4, 1),
        paid_on=dt.date(2019, 5, 10),
        amount=Decimal("500.00"),
    )
    grants = services.placement_grant_spending(world.a)
    assert grants == {(world.axis.pk, world.valle.pk, "allowances"): Decimal("500.00")}
    assert spending(world.a)[(world.axis.pk, world.valle.pk, "allowances")] == Decimal("500.00")
    with pytest.raises(BudgetError, match="già stata pagata"):
        services.placement_payment_record(
            placement=placement,
            actor=world.alice,
            month=dt.date(2019, 4, 1),
            paid_on=dt.date(2019, 5, 11),
            amount=Decimal("1.00"),
        )
    b.PlacementMonth.objects.create(placement=placement, month=dt.date(2019, 5, 1), hours=80)
    with pytest.raises(BudgetError, match="supera"):
        services.placement_payment_record(
            placement=placement,
            actor=world.alice,
            month=dt.date(2019, 5, 1),
            paid_on=dt.date(2019, 6, 10),
            amount=Decimal("500.01"),
        )
    with pytest.raises(BudgetError, match="non sono registrate ore"):
        services.placement_payment_record(
            placement=placement,
            actor=world.alice,
            month=dt.date(2019, 6, 1),
            paid_on=dt.date(2019, 7, 10),
            amount=Decimal("100"),
        )


def test_the_report_gives_placements_started_ended_hours_grant_and_outcomes(world):
    hired = pb.placement(world)
    hired.outcome, hired.outcome_date, hired.contract_type = "hired", dt.date(2019, 9, 30), "other"
    hired.save()
    pb.placement(world, promoter=world.valle, start_date=dt.date(2019, 7, 1))
    b.PlacementPayment.objects.create(
        placement=hired, month=dt.date(2019, 4, 1), paid_on=dt.date(2019, 5, 2), amount=300
    )
    figures = services.placement_figures(world.a, dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    assert (figures["started"], figures["ended"], figures["hired"]) == (2, 1, 1)
    assert figures["hours"] == Decimal("160") and figures["grant_paid"] == Decimal("300")
    first_half = services.placement_figures(world.a, dt.date(2019, 1, 1), dt.date(2019, 6, 30))
    assert (first_half["started"], first_half["ended"], first_half["active"]) == (1, 0, 1)


# ---- Import -----------------------------------------------------------------------------

HEADER = [str(c.header) for c in IMPORTERS["tirocini"].columns]


def workbook(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(h) for h in HEADER])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(world, **changes):
    return {
        "Codice fiscale": world.maria.tax_code,
        "Tipo": "Borsa lavoro",
        "Partita IVA dell'azienda": pb.VAT_VALLE,
        "Ente promotore": "Coop Aurora",
        "Tutor (nome utente)": "sofia",
        "Inizio": "01/04/2019",
        "Fine prevista": "30/09/2019",
        "Ore settimanali": "20",
        "Indennità mensile (€)": "450,00",
        **changes,
    }


def test_placements_are_imported_all_or_nothing_with_a_problem_per_row(world):
    pb.company(world)
    importer = IMPORTERS["tirocini"](project=world.a, actor=world.alice)
    bad = workbook(
        [
            row(world),
            row(world, **{"Partita IVA dell'azienda": pb.VAT_BORGO, "Inizio": "01/05/2019"}),
            row(world, **{"Inizio": "31/02/2019", "Tutor (nome utente)": "bruno"}),
        ]
    )
    with pytest.raises(ImportRefused) as caught:
        run_import(importer, bad)
    assert not b.Placement.objects.exists()
    problems = {r.number: " ".join(r.problems) for r in caught.value.preview.rows}
    assert problems[2] == ""
    assert "non presente nel registro" in problems[3]
    assert "bruno" in problems[4]
    preview = run_import(importer, workbook([row(world)]))
    assert preview.creates == 1
    placement = b.Placement.objects.get()
    assert (placement.kind, placement.tutor, placement.promoter) == (
        "work_grant",
        world.sofia,
        world.aurora,
    )
    # The same person, company and start again: the placement is updated, not doubled.
    interrupted = {"Esito": "Interrotto", "Data dell'esito": "30/06/2019"}
    with pytest.raises(ImportRefused) as caught:
        run_import(importer, workbook([row(world, **interrupted)]))
    assert "perché" in " ".join(caught.value.preview.rows[0].problems)
    reason = {**interrupted, "Motivo dell'interruzione": "Trasferimento in altra città"}
    preview = run_import(importer, workbook([row(world, **reason)]))
    assert preview.updates == 1
    placement = b.Placement.objects.get()
    assert placement.outcome == "interrupted"
