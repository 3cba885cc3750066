"""The offline register's server side (issue #18): the device copy, one register sent
with the version the tablet had, the conflict and the choice, the login of a working day
and the logout that empties the device.

The named world (tests/conftest.py): paolo (Coop Aurora) runs "Cucito", whose session of
6 May 2019 (9-11) has Maria on its register; Giulia is in Valle but in no activity of
Aurora's; Carla is in Borgo; alice leads Valle; rita is the Region.
"""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Attendance, OfflineConflict
from beneficiaries.registers import offline
from beneficiaries.registers import services as registers
from labs import services
from labs.models import ReportingPeriod
from tests import factories as f

DATA_URL = "/registri-offline/dati.json"


def submit_url(session, project="valle"):
    return reverse("registers:offline-submit", args=[project, session.pk])


def send(client, session, people, *, version=None, head_count=0, token=None, project="valle"):
    body = {
        "version": session.version if version is None else version,
        "token": str(token or uuid.uuid4()),
        "head_count": head_count,
        "people": {str(p.pk): hours for p, hours in people.items()},
        "saved_at": "2019-05-06T11:05:00+02:00",
    }
    return client.post(
        submit_url(session, project), json.dumps(body), content_type="application/json"
    )


def this_week(world, **kwargs):
    """A Cucito session of today, 9-11, Maria its usual participant."""
    return f.SessionFactory(
        activity=world.sewing, lab=world.lab, date=timezone.localdate(), state="planned", **kwargs
    )


# ---- The device copy -------------------------------------------------------------------


def test_the_device_copy_has_the_weeks_sessions_and_only_names(client, world):
    today = this_week(world)
    other_org = f.SessionFactory(activity=world.desk, date=timezone.localdate())
    client.force_login(world.paolo)
    response = client.get(DATA_URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    data = response.json()
    assert [s["id"] for s in data["sessions"]] == [today.pk]  # not the Comune's desk
    assert other_org.pk not in {s["id"] for s in data["sessions"]}
    session = data["sessions"][0]
    assert session["version"] == today.version and session["usual"] == [world.maria.pk]
    assert session["submit_url"] == submit_url(today)
    assert data["csrf_token"]
    # Names of the people Aurora may register: Maria, not Giulia; nothing else of them.
    people = data["people"][str(world.a.pk)]
    assert people == [{"id": world.maria.pk, "name": "Rossi Maria"}]
    text = response.content.decode()
    for secret in (world.maria.tax_code, "1975-04-12", "12/04/1975", "Bianchi"):
        assert secret not in text


def test_the_device_copy_costs_the_same_queries_for_a_busy_week(world):
    """The grants, then one query each for the sessions, their registers, the usual
    participants, the names of each project's people and the open conflicts: as many
    for eleven sessions as for one."""

    def queries():
        paolo = type(world.paolo).objects.get(pk=world.paolo.pk)  # no cached grants
        with CaptureQueriesContext(connection) as captured:
            data = offline.offline_set(paolo, today=dt.date(2019, 5, 8))
        return len(captured), len(data["sessions"])

    one = queries()
    for hour in range(12, 22):
        session = f.SessionFactory(
            activity=world.sewing,
            date=dt.date(2019, 5, 7),
            start_time=dt.time(hour, 0),
            end_time=dt.time(hour, 30),
        )
        Attendance.objects.create(session=session, person=world.maria, hours=Decimal("0.5"))
    eleven = queries()
    assert (one[1], eleven[1]) == (1, 11)
    assert one[0] == eleven[0] <= 8


def test_the_offline_pages_are_for_those_who_fill_registers(client, world):
    for user in (world.rita, world.olga):
        client.force_login(user)
        assert client.get(DATA_URL).status_code == 404
        assert client.get("/registri-offline/").status_code == 404
    client.force_login(world.paolo)
    page = client.get("/registri-offline/")
    assert page.status_code == 200
    assert 'rel="manifest"' in page.content.decode()


def test_the_copy_of_a_week_lists_its_sessions_and_the_registers(world):
    data = offline.offline_set(world.paolo, today=dt.date(2019, 5, 8))
    (session,) = data["sessions"]
    assert session["id"] == world.session.pk
    assert session["register"] == {str(world.maria.pk): "2.00"}
    assert data["week"] == [dt.date(2019, 5, 6), dt.date(2019, 5, 12)]
    monday = offline.offline_set(world.paolo, today=dt.date(2019, 5, 13))
    assert monday["week"] == [dt.date(2019, 5, 12), dt.date(2019, 5, 19)]  # and Sunday
    assert monday["sessions"] == []


def test_service_worker_and_manifest_are_served_at_the_root(client):
    sw = client.get("/sw.js")
    assert sw.status_code == 200
    assert sw["Content-Type"].startswith("text/javascript")
    assert sw["Service-Worker-Allowed"] == "/"
    assert "importScripts(" in sw.content.decode()
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"] == "application/manifest+json"
    assert manifest.json()["start_url"] == "/registri-offline/"
    sizes = {icon["sizes"] for icon in manifest.json()["icons"]}
    assert {"192x192", "512x512"} <= sizes


# ---- Sending one register --------------------------------------------------------------


def test_a_register_sent_with_the_current_version_is_saved_and_audited(client, world):
    session = world.session
    client.force_login(world.paolo)
    token = uuid.uuid4()
    response = send(client, session, {world.maria: "1,5"}, head_count=3, token=token)
    assert response.status_code == 200, response.content
    assert response.json() == {"ok": True, "version": session.version + 1, "duplicate": False}
    assert Attendance.objects.get(session=session).hours == Decimal("1.50")
    session.refresh_from_db()
    assert session.head_count == 3
    last = session.history.first()
    assert last.history_user == world.paolo
    assert last.history_change_reason == "registro compilato offline"
    # Sent again (the answer was lost on the way): saved once.
    again = send(client, session, {world.maria: "1,5"}, version=session.version - 1, token=token)
    assert again.json()["duplicate"] is True


def test_a_stale_register_is_refused_with_the_servers_version_and_kept(client, world):
    session = world.session
    tablet_version = session.version
    # Alice adds Giulia from the portal after the tablet took its copy.
    registers.register_save(
        session=session,
        actor=world.alice,
        lines={world.maria: Decimal("2"), world.giulia: Decimal("2")},
        head_count=0,
        expected_version=tablet_version,
        token=uuid.uuid4(),
    )
    client.force_login(world.paolo)
    token = uuid.uuid4()
    response = send(
        client, session, {world.maria: "1"}, version=tablet_version, head_count=4, token=token
    )
    assert response.status_code == 409
    data = response.json()
    # Sent again (by the page and the background sync at once): the same conflict.
    again = send(
        client, session, {world.maria: "1"}, version=tablet_version, head_count=4, token=token
    )
    assert again.status_code == 409 and again.json()["conflict"] == data["conflict"]
    assert OfflineConflict.objects.count() == 1
    assert data["server_version"] == tablet_version + 1
    assert "Qualcun altro ha salvato questo registro" in data["error"]
    conflict = OfflineConflict.objects.get(pk=data["conflict"])
    assert data["conflict_url"] == reverse(
        "registers:offline-conflict", args=["valle", conflict.pk]
    )
    # Nothing overwritten, nothing lost.
    assert set(session.attendances.values_list("person_id", "hours")) == {
        (world.maria.pk, Decimal("2")),
        (world.giulia.pk, Decimal("2")),
    }
    assert conflict.device_register == {"head_count": 4, "people": {str(world.maria.pk): "1.00"}}
    assert conflict.device_version == tablet_version
    assert conflict.submitted_by == world.paolo
    assert conflict.resolution == OfflineConflict.Resolution.OPEN


@pytest.mark.parametrize(
    "body, status, message",
    [
        ("not json", 400, "non è leggibile"),
        ({"version": 1, "token": "x"}, 400, "codice valido"),
        ({"version": "uno", "token": str(uuid.uuid4())}, 400, "versione valida"),
        (
            {"version": 1, "token": str(uuid.uuid4()), "head_count": -1},
            400,
            "Il numero di presenti senza nome",
        ),
        (
            {"version": 1, "token": str(uuid.uuid4()), "people": {"{maria}": "NaN"}},
            422,
            "Le ore di presenza",
        ),
        (
            {"version": 1, "token": str(uuid.uuid4()), "people": {"{maria}": "5"}},
            422,
            "superano la durata",
        ),
    ],
)
def test_a_malformed_register_is_refused_with_its_reason(client, world, body, status, message):
    client.force_login(world.paolo)
    if isinstance(body, dict):
        people = body.get("people", {})
        body["people"] = {str(world.maria.pk): v for v in people.values()}
        body = json.dumps(body)
    response = client.post(submit_url(world.session), body, content_type="application/json")
    assert response.status_code == status
    assert message in response.json()["error"]
    assert set(world.session.attendances.values_list("hours", flat=True)) == {Decimal("2")}


def test_people_the_operator_may_not_register_are_refused(client, world):
    client.force_login(world.paolo)
    for stranger in (world.giulia, world.carla):  # not Aurora's; of another project
        response = send(client, world.session, {world.maria: "2", stranger: "2"})
        assert response.status_code == 422
        assert "non è tra quelle che puoi registrare" in response.json()["error"]
    assert list(world.session.attendances.values_list("person", flat=True)) == [world.maria.pk]


def test_closed_period_and_validated_register_are_refused_with_the_reason(client, world):
    session = world.session
    period = ReportingPeriod.objects.create(
        project=world.a, name="I semestre 2019", start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )  # fmt: skip
    services.period_close(period=period, actor=world.alice)
    client.force_login(world.paolo)
    response = send(client, session, {world.maria: "1"})
    assert response.status_code == 422
    assert "«I semestre 2019» è chiuso" in response.json()["error"]
    services.period_reopen(period=period, actor=world.alice, reason="Registro dimenticato")
    registers.register_validate(
        session=session, actor=world.alice, expected_version=session.version
    )
    session.refresh_from_db()
    response = send(client, session, {world.maria: "1"})
    assert response.status_code == 422
    assert "già validato" in response.json()["error"]


def test_other_projects_and_organisations_answer_404(client, world):
    client.force_login(world.paolo)
    assert send(client, world.desk_session, {}).status_code == 404  # the Comune's desk
    # Borgo's session through Valle's URL, and through Borgo's, where paolo has no role.
    assert send(client, world.b_session, {}).status_code == 404
    assert send(client, world.b_session, {}, project="borgo").status_code == 404
    client.force_login(world.rita)
    assert send(client, world.session, {world.maria: "1"}).status_code == 404
    assert world.session.attendances.get().hours == Decimal("2")


def test_the_register_post_needs_the_csrf_token(world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.paolo)
    assert send(browser, world.session, {world.maria: "1"}).status_code == 403
    token = browser.get(DATA_URL).json()["csrf_token"]
    response = browser.post(
        submit_url(world.session),
        json.dumps({"version": world.session.version, "token": str(uuid.uuid4()), "people": {}}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200


# ---- The conflict and the choice ----------------------------------------------------


@pytest.fixture
def conflict(client, world):
    """Alice added Giulia on the portal; paolo's tablet, on the older version, sends
    Maria for one hour."""
    session = world.session
    old = session.version
    registers.register_save(
        session=session,
        actor=world.alice,
        lines={world.maria: Decimal("2"), world.giulia: Decimal("2")},
        head_count=0,
        expected_version=old,
        token=uuid.uuid4(),
    )
    client.force_login(world.paolo)
    assert send(client, session, {world.maria: "1"}, version=old).status_code == 409
    return OfflineConflict.objects.get()


def test_the_conflict_page_shows_both_versions(client, world, conflict):
    response = client.get(reverse("registers:offline-conflict", args=["valle", conflict.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Versione del dispositivo" in page and "Versione del server" in page
    assert "Salvata da Alice" in page  # who changed the server's, and when
    rows = {d.name: (d.device, d.server) for d in response.context["comparison"].differences}
    # Giulia is on Cucito's register now, so Aurora's operator sees her name.
    assert rows == {"Maria Rossi": ("1,00", "2,00"), "Giulia Bianchi": ("", "2,00")}
    assert "Giulia Bianchi" in page and "assente" in page
    assert world.giulia.tax_code not in page


def test_keeping_the_servers_version_keeps_the_device_one_on_record(client, world, conflict):
    url = reverse("registers:offline-conflict", args=["valle", conflict.pk])
    response = client.post(url, {"choice": "server", "version": world.session.version + 1})
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.resolution == OfflineConflict.Resolution.KEPT_SERVER
    assert conflict.resolved_by == world.paolo
    assert conflict.device_register["people"] == {str(world.maria.pk): "1.00"}
    assert world.session.attendances.count() == 2
    assert conflict.history.first().history_change_reason == "tenuta la versione del server"
    # Decided once.
    again = client.post(url, {"choice": "device", "version": 3})
    assert "hai già scelto" in again.content.decode()


def test_sending_the_device_version_over_is_a_new_audited_version(client, world, conflict):
    session = world.session
    session.refresh_from_db()
    url = reverse("registers:offline-conflict", args=["valle", conflict.pk])
    assert "choice" in client.post(url, {"version": session.version}).context["form"].errors
    # From a version older than the server's: refused again, nothing written.
    stale = client.post(url, {"choice": "device", "version": session.version - 1})
    assert "è cambiato ancora" in stale.content.decode()
    assert session.attendances.count() == 2

    response = client.post(url, {"choice": "device", "version": session.version})
    assert response.status_code == 302
    assert list(session.attendances.values_list("person", "hours")) == [
        (world.maria.pk, Decimal("1"))
    ]
    conflict.refresh_from_db()
    assert conflict.resolution == OfflineConflict.Resolution.OVERRODE
    record = session.history.first()
    assert record.history_user == world.paolo
    assert record.version == session.version + 1
    assert record.history_change_reason == (
        f"registro offline inviato sopra la versione {session.version} del server"
    )
    # Alice's line for Giulia is in the audit trail as deleted, not lost.
    assert Attendance.history.filter(person=world.giulia, history_type="-").exists()
    # The project lead reads it, with the reason, in the project's change log.
    client.force_login(world.alice)
    log = client.get(reverse("reporting:audit-log", args=["valle"])).content.decode()
    assert f"registro offline inviato sopra la versione {session.version} del server" in log


# ---- Login and logout -------------------------------------------------------------------


def log_in(username):
    browser = Client()
    response = browser.post(
        reverse("login"), {"username": username, "password": "password-di-prova-123"}
    )
    assert response.status_code == 302, response.content
    return browser


def test_a_partner_operators_login_lasts_a_working_day(world, settings):
    paolo = log_in("paolo")
    assert paolo.session.get_expiry_age() == settings.PARTNER_SESSION_AGE == 10 * 3600
    assert not paolo.session.get_expire_at_browser_close()
    alice = log_in("alice")
    assert alice.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 1800
    assert alice.session.get_expire_at_browser_close()


def test_logout_tells_the_browser_to_clear_the_device_copy(world):
    paolo = log_in("paolo")
    response = paolo.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
