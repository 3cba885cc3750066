"""Sessions of activities: create one or a weekly series, edit, "did not take place",
evidence files, the list with its filters and constant queries, the calendar, the home
inbox, closing and reopening periods, activities.

The named world (tests/conftest.py): Valle runs 2019-2020; paolo (Coop Aurora) runs
"Cucito" at "Lab Valle"; the Comune runs "Sportello".
"""

import datetime as dt
import re
from decimal import Decimal
from pathlib import PurePath

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Attendance
from labs import selectors, services
from labs.models import Activity, ReportingPeriod, Session, SessionEvidence
from tests import factories as f

PDF = b"%PDF-1.4\n%fake sign-in sheet\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def url(name, *args):
    return reverse(f"labs:{name}", args=["valle", *args])


def session_data(world, **overrides) -> dict:
    data = {
        "activity": world.sewing.pk,
        "date": "2019-05-13",
        "start_time": "09:00",
        "end_time": "11:00",
        "lab": world.lab.pk,
        "place": "",
        "notes": "",
        "operators": [world.paolo.pk],
    }
    return {**data, **overrides}


def errors_of(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


@pytest.fixture
def closed_spring(world):
    period = ReportingPeriod.objects.create(
        project=world.a,
        name="I semestre 2019",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )
    return services.period_close(period=period, actor=world.alice)


# ---- Creating sessions -------------------------------------------------------------------


def test_partner_creates_a_session_and_goes_to_its_register(client, world):
    client.force_login(world.paolo)
    response = client.post(url("session-create"), session_data(world))
    session = Session.objects.get(activity=world.sewing, date=dt.date(2019, 5, 13))
    assert response["Location"] == reverse("registers:register-edit", args=["valle", session.pk])
    assert session.state == Session.State.PLANNED and session.duration_minutes == 120
    assert list(session.operators.all()) == [world.paolo]
    assert session.history.get().history_user == world.paolo


def test_partner_is_offered_only_their_organisations_activities(client, world):
    client.force_login(world.paolo)
    form = client.get(url("session-create")).context["form"]
    assert list(form.fields["activity"].queryset) == [world.sewing]
    assert set(form.fields["operators"].queryset) == {world.paolo}
    response = client.post(url("session-create"), session_data(world, activity=world.desk.pk))
    assert "activity" in response.context["form"].errors
    assert not Session.objects.filter(activity=world.desk, date=dt.date(2019, 5, 13)).exists()


def test_session_outside_the_project_dates_is_refused(client, world):
    client.force_login(world.paolo)
    response = client.post(url("session-create"), session_data(world, date="2021-01-11"))
    assert "La data è fuori dal periodo del progetto (01/01/2019 – 31/12/2020)." in errors_of(
        response
    )
    assert not Session.objects.filter(date=dt.date(2021, 1, 11)).exists()


def test_duplicate_session_is_refused(client, world):
    """Same activity, same start: the world's Cucito session of 6 May at 9:00."""
    client.force_login(world.paolo)
    response = client.post(url("session-create"), session_data(world, date="2019-05-06"))
    assert "Esiste già un incontro di questa attività alla stessa ora." in errors_of(response)
    assert Session.objects.filter(activity=world.sewing, date=dt.date(2019, 5, 6)).count() == 1


def test_session_needs_a_lab_or_a_place(client, world):
    client.force_login(world.paolo)
    response = client.post(url("session-create"), session_data(world, lab=""))
    assert "Indicare il laboratorio o il luogo" in errors_of(response)
    response = client.post(url("session-create"), session_data(world, lab="", place="Cortile"))
    assert response.status_code == 302


def test_session_in_a_closed_period_is_refused(client, world, closed_spring):
    client.force_login(world.paolo)
    response = client.post(url("session-create"), session_data(world))
    assert "«I semestre 2019» è chiuso" in errors_of(response)


# ---- Weekly series -----------------------------------------------------------------------


def series_data(world, **overrides) -> dict:
    data = {
        "activity": world.sewing.pk,
        "first_date": "2019-09-02",
        "last_date": "2019-09-29",
        "weekdays": ["0", "2"],  # Mondays and Wednesdays
        "start_time": "18:00",
        "end_time": "20:00",
        "lab": world.lab.pk,
        "operators": [world.paolo.pk],
    }
    return {**data, **overrides}


def test_a_weekly_course_is_created_in_one_step(client, world):
    client.force_login(world.paolo)
    response = client.post(url("session-series"), series_data(world))
    assert response.status_code == 302
    dates = list(
        Session.objects.filter(activity=world.sewing, start_time=dt.time(18))
        .order_by("date")
        .values_list("date", flat=True)
    )
    assert [d.day for d in dates] == [2, 4, 9, 11, 16, 18, 23, 25]
    assert all(d.weekday() in (0, 2) for d in dates)


def test_a_series_is_all_or_nothing_and_names_the_refused_days(client, world):
    f.SessionFactory(
        activity=world.sewing,
        date=dt.date(2019, 9, 11),
        start_time=dt.time(18),
        end_time=dt.time(20),
    )
    client.force_login(world.paolo)
    response = client.post(url("session-series"), series_data(world))
    message = errors_of(response)
    assert "Nessun incontro creato" in message and "11/09/2019" in message
    assert Session.objects.filter(activity=world.sewing, start_time=dt.time(18)).count() == 1


def test_a_series_past_the_project_end_is_refused(client, world):
    client.force_login(world.paolo)
    response = client.post(
        url("session-series"), series_data(world, first_date="2020-12-21", last_date="2021-01-10")
    )
    assert "04/01/2021" in errors_of(response)
    assert not Session.objects.filter(date__gte=dt.date(2020, 12, 21)).exists()


# ---- Editing, cancelling -----------------------------------------------------------------


def test_session_edit_from_an_outdated_page_is_refused(client, world):
    client.force_login(world.paolo)
    form = client.get(url("session-edit", world.session.pk)).context["form"]
    version = form.initial["version"]
    Session.objects.filter(pk=world.session.pk).update(version=version + 1)
    data = session_data(world, date="2019-05-06", notes="Portare le stoffe", version=version)
    response = client.post(url("session-edit", world.session.pk), data)
    assert "Qualcun altro ha salvato questa pagina" in errors_of(response)
    assert response.context["form"]["notes"].value() == "Portare le stoffe"


def test_session_edit_saves_and_bumps_the_version(client, world):
    client.force_login(world.paolo)
    data = session_data(world, date="2019-05-06", notes="Portare le stoffe", version=1)
    assert client.post(url("session-edit", world.session.pk), data).status_code == 302
    world.session.refresh_from_db()
    assert (world.session.notes, world.session.version) == ("Portare le stoffe", 2)


def test_shortening_a_session_below_its_register_is_refused_with_a_message(client, world):
    client.force_login(world.alice)
    data = session_data(world, date="2019-05-06", end_time="10:00", version=1)
    response = client.post(url("session-edit", world.session.pk), data)
    assert "ore di presenza superiori alla nuova durata" in errors_of(response)
    world.session.refresh_from_db()
    assert world.session.end_time == dt.time(11)


def test_session_in_a_closed_period_cannot_be_edited(client, world, closed_spring):
    client.force_login(world.alice)
    page = client.get(url("session-detail", world.session.pk)).content.decode()
    assert "periodo di rendicontazione chiuso" in page
    data = session_data(world, date="2019-05-06", notes="x", version=1)
    response = client.post(url("session-edit", world.session.pk), data)
    assert "è chiuso" in errors_of(response)


def test_a_session_that_did_not_take_place_has_a_reason(client, world):
    session = f.SessionFactory(activity=world.sewing, date=dt.date(2019, 5, 20), state="planned")
    client.force_login(world.paolo)
    response = client.post(url("session-cancel", session.pk), {"reason": "", "version": 1})
    assert "reason" in response.context["form"].errors
    client.post(url("session-cancel", session.pk), {"reason": "Allerta meteo", "version": 1})
    session.refresh_from_db()
    assert (session.state, session.cancel_reason) == ("cancelled", "Allerta meteo")


def test_a_session_with_attendances_cannot_be_marked_not_held(client, world):
    client.force_login(world.paolo)
    response = client.post(url("session-cancel", world.session.pk), {"reason": "x", "version": 1})
    assert "Nel registro ci sono presenze" in errors_of(response)


# ---- Evidence files ----------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, world, name, content, kind="sign_in_sheet"):
    return client.post(
        url("session-evidence-add", world.session.pk),
        {"kind": kind, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("name,content", [("firme.pdf", PDF), ("foto.PNG", PNG), ("a.jpg", JPEG)])
def test_evidence_is_stored_privately_and_served_to_who_may_see_the_session(
    client, world, media, name, content
):
    client.force_login(world.paolo)
    assert upload(client, world, name, content).status_code == 302
    evidence = SessionEvidence.objects.get(session=world.session)
    assert evidence.original_name == name and evidence.size_bytes == len(content)
    # A random name under MEDIA_ROOT/private, never served by the web server.
    assert evidence.file.name.startswith("private/sessions/")
    stored = PurePath(evidence.file.name)
    assert re.fullmatch(r"[0-9a-f]{32}", stored.stem) and stored.stem != PurePath(name).stem
    download = url("session-evidence", world.session.pk, evidence.pk)
    for user in (world.paolo, world.alice):
        client.force_login(user)
        response = client.get(download)
        assert response.status_code == 200 and b"".join(response.streaming_content) == content
    client.force_login(world.bruno)
    assert client.get(download).status_code == 404


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("firme.pdf", b"MZ\x90\x00 an executable", "Sono accettati solo file PDF, JPEG e PNG."),
        ("firme.pdf", PNG, "L'estensione del file (.pdf) non corrisponde al suo contenuto."),
        ("firme.docx", b"PK\x03\x04", "Sono accettati solo file PDF, JPEG e PNG."),
    ],
)
def test_evidence_type_is_read_from_the_content(client, world, media, name, content, message):
    client.force_login(world.paolo)
    response = upload(client, world, name, content)
    assert message in errors_of(response)
    assert not SessionEvidence.objects.exists()


def test_evidence_above_the_size_limit_is_refused(client, world, media, settings):
    settings.EVIDENCE_MAX_BYTES = 2 * 2**20
    client.force_login(world.paolo)
    response = upload(client, world, "firme.pdf", PDF + b"0" * (2 * 2**20))
    assert "Il file supera la dimensione massima di 2 MB." in errors_of(response)


def test_evidence_of_a_closed_period_is_refused(client, world, media, closed_spring):
    client.force_login(world.paolo)
    assert "è chiuso" in errors_of(upload(client, world, "firme.pdf", PDF))


def test_the_report_annex_lists_sessions_with_their_evidence(
    world, media, django_assert_num_queries
):
    for name in ("firme.pdf", "foto.png"):
        services.evidence_add(
            session=world.session,
            actor=world.paolo,
            kind="photo",
            upload=SimpleUploadedFile(name, PDF if name.endswith("pdf") else PNG),
        )
    with django_assert_num_queries(2):  # sessions, then their evidence
        annex = [
            (s.activity.name, [e.original_name for e in s.evidence.all()])
            for s in selectors.sessions_for_annex(
                world.a, dt.date(2019, 1, 1), dt.date(2019, 12, 31)
            )
        ]
    assert annex == [("Cucito", ["firme.pdf", "foto.png"]), ("Sportello", [])]


# ---- List, filters, calendar -------------------------------------------------------------


def listed(client, **params):
    return list(client.get(url("session-list"), params).context["sessions"])


def test_filters_by_activity_axis_organisation_month_and_state(client, world):
    other_axis = f.AxisFactory(project=world.a, code="INC", name="Inclusione attiva")
    course = f.ActivityFactory(
        project=world.a, axis=other_axis, organisation=world.valle, name="Corso"
    )
    june = f.SessionFactory(activity=course, date=dt.date(2019, 6, 3), state="planned")
    client.force_login(world.alice)
    assert set(listed(client)) == {world.session, world.desk_session, june}
    assert listed(client, activity=world.sewing.pk) == [world.session]
    assert listed(client, axis=other_axis.pk) == [june]
    assert set(listed(client, organisation=world.valle.pk)) == {world.desk_session, june}
    assert set(listed(client, month="2019-05")) == {world.session, world.desk_session}
    assert listed(client, state="to_record") == [june]
    assert set(listed(client, state="to_validate")) == {world.session, world.desk_session}
    assert listed(client, lab=world.lab.pk) == [world.session]


def test_partner_sees_and_filters_only_their_organisation(client, world):
    client.force_login(world.paolo)
    response = client.get(url("session-list"))
    assert list(response.context["sessions"]) == [world.session]
    fields = response.context["filter"].form.fields
    assert list(fields["activity"].queryset) == [world.sewing]
    assert list(fields["organisation"].queryset) == [world.aurora]
    # Asking for another organisation's activity finds nothing rather than its sessions.
    assert listed(client, activity=world.desk.pk) == [world.session]


def a_year_of_sessions(world, n: int, minute: int = 0):
    """``n`` held sessions of Cucito spread over 2020, each with two people."""
    start = dt.date(2020, 1, 1)
    sessions = Session.objects.bulk_create(
        Session(
            activity=world.sewing,
            lab=world.lab,
            date=start + dt.timedelta(days=(i * 366) // n),
            start_time=dt.time(9 + i % 8, minute),
            end_time=dt.time(10 + i % 8, minute),
            duration_minutes=60,
            state="held",
        )
        for i in range(n)
    )
    Attendance.objects.bulk_create(
        Attendance(session=s, person=p, hours=Decimal("1"))
        for s in sessions
        for p in (world.maria, world.giulia)
    )


def count_list_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url("session-list"), params)
    assert response.status_code == 200
    return len(queries)


def test_the_session_list_runs_constant_queries(client, world, django_assert_max_num_queries):
    """A year of sessions costs what a handful does (300 rows, 16 queries):
    request: session, user, regional check, grants, project; the header's organisation;
    the filter: the chosen axis checked, the choice lists (activities, axes,
    organisations, labs); the list: the count, the page (lock, register and evidence
    counts are subqueries and joins of that one query); the session saved (3, with its
    savepoint)."""
    client.force_login(world.paolo)
    a_year_of_sessions(world, 50)
    few = count_list_queries(client, axis=world.axis.pk)
    a_year_of_sessions(world, 250, minute=30)
    assert Session.objects.count() > 300
    many = count_list_queries(client, axis=world.axis.pk)
    assert few == many
    with django_assert_max_num_queries(16):
        client.get(url("session-list"), {"month": "2020-05", "axis": world.axis.pk, "page": 2})


def test_the_calendar_shows_the_month_with_its_sessions(client, world):
    client.force_login(world.alice)
    response = client.get(url("session-calendar"), {"month": "2019-05"})
    page = response.content.decode()
    assert "Cucito" in page and "Sportello" in page
    assert "month=2019-04" in page and "month=2019-06" in page
    days = [day for week in response.context["weeks"] for day, _in, _s in week]
    assert days[0] == dt.date(2019, 4, 29) and days[0].weekday() == 0
    assert (
        client.get(url("session-calendar"), {"month": "2019-07"}).content.count(
            b'q-cal-session state-held" href'
        )
        == 0
    )


def test_the_calendar_of_a_finished_project_opens_on_its_last_month(client, world):
    client.force_login(world.alice)
    response = client.get(url("session-calendar"))
    assert response.context["month"] == world.a.end_date.replace(day=1)
    world.a.end_date = timezone.localdate() + dt.timedelta(days=90)
    world.a.save()
    response = client.get(url("session-calendar"))
    assert response.context["month"] == timezone.localdate().replace(day=1)


# ---- Home inbox --------------------------------------------------------------------------


def test_home_lists_past_sessions_to_record_for_each_operator(client, world):
    mine = f.SessionFactory(activity=world.sewing, date=dt.date(2019, 5, 20), state="planned")
    theirs = f.SessionFactory(activity=world.desk, date=dt.date(2019, 5, 21), state="planned")
    client.force_login(world.paolo)
    response = client.get(reverse("home"))
    assert response.context["sessions_to_record"].items == [mine]
    assert reverse("registers:register-edit", args=["valle", mine.pk]) in response.content.decode()
    client.force_login(world.sofia)
    inbox = client.get(reverse("home")).context
    assert inbox["sessions_to_record"].items == [mine, theirs]
    assert inbox["registers_to_validate"].total == 0  # social workers do not validate
    client.force_login(world.alice)
    assert client.get(reverse("home")).context["registers_to_validate"].total == 2


# ---- Periods -----------------------------------------------------------------------------


def test_lead_closes_and_reopens_a_period_and_both_are_recorded(client, world):
    client.force_login(world.alice)
    client.post(
        url("period-create"),
        {"name": "I semestre 2019", "start_date": "2019-01-01", "end_date": "2019-06-30"},
    )
    period = world.a.periods.get()
    client.post(url("period-close", period.pk))
    period.refresh_from_db()
    assert period.closed_by == world.alice and period.closed_at
    response = client.post(url("period-reopen", period.pk), {"reason": ""})
    assert "reason" in response.context["form"].errors
    client.post(url("period-reopen", period.pk), {"reason": "Manca un registro"})
    period.refresh_from_db()
    assert period.closed_at is None
    assert (period.reopened_by, period.reopen_reason) == (world.alice, "Manca un registro")
    changes = list(period.history.order_by("history_date").values_list("history_user__username"))
    assert changes == [("alice",)] * 3
    page = client.get(url("period-list")).content.decode()
    assert "Manca un registro" in page


def test_overlapping_periods_are_refused(client, world):
    client.force_login(world.alice)
    data = {"name": "2019", "start_date": "2019-01-01", "end_date": "2019-12-31"}
    client.post(url("period-create"), data)
    data = {"name": "II semestre", "start_date": "2019-07-01", "end_date": "2019-12-31"}
    response = client.post(url("period-create"), data)
    assert "si sovrappone" in errors_of(response)
    data = {"name": "Di nuovo 2019", "start_date": "2019-01-01", "end_date": "2019-03-31"}
    assert "si sovrappone" in errors_of(client.post(url("period-create"), data))
    data = {"name": "2020", "start_date": "2020-12-31", "end_date": "2020-01-01"}
    assert client.post(url("period-create"), data).status_code == 200
    assert world.a.periods.count() == 1


# ---- Activities --------------------------------------------------------------------------


def test_lead_creates_an_activity_run_by_a_partner(client, world):
    client.force_login(world.alice)
    form = client.get(url("activity-create")).context["form"]
    assert set(form.fields["organisation"].queryset) == {world.valle, world.aurora}
    assert list(form.fields["axis"].queryset) == [world.axis]
    response = client.post(
        url("activity-create"),
        {
            "name": "Corso di italiano",
            "kind": "course",
            "axis": world.axis.pk,
            "organisation": world.aurora.pk,
            "lab": world.lab.pk,
            "planned_hours": "40",
            "description": "",
        },
    )
    assert response.status_code == 302
    course = Activity.objects.get(name="Corso di italiano")
    assert course.project == world.a and course.organisation == world.aurora
    # Paolo's organisation runs it: he can now plan its sessions.
    client.force_login(world.paolo)
    form = client.get(url("session-create")).context["form"]
    assert course in form.fields["activity"].queryset


def test_file_sizes_read_in_italian(client, world):
    from labs.templatetags.files import format_file_size

    assert [format_file_size(n) for n in (0, 1, 303, 1536, 3 * 2**20)] == [
        "0\xa0byte",
        "1\xa0byte",
        "303\xa0byte",
        "1,5\xa0KB",
        "3,0\xa0MB",
    ]
    SessionEvidence.objects.create(
        session=world.session,
        kind="sign_in_sheet",
        original_name="firme.pdf",
        file="evidence/firme.pdf",
        size_bytes=303,
        uploaded_by=world.paolo,
    )
    client.force_login(world.paolo)
    page = client.get(url("session-detail", world.session.pk)).content.decode()
    assert "303\xa0byte)" in page and "bytes" not in page


@pytest.mark.parametrize("name", ["session-create", "session-edit"])
def test_an_empty_session_date_gets_only_the_required_message(client, world, name):
    client.force_login(world.alice)
    target = url(name, world.session.pk) if name == "session-edit" else url(name)
    data = session_data(world, date="", version=world.session.version)
    response = client.post(target, data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"date": ["Questo campo è obbligatorio."]}
    assert "fuori dal periodo" not in response.content.decode()
