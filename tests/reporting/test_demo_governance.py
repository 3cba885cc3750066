"""Adda Martesana's governance in the demo (seed 002) and the Lombardy call's rules."""

import io

import pytest
from django.core.management import call_command
from django.db.models import F

from beneficiaries.models import CaseReview
from labs.governance.partnership_rules import project_partnership_warnings
from labs.models import Body, BodyMember, Meeting, Programme, Project
from reporting import demo as demo_data


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        demo_data.delete_demo()


pytestmark = pytest.mark.django_db


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
