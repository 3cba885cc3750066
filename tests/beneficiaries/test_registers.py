"""The attendance register: fill, validate, correct; every refusal with its message; the
double submit; two people on one register; the closed period; the hours the report needs.

The named world (tests/conftest.py): paolo (Coop Aurora) runs "Cucito", whose session of
6 May 2019 (9-11) has Maria on its register; Giulia is in Valle but not in Cucito.
"""

import datetime as dt
import threading
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import (
    ActivityEnrolment,
    Attendance,
    RegisterCorrection,
    RegisterSubmission,
)
from beneficiaries.registers import services as registers
from labs import services
from labs.models import ReportingPeriod, Session
from tests import factories as f


def register_url(session, project="valle"):
    return reverse("registers:register-edit", args=[project, session.pk])


def open_register(client, session):
    response = client.get(register_url(session))
    assert response.status_code == 200
    return response.context["form"]


def post_data(form, present: dict, head_count=0, **extra) -> dict:
    """What the browser sends: the form's token and version, the ticked people, their
    hours (None: left empty)."""
    data = {
        "token": str(form.initial["token"]),
        "version": form.initial["version"],
        "head_count": head_count,
        "present": [p.pk for p in present],
        **extra,
    }
    for person, hours in present.items():
        data[f"hours_{person.pk}"] = "" if hours is None else hours
    return data


def errors_of(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


@pytest.fixture
def planned(world):
    """A planned (not yet recorded) Cucito session on 13 May 2019, Maria its usual
    participant."""
    return f.SessionFactory(
        activity=world.sewing, lab=world.lab, date=dt.date(2019, 5, 13), state="planned"
    )


def save(world, session, lines, *, actor=None, version=None, head_count=0, token=None):
    return registers.register_save(
        session=session,
        actor=actor or world.alice,
        lines=lines,
        head_count=head_count,
        expected_version=session.version if version is None else version,
        token=token or uuid.uuid4(),
    )


# ---- Filling a register ------------------------------------------------------------------


def test_partner_fills_the_register_of_their_session(client, world, planned):
    client.force_login(world.paolo)
    form = open_register(client, planned)
    assert form.initial["present"] == [world.maria.pk]  # the usual participant is ticked
    response = client.post(register_url(planned), post_data(form, {world.maria: "1,5"}))
    assert response.status_code == 302
    planned.refresh_from_db()
    assert planned.state == Session.State.HELD and planned.version == 2
    attendance = planned.attendances.get()
    assert (attendance.person, attendance.hours) == (world.maria, Decimal("1.50"))
    assert attendance.history.get().history_user == world.paolo


def test_hours_left_empty_are_the_whole_session(client, world, planned):
    client.force_login(world.paolo)
    form = open_register(client, planned)
    client.post(register_url(planned), post_data(form, {world.maria: None}, head_count=7))
    planned.refresh_from_db()
    assert planned.attendances.get().hours == Decimal("2.00")
    assert planned.head_count == 7


def test_unticked_people_leave_the_register(client, world):
    client.force_login(world.alice)
    form = open_register(client, world.session)
    assert form.initial["present"] == [world.maria.pk]
    client.post(register_url(world.session), post_data(form, {world.giulia: "2"}))
    assert list(world.session.attendances.values_list("person", flat=True)) == [world.giulia.pk]
    # The removal is in the audit trail, with who made it.
    removed = Attendance.history.filter(person=world.maria, history_type="-").get()
    assert removed.history_user == world.alice


def test_ticked_people_can_become_usual_participants(client, world, planned):
    client.force_login(world.alice)
    form = open_register(client, planned)
    data = post_data(form, {world.maria: "2", world.giulia: "2"}, enrol_present="on")
    client.post(register_url(planned), data)
    assert set(
        ActivityEnrolment.objects.filter(activity=world.sewing).values_list("person", flat=True)
    ) == {world.maria.pk, world.giulia.pk}


def test_register_of_a_cancelled_session_makes_it_held(world, planned):
    Session.objects.filter(pk=planned.pk).update(state="cancelled", cancel_reason="Pioggia")
    planned.refresh_from_db()
    save(world, planned, {world.maria: Decimal("2")})
    planned.refresh_from_db()
    assert (planned.state, planned.cancel_reason) == ("held", "")


# ---- Who the register lists -------------------------------------------------------------


def rows_of(response) -> list[str]:
    return [row.person.last_name for row in response.context["form"].rows]


def test_the_register_lists_its_usual_people_and_finds_the_others(client, world, planned):
    """A register opens on the usual participants; anyone else of the project is one
    search away, and can be ticked and saved."""
    client.force_login(world.alice)
    url = register_url(planned)
    assert rows_of(client.get(url)) == ["Rossi"]  # Maria, usual; Giulia is not listed

    found = client.get(url, {"cerca": "bianc"})
    assert rows_of(found) == ["Rossi", "Bianchi"]
    assert found.context["form"].rows[1].checked is False
    assert "1 persona trovata e aggiunta all'elenco." in found.content.decode()

    # Carla belongs to another project: never found, nor listed with everyone.
    nobody = client.get(url, {"cerca": "Verdi"})
    assert rows_of(nobody) == ["Rossi"]
    assert "Nessuna persona del progetto si chiama «Verdi»." in nobody.content.decode()
    assert sorted(rows_of(client.get(url, {"tutti": "1"}))) == ["Bianchi", "Rossi"]

    form = found.context["form"]
    response = client.post(url, post_data(form, {world.maria: "2", world.giulia: "1,5"}))
    assert response.status_code == 302
    assert dict(planned.attendances.values_list("person__last_name", "hours")) == {
        "Rossi": Decimal("2.00"),
        "Bianchi": Decimal("1.50"),
    }


def test_a_partner_finds_only_the_people_of_their_own_activities(client, world, planned):
    """Giulia attends the municipality's desk, not Coop Aurora's activities: Paolo cannot
    find her, list her or tick her."""
    client.force_login(world.paolo)
    url = register_url(planned)
    assert rows_of(client.get(url, {"cerca": "Bianchi"})) == ["Rossi"]
    assert rows_of(client.get(url, {"tutti": "1"})) == ["Rossi"]
    form = open_register(client, planned)
    response = client.post(url, post_data(form, {world.giulia: "1"}))
    assert response.status_code == 200
    assert "non è iscritta al progetto" in errors_of(response)
    assert not planned.attendances.exists()


def test_a_search_lists_at_most_50_people_and_says_so(client, world, planned):
    for n in range(registers.REGISTER_SEARCH_LIMIT + 5):
        person = f.PersonFactory(first_name=f"Nome{n:02d}", last_name="Ferrari")
        world.a.registrations.create(person=person, registered_on=dt.date(2019, 1, 10))
    client.force_login(world.alice)
    response = client.get(register_url(planned), {"cerca": "ferrari"})
    assert rows_of(response).count("Ferrari") == registers.REGISTER_SEARCH_LIMIT
    assert "Più di 50 persone trovate: sono elencate le prime 50" in response.content.decode()


def test_a_ticked_person_stays_listed_when_the_register_is_refused(client, world, planned):
    """Giulia, found by a search and ticked, is still there (ticked, with her hours) when
    the form comes back with an error, even without the search in the address."""
    client.force_login(world.alice)
    form = open_register(client, planned)
    data = post_data(form, {world.maria: "2", world.giulia: "9"})
    response = client.post(register_url(planned), data)
    assert response.status_code == 200
    rows = {row.person.last_name: row for row in response.context["form"].rows}
    assert rows["Bianchi"].checked and rows["Bianchi"].hours_value == "9"
    assert "9,00 ore superano la durata dell'incontro" in errors_of(response)


def test_the_register_does_not_grow_with_the_project(client, world, planned):
    """Hundreds more people in the project: the same rows, the same queries."""
    client.force_login(world.alice)
    url = register_url(planned)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        return rows_of(response), len(queries)

    before = measure()
    people = [f.PersonFactory() for _ in range(300)]
    for person in people:
        world.a.registrations.create(person=person, registered_on=dt.date(2019, 1, 10))
    assert measure() == before


# ---- Refusals, with their messages -------------------------------------------------------


def test_hours_above_the_session_length_are_refused(client, world, planned):
    client.force_login(world.paolo)
    form = open_register(client, planned)
    response = client.post(register_url(planned), post_data(form, {world.maria: "2,5"}))
    assert response.status_code == 200
    assert "2,50 ore superano la durata dell'incontro (2,00)" in errors_of(response)
    assert not planned.attendances.exists()
    # The service refuses them too, whoever calls it.
    with pytest.raises(registers.RegisterError, match="superano la durata"):
        save(world, planned, {world.maria: Decimal("2.5")})
    # And the database, whoever writes.
    assert planned.attendances.count() == 0


def test_zero_hours_are_refused(client, world, planned):
    client.force_login(world.paolo)
    form = open_register(client, planned)
    response = client.post(register_url(planned), post_data(form, {world.maria: "0"}))
    assert "le ore devono essere più di zero" in errors_of(response)


def test_person_not_enrolled_in_the_project_is_refused(client, world, planned):
    carla = world.carla  # a person of Borgo
    client.force_login(world.alice)
    form = open_register(client, planned)
    response = client.post(register_url(planned), post_data(form, {carla: "2"}))
    assert response.status_code == 200
    assert "non è iscritta al progetto" in errors_of(response)
    with pytest.raises(registers.RegisterError, match="Non sono iscritte al progetto: Verdi"):
        save(world, planned, {carla: Decimal("2")})
    assert not planned.attendances.exists()


def test_partner_cannot_put_someone_outside_their_activities(world, planned):
    with pytest.raises(registers.RegisterError, match="Non sono iscritte al progetto: Bianchi"):
        save(world, planned, {world.giulia: Decimal("1")}, actor=world.paolo)


def test_register_of_a_future_session_is_refused(client, world):
    today = timezone.localdate()
    world.a.end_date = today + dt.timedelta(days=60)
    world.a.save()
    tomorrow = f.SessionFactory(
        activity=world.sewing, date=today + dt.timedelta(days=1), state="planned"
    )
    client.force_login(world.paolo)
    form = open_register(client, tomorrow)
    response = client.post(register_url(tomorrow), post_data(form, {world.maria: "2"}))
    assert "L'incontro non è ancora iniziato" in errors_of(response)
    assert not tomorrow.attendances.exists()
    with pytest.raises(registers.RegisterError, match="non è ancora iniziato"):
        save(world, tomorrow, {world.maria: Decimal("2")})


def test_negative_head_count_is_refused(client, world, planned):
    client.force_login(world.paolo)
    form = open_register(client, planned)
    response = client.post(register_url(planned), post_data(form, {}, head_count=-3))
    assert "head_count" in response.context["form"].errors
    with pytest.raises(registers.RegisterError, match="non può essere negativo"):
        save(world, planned, {}, head_count=-3)


# ---- Double submit and concurrent edits --------------------------------------------------


def test_a_double_submitted_register_saves_once(client, world, planned):
    client.force_login(world.paolo)
    data = post_data(open_register(client, planned), {world.maria: "2"})
    first = client.post(register_url(planned), data)
    history = Attendance.history.count()
    second = client.post(register_url(planned), data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert "Il registro era già stato salvato." in second.content.decode()
    assert planned.attendances.count() == 1
    assert Attendance.history.count() == history
    assert RegisterSubmission.objects.filter(session=planned).count() == 1
    planned.refresh_from_db()
    assert planned.version == 2  # saved once


def test_a_repeated_token_saves_nothing_in_the_service(world, planned):
    token = uuid.uuid4()
    save(world, planned, {world.maria: Decimal("2")}, token=token)
    result = save(world, planned, {world.giulia: Decimal("1")}, token=token, version=1)
    assert result.duplicate
    assert list(planned.attendances.values_list("person", flat=True)) == [world.maria.pk]


def test_a_register_saved_meanwhile_is_not_overwritten(client, world, planned):
    """Alice and Sofia open the same register; Sofia saves first. Alice's save is refused
    with a clear message and her ticks are still on the page."""
    client.force_login(world.alice)
    alice_form = open_register(client, planned)
    client.force_login(world.sofia)
    sofia_form = open_register(client, planned)
    client.post(register_url(planned), post_data(sofia_form, {world.maria: "2"}))

    client.force_login(world.alice)
    response = client.post(
        register_url(planned), post_data(alice_form, {world.maria: "1", world.giulia: "2"})
    )
    assert response.status_code == 200
    assert "Qualcun altro ha salvato questa pagina" in errors_of(response)
    ticked = {row.person for row in response.context["form"].rows if row.checked}
    assert ticked == {world.maria, world.giulia}
    assert list(planned.attendances.values_list("person", "hours")) == [
        (world.maria.pk, Decimal("2.00"))
    ]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_form_save_once(world, planned):
    """Two requests with the same token at the same moment: the second waits on the
    token's unique index, then saves nothing (PostgreSQL: real concurrent transactions)."""
    token = uuid.uuid4()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def submit(hours):
        try:
            barrier.wait()
            results.append(
                save(world, planned, {world.maria: Decimal(hours)}, token=token, version=1)
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(h,)) for h in ("1", "2")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(r.duplicate for r in results) == [False, True]
    assert Attendance.objects.filter(session=planned).count() == 1
    assert Session.objects.get(pk=planned.pk).version == 2


# ---- Closed period -----------------------------------------------------------------------


def test_a_closed_period_locks_the_register_until_the_lead_reopens_it(client, world, planned):
    period = ReportingPeriod.objects.create(
        project=world.a,
        name="I semestre 2019",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )
    services.period_close(period=period, actor=world.alice)
    client.force_login(world.paolo)
    form = open_register(client, planned)
    response = client.post(register_url(planned), post_data(form, {world.maria: "2"}))
    assert "Il periodo di rendicontazione «I semestre 2019» è chiuso" in errors_of(response)
    assert not planned.attendances.exists()

    services.period_reopen(period=period, actor=world.alice, reason="Registro dimenticato")
    response = client.post(register_url(planned), post_data(form, {world.maria: "2"}))
    assert response.status_code == 302
    assert planned.attendances.count() == 1
    period.refresh_from_db()
    assert (period.reopened_by, period.reopen_reason) == (world.alice, "Registro dimenticato")
    assert period.history.first().history_change_reason == "riaperto: Registro dimenticato"


# ---- Validation and corrections ----------------------------------------------------------


def validate(client, session):
    return client.post(
        reverse("registers:register-validate", args=["valle", session.pk]),
        {"version": session.version},
        follow=True,
    )


def test_lead_validates_and_then_the_register_changes_only_by_correction(client, world):
    session = world.session
    client.force_login(world.alice)
    assert "Registro validato." in validate(client, session).content.decode()
    session.refresh_from_db()
    assert session.validated_by == world.alice and session.validated_at

    with pytest.raises(registers.RegisterError, match="correzione motivata"):
        save(world, session, {world.maria: Decimal("1")})

    # The partner operator is sent back to the session page.
    client.force_login(world.paolo)
    response = client.get(register_url(session), follow=True)
    assert "Il registro è validato" in response.content.decode()

    # The lead corrects, with a reason.
    client.force_login(world.alice)
    form = open_register(client, session)
    assert form.correcting and form.fields["reason"].required
    response = client.post(register_url(session), post_data(form, {world.maria: "1"}))
    assert "reason" in response.context["form"].errors
    data = post_data(form, {world.maria: "1", world.giulia: "2"}, reason="Giulia c'era")
    assert client.post(register_url(session), data).status_code == 302
    correction = RegisterCorrection.objects.get(session=session)
    assert correction.corrected_by == world.alice and correction.reason == "Giulia c'era"
    assert correction.before == {"head_count": 0, "people": {str(world.maria.pk): "2.00"}}
    assert correction.after["people"] == {str(world.maria.pk): "1.00", str(world.giulia.pk): "2.00"}
    session.refresh_from_db()
    assert session.validated_at is not None  # still validated


def test_social_worker_and_partner_operator_cannot_validate(client, world):
    for user in (world.sofia, world.paolo):
        client.force_login(user)
        response = client.post(
            reverse("registers:register-validate", args=["valle", world.session.pk]),
            {"version": world.session.version},
        )
        assert response.status_code == 404
    world.session.refresh_from_db()
    assert world.session.validated_at is None


def test_partner_coordinator_validates_only_their_organisation_registers(client, world):
    """The "lead of the partner organisation" is a project role: partner coordinator."""
    from labs.models import ProjectRole
    from partners.models import Membership

    chiara = f.UserFactory(username="chiara")
    Membership.objects.create(user=chiara, organisation=world.aurora)
    ProjectRole.objects.create(
        project=world.a, user=chiara, organisation=world.aurora, role="partner_coordinator"
    )
    client.force_login(chiara)
    assert "Registro validato." in validate(client, world.session).content.decode()
    desk = reverse("registers:register-validate", args=["valle", world.desk_session.pk])
    assert client.post(desk, {"version": 1}).status_code == 404
    # Her home page lists what waits for her validation: her organisation's only.
    f.SessionFactory(activity=world.sewing, date=dt.date(2019, 5, 20))
    f.SessionFactory(activity=world.desk, date=dt.date(2019, 5, 21))
    inbox = client.get(reverse("home")).context["registers_to_validate"]
    assert [s.activity for s in inbox.items] == [world.sewing]


def test_a_planned_session_is_not_validated(world, planned):
    with pytest.raises(registers.RegisterError, match="Si valida il registro di un incontro"):
        registers.register_validate(session=planned, actor=world.alice, expected_version=1)


def test_validation_from_an_outdated_page_is_refused(client, world):
    save(world, world.session, {world.maria: Decimal("1")})  # version 1 -> 2
    client.force_login(world.alice)
    response = client.post(
        reverse("registers:register-validate", args=["valle", world.session.pk]),
        {"version": 1},
        follow=True,
    )
    assert "Qualcun altro ha salvato questa pagina" in response.content.decode()
    world.session.refresh_from_db()
    assert world.session.validated_at is None


# ---- The hours the report needs ----------------------------------------------------------


@pytest.fixture
def attended(world):
    """Cucito: 6 May (Maria 2h, world) and 13 May (Maria 1.5h, Giulia 2h); a planned
    session with nobody; Sportello: 7 May (Giulia 1h, world); a session in 2020 outside the
    period (Maria 2h)."""
    second = f.SessionFactory(activity=world.sewing, date=dt.date(2019, 5, 13))
    Attendance.objects.create(session=second, person=world.maria, hours=Decimal("1.5"))
    Attendance.objects.create(session=second, person=world.giulia, hours=Decimal("2"))
    f.SessionFactory(activity=world.sewing, date=dt.date(2019, 5, 20), state="planned")
    later = f.SessionFactory(activity=world.sewing, date=dt.date(2020, 1, 13))
    Attendance.objects.create(session=later, person=world.maria, hours=Decimal("2"))
    return world


def test_hours_per_person_come_from_one_query(attended, django_assert_num_queries):
    w = attended
    with django_assert_num_queries(1):
        rows = registers.attended_hours_by_person(
            project=w.a, start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31)
        )
    assert rows == [
        {"person_id": w.maria.pk, "hours": Decimal("3.50"), "sessions": 2},
        {"person_id": w.giulia.pk, "hours": Decimal("3.00"), "sessions": 2},
    ]


def test_hours_per_activity_come_from_one_query(attended, django_assert_num_queries):
    w = attended
    with django_assert_num_queries(1):
        rows = registers.attended_hours_by_activity(
            project=w.a, start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31)
        )
    assert [(r["activity_name"], r["hours"], r["attendances"], r["people"]) for r in rows] == [
        ("Cucito", Decimal("5.50"), 3, 2),
        ("Sportello", Decimal("1.00"), 1, 1),
    ]
    assert rows[0]["axis_id"] == w.axis.pk
