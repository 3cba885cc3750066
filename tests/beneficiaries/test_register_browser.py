"""A partner operator on a tablet (1024x768): log in, create today's session, fill a
20-person register on one screen with one click. The flow is timed and printed; screenshots
go to screenshots/ (git-ignored).

Headless Debian Chromium driven by Playwright inside pytest-django's live server.
"""

import datetime as dt
import time
from pathlib import Path

import pytest
from django.utils import timezone

from beneficiaries.models import ActivityEnrolment, Attendance, Registration
from labs.models import Partnership, ProjectRole, Session
from partners.models import Membership, Organisation
from tests import factories as f

PASSWORD = "password-di-prova-123"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture
def course(transactional_db):
    """A project running around today; Coop Aurora runs "Corso di italiano" at the lab;
    paola is its partner operator; 20 people enrolled in the course."""
    today = timezone.localdate()
    comune = f.OrganisationFactory(name="Comune di Valle", kind=Organisation.Kind.MUNICIPALITY)
    aurora = f.OrganisationFactory(name="Coop Aurora")
    project = f.ProjectFactory(
        title="Valle solidale",
        slug="valle",
        lead_organisation=comune,
        start_date=today - dt.timedelta(days=200),
        end_date=today + dt.timedelta(days=200),
    )
    Partnership.objects.create(project=project, organisation=comune, role="capofila")
    Partnership.objects.create(project=project, organisation=aurora, role="partner")
    paola = f.UserFactory(username="paola", first_name="Paola", last_name="Neri")
    Membership.objects.create(user=paola, organisation=aurora)
    ProjectRole.objects.create(
        project=project, user=paola, organisation=aurora, role="partner_operator"
    )
    lab = f.LabFactory(project=project, name="Lab Valle")
    activity = f.ActivityFactory(
        project=project,
        axis=f.AxisFactory(project=project, code="INC", name="Inclusione attiva"),
        organisation=aurora,
        name="Corso di italiano",
        kind="course",
        lab=lab,
    )
    for n in range(20):
        person = f.PersonFactory(first_name=f"Nome{n:02d}", last_name=f"Cognome{n:02d}")
        Registration.objects.create(project=project, person=person, registered_on=today)
        ActivityEnrolment.objects.create(activity=activity, person=person, since=today)
    # In the project, and known to the course's organisation through an old register, but
    # not a usual participant: the register does not list her until she is searched.
    newcomer = f.PersonFactory(first_name="Ines", last_name="Nuovi")
    Registration.objects.create(project=project, person=newcomer, registered_on=today)
    old = f.SessionFactory(activity=activity, lab=lab, date=today - dt.timedelta(days=30))
    Attendance.objects.create(session=old, person=newcomer, hours=old.hours)
    return activity


def test_partner_fills_a_20_person_register_on_a_tablet(live_server, browser, course):
    SCREENSHOTS.mkdir(exist_ok=True)
    # This morning's 9-11 session, or yesterday's before 11: it is over, so its register
    # may be filled now.
    now = timezone.localtime()
    day = now.date() if now.hour >= 11 else now.date() - dt.timedelta(days=1)
    page = browser.new_page(viewport={"width": 1024, "height": 768}, locale="it-IT")
    began = time.perf_counter()

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "paola")
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/progetti/valle/incontri/nuovo/")
    page.select_option("#id_activity", str(course.pk))
    page.fill("#id_date", day.isoformat())
    page.fill("#id_start_time", "09:00")
    page.fill("#id_end_time", "11:00")
    page.select_option("#id_lab", str(course.lab_id))
    page.screenshot(path=SCREENSHOTS / "session-create-tablet.png", full_page=True)
    page.click("#submit-id-save")
    page.wait_for_url("**/registro/")

    # One screen: the 20 usual participants are already ticked.
    assert page.locator("[data-register-row] input:checked").count() == 20
    assert page.locator("[data-register-count]").inner_text() == "20"
    save_button = page.locator("[data-register-submit]")
    assert save_button.is_visible()  # the sticky bar keeps it on the screen
    box = save_button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 768
    page.screenshot(path=SCREENSHOTS / "register-tablet.png")
    page.screenshot(path=SCREENSHOTS / "register-tablet-full.png", full_page=True)
    save_button.click()  # the one click
    page.wait_for_url("**/incontri/*/")
    elapsed = time.perf_counter() - began

    assert "Registro salvato." in page.content()
    page.screenshot(path=SCREENSHOTS / "session-saved-tablet.png", full_page=True)

    # The search narrows the list without leaving the page.
    session = Session.objects.get(activity=course, date=day)
    page.goto(f"{live_server.url}/progetti/valle/incontri/{session.pk}/registro/")
    page.fill("[data-register-search]", "cognome07")
    assert page.locator("[data-register-row]:visible").count() == 1

    session.refresh_from_db()
    assert session.state == Session.State.HELD
    assert Attendance.objects.filter(session=session).count() == 20
    assert set(Attendance.objects.filter(session=session).values_list("hours", flat=True)) == {
        session.hours
    }

    # Someone who is not a usual participant came: untick one person, search the
    # newcomer, tick her. The search asks the server without reloading: the untick stays.
    page.fill("[data-register-search]", "")
    page.uncheck("[data-name='Cognome05 Nome05'] input[type=checkbox]")
    assert page.locator("[data-name='Nuovi Ines']").count() == 0
    page.fill("[data-register-search]", "nuovi")
    page.press("[data-register-search]", "Enter")
    page.locator("[data-name='Nuovi Ines']").wait_for()
    assert "1 persona trovata" in page.locator("[data-register-find-status]").inner_text()
    page.check("[data-name='Nuovi Ines'] input[type=checkbox]")
    page.fill("[data-register-search]", "")
    page.dispatch_event("[data-register-search]", "input")
    assert not page.is_checked("[data-name='Cognome05 Nome05'] input[type=checkbox]")
    assert page.locator("[data-register-count]").inner_text() == "20"
    page.screenshot(path=SCREENSHOTS / "register-search-tablet.png")
    page.click("[data-register-submit]")
    page.wait_for_url("**/incontri/*/")
    present = set(session.attendances.values_list("person__last_name", flat=True))
    assert "Nuovi" in present and "Cognome05" not in present and len(present) == 20
    print(f"\nTablet flow (login, new session, 20-person register saved): {elapsed:.2f} s")
