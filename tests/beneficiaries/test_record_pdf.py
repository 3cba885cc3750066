"""The printable records (schede) of a person and of a household: staff only, logged."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from beneficiaries import models as b
from labs import models as labs
from tests.conftest import SECRET_ARREARS_NOTE, SECRET_CASE_NOTE, SECRET_HOUSEHOLD_NOTE

A4 = (595, 842)  # points


def pdf_text(response) -> str:
    """The PDF's text with every run of whitespace made one space (table cells wrap)."""
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def person_pdf(client, world, person=None):
    return client.get(
        reverse("people:person-record-pdf", args=["valle", (person or world.maria).pk])
    )


def household_pdf(client, world):
    return client.get(
        reverse("households:household-record-pdf", args=["valle", world.household.pk])
    )


def test_social_worker_prints_the_persons_record(login, world):
    response = person_pdf(login(world.sofia), world)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"
    text = pdf_text(response)
    assert SECRET_CASE_NOTE in text  # the diario sociale
    assert world.maria.tax_code in text and "12/04/1975" in text
    assert "Informativa privacy consegnata e firmata" in text  # consents
    assert "VAL-001" in text and "Intestatario / persona di riferimento" in text
    assert "€ 9.876,54" in text and SECRET_ARREARS_NOTE in text  # the household's arrears
    assert "Disoccupato/a (con DID)" in text  # ESF entry profile of the path
    assert "Persona con disabilità" in text
    assert "06/05/2019" in text and "Cucito" in text  # attendance
    assert "DOCUMENTO RISERVATO – CONTIENE DATI PERSONALI" in text  # upper-cased by CSS
    assert f"Stampato il {timezone.localdate():%d/%m/%Y}" in text


def test_every_page_is_a4_with_the_warning_and_its_number(login, world):
    for n in range(40):  # enough attendance to need more than one page
        session = labs.Session.objects.create(
            activity=world.sewing,
            date=dt.date(2019, 6, 1) + dt.timedelta(days=n),
            start_time=dt.time(9),
            end_time=dt.time(11),
            state="held",
        )
        b.Attendance.objects.create(session=session, person=world.maria, hours=2)
    response = person_pdf(login(world.alice), world)
    reader = PdfReader(io.BytesIO(response.content))
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert (round(box.width), round(box.height)) == A4
        text = page.extract_text()
        assert "DOCUMENTO RISERVATO" in text.upper()
        assert f"{number} / {pages}" in text
    assert "Totale: 41 presenze" in "\n".join(p.extract_text() for p in reader.pages)


def test_opening_the_record_is_logged(login, world):
    person_pdf(login(world.sofia), world)
    access = b.SensitiveAccess.objects.get()
    assert (access.user, access.person, access.project, access.what) == (
        world.sofia,
        world.maria,
        world.a,
        "scheda PDF",
    )


@pytest.mark.parametrize("user", ["paolo", "rita", "bruno", "olga"])
def test_partner_and_outsiders_get_404_and_nothing_is_logged(login, world, user):
    """Paolo may open Maria's page (she is in his workshop), never her record."""
    client = login(getattr(world, user))
    assert person_pdf(client, world).status_code == 404
    assert household_pdf(client, world).status_code == 404
    assert not b.SensitiveAccess.objects.exists()


def test_record_holds_only_this_projects_notes_and_attendance(login, world):
    b.Registration.objects.create(
        project=world.b, person=world.maria, registered_on=dt.date(2019, 1, 1)
    )
    b.CaseNote.objects.create(
        project=world.b,
        person=world.maria,
        author=world.bruno,
        date=dt.date(2019, 4, 1),
        text="Nota di Borgo",
    )
    b.Attendance.objects.create(session=world.b_session, person=world.maria, hours=1)
    text = pdf_text(person_pdf(login(world.sofia), world))
    assert SECRET_CASE_NOTE in text
    assert "Nota di Borgo" not in text and "Festa" not in text


def test_household_record_has_members_arrears_and_its_diario(login, world):
    b.CaseNote.objects.create(
        project=world.a,
        household=world.household,
        author=world.sofia,
        date=dt.date(2019, 3, 3),
        text="Colloquio con il nucleo",
    )
    response = household_pdf(login(world.alice), world)
    assert response.status_code == 200
    text = pdf_text(response)
    assert "Nucleo familiare VAL-001" in text
    assert "Rossi Maria" in text and "Bianchi Giulia" in text
    assert world.giulia.tax_code in text
    assert SECRET_HOUSEHOLD_NOTE in text and "€ 9.876,54" in text
    assert "Colloquio con il nucleo" in text
    assert "Sportello" in text and "Cucito" in text  # both members' attendance
    assert "Totale: 2 presenze" in text


def test_household_record_logs_an_access_for_each_member(login, world):
    household_pdf(login(world.sofia), world)
    logged = b.SensitiveAccess.objects.values_list("person__first_name", "what")
    assert sorted(logged) == [
        ("Giulia", "scheda PDF del nucleo VAL-001"),
        ("Maria", "scheda PDF del nucleo VAL-001"),
    ]


def test_detail_pages_link_to_the_records_for_staff_only(login, world):
    person_url = reverse("people:person-detail", args=["valle", world.maria.pk])
    pdf_url = reverse("people:person-record-pdf", args=["valle", world.maria.pk])
    assert pdf_url in login(world.sofia).get(person_url).content.decode()
    household = login(world.sofia).get(
        reverse("households:household-detail", args=["valle", world.household.pk])
    )
    assert reverse("households:household-record-pdf", args=["valle", world.household.pk]) in (
        household.content.decode()
    )
    assert pdf_url not in login(world.paolo).get(person_url).content.decode()
