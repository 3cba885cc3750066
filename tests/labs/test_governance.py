"""The partnership's bodies, members and meetings; minutes served only through the
scope; équipe case reviews readable only by who sees a path's sensitive data."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from beneficiaries.models import CaseReview
from labs.models import Body, BodyMember, Meeting
from tests import factories as f
from tests import governance_builders as gov

PDF = b"%PDF-1.4 verbale della cabina di regia"


@pytest.fixture(autouse=True)
def italian():
    with translation.override("it"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_lead_creates_a_body_and_adds_a_member_of_a_partner(client, world):
    client.force_login(world.alice)
    response = client.post(
        reverse("governance:body-create", args=["valle"]),
        {"kind": "cabina_regia", "name": "Cabina di regia", "remit": "Indirizzo"},
    )
    body = Body.objects.get(project=world.a, name="Cabina di regia")
    assert response.status_code == 302
    response = client.post(
        reverse("governance:member-add", args=["valle", body.pk]),
        {"organisation": world.aurora.pk, "full_name": "Luca Bassi", "position": "Referente"},
    )
    assert response.status_code == 302
    assert body.members.get().organisation == world.aurora


def test_a_member_must_belong_to_the_partnership(client, world):
    """Borgo's Comune is not a partner of Valle: it is not even offered."""
    body = gov.body(world)
    client.force_login(world.alice)
    response = client.post(
        reverse("governance:member-add", args=["valle", body.pk]),
        {"organisation": world.borgo.pk, "full_name": "Bruno Neri"},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not body.members.exists()


def test_a_meeting_with_minutes_is_downloaded_by_a_partner_but_not_by_the_region(
    client, world, media
):
    team = gov.member(world).body
    gov.second_member(world, world.a)
    anna = BodyMember.objects.get(full_name="Anna Neri")
    client.force_login(world.alice)
    response = client.post(
        reverse("governance:meeting-create", args=["valle", team.pk]),
        {
            "date": "2019-06-03",
            "place": "Municipio",
            "attendees": [anna.pk],
            "decisions": "Avviare due tirocini",
            "minutes_upload": SimpleUploadedFile("verbale.pdf", PDF, "application/pdf"),
        },
    )
    meeting = Meeting.objects.get(body=team)
    assert response.status_code == 302
    assert list(meeting.attendees.all()) == [anna]
    assert meeting.minutes_name == "verbale.pdf" and meeting.minutes.name != "verbale.pdf"
    url = reverse("governance:meeting-minutes", args=["valle", meeting.pk])
    client.force_login(world.paolo)
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(world.rita)
    assert client.get(url).status_code == 404


def test_a_file_that_is_not_a_pdf_is_refused_as_minutes(client, world, media):
    team = gov.body(world)
    client.force_login(world.alice)
    response = client.post(
        reverse("governance:meeting-create", args=["valle", team.pk]),
        {
            "date": "2019-06-03",
            "decisions": "x",
            "minutes_upload": SimpleUploadedFile(
                "verbale.pdf", b"MZ\x90\x00exe", "application/pdf"
            ),
        },
    )
    assert response.status_code == 200
    assert "minutes_upload" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_a_stale_meeting_edit_does_not_overwrite(client, world, media):
    meeting = gov.meeting(world)
    url = reverse("governance:meeting-edit", args=["valle", meeting.pk])
    client.force_login(world.alice)
    data = {"date": "2019-06-03", "decisions": "Prima versione", "version": meeting.version}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "decisions": "Versione vecchia"})
    assert stale.status_code == 200
    meeting.refresh_from_db()
    assert meeting.decisions == "Prima versione"


def test_the_social_worker_records_a_case_review(client, world):
    anna = gov.member(world)
    client.force_login(world.sofia)
    response = client.post(
        reverse("reviews:review-create", args=["valle", world.path.pk]),
        {
            "body": anna.body_id,
            "date": "2019-04-10",
            "participants": [anna.pk],
            "decisions": "Avvio del tirocinio",
            "next_review_on": "2019-07-10",
        },
    )
    assert response.status_code == 302
    review = CaseReview.objects.get(path=world.path)
    assert review.next_review_on == dt.date(2019, 7, 10)
    assert list(review.participants.all()) == [anna]


def test_a_next_review_before_the_review_is_refused(client, world):
    anna = gov.member(world)
    client.force_login(world.sofia)
    response = client.post(
        reverse("reviews:review-create", args=["valle", world.path.pk]),
        {
            "body": anna.body_id,
            "date": "2019-04-10",
            "participants": [anna.pk],
            "decisions": "x",
            "next_review_on": "2019-04-01",
        },
    )
    assert response.status_code == 200
    assert "next_review_on" in response.context["form"].errors
    assert not CaseReview.objects.exists()


def test_a_member_of_another_body_cannot_take_part(client, world):
    anna = gov.member(world)
    steering = gov.body(world, kind="cabina_regia", name="Cabina di regia")
    outsider = BodyMember.objects.create(body=steering, organisation=world.valle, full_name="X Y")
    client.force_login(world.sofia)
    response = client.post(
        reverse("reviews:review-create", args=["valle", world.path.pk]),
        {
            "body": anna.body_id,
            "date": "2019-04-10",
            "participants": [outsider.pk],
            "decisions": "x",
        },
    )
    assert response.status_code == 200
    assert not CaseReview.objects.exists()


def test_case_reviews_are_hidden_from_partners_and_the_region(client, world):
    review = gov.review(world)
    url = reverse("reviews:path-reviews", args=["valle", world.path.pk])
    client.force_login(world.sofia)
    assert review.decisions in client.get(url).content.decode()
    for user in (world.paolo, world.rita, world.bruno):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("reviews:review-due", args=["valle"])).status_code == 404


def test_the_due_list_shows_the_latest_review_of_open_paths_whose_date_has_come(client, world):
    """Maria: reviewed 01/04 (next 01/07) then 05/07 (next 2099): not due. Giulia: next
    01/06/2019, due. Carla-like closed path: not due."""
    gov.review(world)  # Maria, 01/04/2019, next 01/07/2019
    gov.review(world, date=dt.date(2019, 7, 5), next_review_on=dt.date(2099, 1, 1))
    giulia_path = f.PathFactory(person=world.giulia, project=world.a, axis=world.axis)
    due = gov.review(world, giulia_path, next_review_on=dt.date(2019, 6, 1))
    closed = f.PathFactory(
        person=f.PersonFactory(last_name="Chiusi"),
        project=world.a,
        axis=world.axis,
        exit_date=dt.date(2019, 5, 1),
    )
    gov.review(world, closed, date=dt.date(2019, 3, 2), next_review_on=dt.date(2019, 4, 1))
    client.force_login(world.alice)
    response = client.get(reverse("reviews:review-due", args=["valle"]))
    assert [r.pk for r in response.context["reviews"]] == [due.pk]
    assert "scaduta" in response.content.decode()
