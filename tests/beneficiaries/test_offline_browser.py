"""The offline register in headless Chromium (issue #18), with Playwright's offline mode
switched on and off: one browser, one world, one tablet walking through the day.

- After one visit online the week's registers open without a connection, also after a
  reload, and any page of the portal opens the app instead of an error or the login page.
- Registers filled offline are saved on the device ("salvato su questo dispositivo, non
  ancora inviato"), survive a reload and are sent when the connection returns: the rows
  are checked in the database.
- A register the server refuses (validated meanwhile) stays listed with the server's
  message and does not stop the next one.
- A conflict made from a second browser (the lead saves the same register) is shown, the
  tablet's version is sent over it on the comparison page.
- Logging out from the app with a register not sent asks first; the logout empties
  IndexedDB and the caches (Clear-Site-Data).

The time to mark 20 people present on a 1024x768 tablet is measured and printed (not
asserted): docs/performance.md, "Registro offline".
"""

import datetime as dt
import os
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from beneficiaries.models import ActivityEnrolment, Attendance, OfflineConflict, Registration
from beneficiaries.registers import services as registers
from labs.models import Partnership, ProjectRole, Session
from partners.models import Membership, Organisation
from tests import factories as f

PASSWORD = "password-di-prova-123"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SAVED = "salvato su questo dispositivo, non ancora inviato"

pytestmark = pytest.mark.browser


@pytest.fixture
def week(transactional_db):
    """Coop Aurora runs three activities of Valle; paola is its partner operator, alice
    the project lead. Twenty people are the usual participants of the Italian course.
    Three sessions began today (yesterday before 4 am), one per activity."""
    now = timezone.localtime()
    day = now.date() if now.hour >= 4 else now.date() - dt.timedelta(days=1)
    comune = f.OrganisationFactory(name="Comune di Valle", kind=Organisation.Kind.MUNICIPALITY)
    aurora = f.OrganisationFactory(name="Coop Aurora")
    project = f.ProjectFactory(
        title="Valle solidale",
        slug="valle",
        lead_organisation=comune,
        start_date=day - dt.timedelta(days=200),
        end_date=day + dt.timedelta(days=200),
    )
    Partnership.objects.create(project=project, organisation=comune, role="capofila")
    Partnership.objects.create(project=project, organisation=aurora, role="partner")
    users = {}
    for username, organisation, role in [
        ("paola", aurora, "partner_operator"),
        ("alice", comune, "lead"),
    ]:
        users[username] = f.UserFactory(username=username, first_name=username.title())
        Membership.objects.create(user=users[username], organisation=organisation)
        ProjectRole.objects.create(
            project=project, user=users[username], organisation=organisation, role=role
        )
    axis = f.AxisFactory(project=project, code="INC", name="Inclusione attiva")
    lab = f.LabFactory(project=project, name="Lab Valle")
    activities = [
        f.ActivityFactory(
            project=project, axis=axis, organisation=aurora, name=name, kind="course", lab=lab
        )
        for name in ("Corso di italiano", "Cucito", "Doposcuola")
    ]
    people = []
    for n in range(20):
        person = f.PersonFactory(first_name=f"Nome{n:02d}", last_name=f"Cognome{n:02d}")
        Registration.objects.create(project=project, person=person, registered_on=day)
        for activity in activities:
            ActivityEnrolment.objects.create(activity=activity, person=person, since=day)
        people.append(person)
    sessions = [
        f.SessionFactory(
            activity=activity,
            lab=lab,
            date=day,
            start_time=dt.time(1 + n, 0),
            end_time=dt.time(3 + n, 0) if n < 2 else dt.time(3, 30),
            state="planned",
        )
        for n, activity in enumerate(activities)
    ]
    return {"users": users, "people": people, "sessions": sessions, "project": project}


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def open_app(page, base):
    page.goto(f"{base}/registri-offline/")
    page.wait_for_selector("[data-offline-app][data-ready]")


def outbox_status(page, session):
    return page.locator(f"[data-outbox-item='{session.pk}'] [data-outbox-status]").inner_text()


def test_a_tablet_fills_registers_offline_and_sends_them_back(live_server, browser, week):
    SCREENSHOTS.mkdir(exist_ok=True)
    base = live_server.url
    course, sewing, homework = week["sessions"]
    tablet = browser.new_context(viewport={"width": 1024, "height": 768}, locale="it-IT")
    page = tablet.new_page()

    # One visit online: the worker installs and the week's copy is on the device.
    log_in(page, base, "paola")
    open_app(page, base)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.locator("[data-session]").count() == 3
    shell_cached = page.evaluate(
        "caches.keys().then(k => Promise.all(k.map(n => caches.open(n).then(c => c.keys()))))"
        ".then(l => l.flat().map(r => new URL(r.url).pathname))"
    )
    assert "/registri-offline/" in shell_cached

    # Offline: a reload opens the app from the device, and so does any other page.
    tablet.set_offline(True)
    page.reload()
    page.wait_for_selector("[data-offline-app][data-ready]")
    assert "Senza connessione" in page.locator("[data-offline-status]").inner_text()
    page.goto(f"{base}/progetti/valle/")
    page.wait_for_selector("[data-offline-app][data-ready]")
    assert "/accounts/login/" not in page.url
    assert page.locator("[data-session]").count() == 3

    # Measured: mark the course's 20 people present, one tap each, and save on the device
    # (the usual participants come ticked: they are unticked first, off the clock).
    page.click(f"[data-session='{course.pk}']")
    boxes = page.locator("[data-offline-rows] input[type=checkbox]")
    assert boxes.count() == 20
    for i in range(20):
        boxes.nth(i).uncheck()
    assert page.locator("[data-offline-count]").inner_text() == "0"
    began = time.perf_counter()
    for i in range(20):
        boxes.nth(i).check()
    page.click("[data-offline-save]")
    page.wait_for_selector(f"[data-outbox-item='{course.pk}']")
    elapsed = time.perf_counter() - began
    assert page.locator(f"[data-session='{course.pk}'] [data-session-status]").inner_text() == SAVED
    assert SAVED in page.locator("[data-offline-status]").inner_text().lower()
    page.screenshot(path=SCREENSHOTS / "offline-saved-tablet.png", full_page=True)

    # Sewing's register: the lead validates it meanwhile, so the server will refuse it.
    page.click(f"[data-session='{sewing.pk}']")
    page.locator("[data-offline-rows] input[type=checkbox]").nth(0).uncheck()
    page.click("[data-offline-save]")
    page.wait_for_selector(f"[data-outbox-item='{sewing.pk}']")
    lead = week["users"]["alice"]
    registers.register_save(
        session=sewing,
        actor=lead,
        lines={p: Decimal("2") for p in week["people"][:5]},
        head_count=0,
        expected_version=sewing.version,
        token=uuid.uuid4(),
    )
    registers.register_validate(session=sewing, actor=lead, expected_version=sewing.version + 1)

    # Homework club: the tablet keeps 10 of 20; a second browser (the lead, online)
    # saves all 20 first: a conflict.
    page.click(f"[data-session='{homework.pk}']")
    boxes = page.locator("[data-offline-rows] input[type=checkbox]")
    for i in range(10, 20):
        boxes.nth(i).uncheck()
    page.fill("[data-offline-head-count]", "3")
    page.click("[data-offline-save]")
    page.wait_for_selector(f"[data-outbox-item='{homework.pk}']")
    office = browser.new_context(viewport={"width": 1366, "height": 768}, locale="it-IT")
    desk = office.new_page()
    log_in(desk, base, "alice")
    desk.goto(f"{base}/progetti/valle/incontri/{homework.pk}/registro/")
    desk.click("[data-register-submit]")
    desk.wait_for_url("**/incontri/*/")
    assert Attendance.objects.filter(session=homework).count() == 20
    office.close()

    # Still offline, reloaded: the three registers wait on the device, in order.
    page.reload()
    page.wait_for_selector("[data-offline-app][data-ready]")
    assert [outbox_status(page, s) for s in (course, sewing, homework)] == [SAVED] * 3
    assert not Attendance.objects.filter(session=course).exists()

    # Online again: each register is sent on its own.
    tablet.set_offline(False)
    page.wait_for_selector("[data-offline-app][data-synced]")
    page.wait_for_selector(f"[data-outbox-item='{course.pk}']", state="detached")
    assert Attendance.objects.filter(session=course).count() == 20
    assert Session.objects.get(pk=course.pk).state == Session.State.HELD
    # The refused one stays listed with the server's reason, and did not stop the others.
    assert outbox_status(page, sewing) == "rifiutato dal server"
    assert "già validato" in page.locator(f"[data-outbox-item='{sewing.pk}']").inner_text()
    assert Attendance.objects.filter(session=sewing).count() == 5
    # The conflict: nothing overwritten; the tablet's register kept on the server.
    assert "in conflitto" in outbox_status(page, homework)
    assert Attendance.objects.filter(session=homework).count() == 20
    conflict = OfflineConflict.objects.get(session=homework)
    assert len(conflict.device_register["people"]) == 10
    page.screenshot(path=SCREENSHOTS / "offline-sent-tablet.png", full_page=True)

    # The comparison: both versions, and the choice to send the tablet's over it.
    page.click(f"[data-outbox-item='{homework.pk}'] [data-outbox-conflict]")
    page.wait_for_selector("text=Versione del dispositivo")
    assert page.locator(".q-offline-compare tbody tr").count() == 10
    assert "Salvata da Alice" in page.content()
    page.screenshot(path=SCREENSHOTS / "offline-conflict-tablet.png", full_page=True)
    page.click("label[for='id_choice_1']")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**/incontri/{homework.pk}/")
    assert Attendance.objects.filter(session=homework).count() == 10
    homework.refresh_from_db()
    assert homework.head_count == 3
    assert "sopra la versione" in homework.history.first().history_change_reason
    # Back in the app: the decided conflict leaves the device.
    open_app(page, base)
    assert page.locator(f"[data-outbox-item='{homework.pk}']").count() == 0

    # Logging out from the app with a register still refused asks first; "no" keeps all.
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.evaluate("document.querySelector('form.q-logout-form').requestSubmit()")
    assert questions and "non ancora inviati" in questions[0]
    assert page.url.endswith("/registri-offline/")
    assert page.locator(f"[data-outbox-item='{sewing.pk}']").count() == 1

    # Logout (from a page without the app's script: the header alone does it).
    assert "quartieri-offline" in page.evaluate(
        "indexedDB.databases().then(d => d.map(x => x.name))"
    )
    page.goto(f"{base}/")
    page.evaluate("document.querySelector('form.q-logout-form').submit()")
    page.wait_for_url("**/accounts/login/")
    assert page.evaluate("indexedDB.databases().then(d => d.map(x => x.name))") == []
    assert page.evaluate("caches.keys()") == []
    tablet.close()
    load = os.getloadavg()
    print(
        f"\nOffline register, 20 people marked present one by one on 1024x768 (20 taps, "
        f"save on the device): {elapsed:.2f} s; load average {load[0]:.2f} {load[1]:.2f}"
    )
