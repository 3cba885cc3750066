"""The access module's rules, role by role."""

from django.urls import reverse

from labs import access
from labs.models import Partnership, Project, ProjectRole
from partners.models import Membership
from tests import factories as f


def test_a_user_can_hold_different_roles_in_different_projects(client, world):
    # Bruno leads Borgo; Coop Aurora-style: he also works for Aurora as a partner in Valle.
    Membership.objects.create(user=world.bruno, organisation=world.aurora)
    ProjectRole.objects.create(
        project=world.a, user=world.bruno, organisation=world.aurora, role="partner_operator"
    )
    grants = access.grants_for(world.bruno)
    assert grants[world.b.pk].role == "lead"
    assert grants[world.a.pk].role == "partner_operator"
    client.force_login(world.bruno)
    assert client.get(reverse("reporting:audit-log", args=["borgo"])).status_code == 200
    assert client.get(reverse("reporting:audit-log", args=["valle"])).status_code == 404
    assert (
        client.get(
            reverse("households:household-detail", args=["valle", world.household.pk])
        ).status_code
        == 404
    )


def test_role_lapses_when_the_membership_ends(client, world):
    Membership.objects.filter(user=world.paolo).update(is_active=False)
    client.force_login(world.paolo)
    assert client.get(reverse("people:person-list", args=["valle"])).status_code == 404


def test_role_lapses_when_the_organisation_leaves_the_partnership(client, world):
    Partnership.objects.filter(project=world.a, organisation=world.aurora).delete()
    client.force_login(world.paolo)
    assert client.get(reverse("reporting:dashboard", args=["valle"])).status_code == 404


def test_regional_officer_sees_every_project_and_no_person(world):
    assert set(Project.objects.visible_to(world.rita)) == {world.a, world.b}
    from beneficiaries.models import Household, Person

    assert not Person.objects.visible_to(world.rita).exists()
    assert not Household.objects.visible_to(world.rita).exists()


def test_partner_operator_changes_only_their_organisations_sessions(world):
    assert world.paolo.has_perm("labs.change_session", world.session)
    assert not world.paolo.has_perm("labs.change_session", world.desk_session)
    assert world.alice.has_perm("labs.change_session", world.desk_session)
    assert not world.bruno.has_perm("labs.change_session", world.session)


def test_only_staff_with_sensitive_access_may_change_a_person(world):
    assert world.sofia.has_perm("beneficiaries.change_person", world.maria)
    assert not world.paolo.has_perm("beneficiaries.change_person", world.maria)
    assert not world.bruno.has_perm("beneficiaries.change_person", world.maria)
    assert world.bruno.has_perm("beneficiaries.change_person", world.carla)


def test_superuser_without_a_role_has_no_portal_scope(world):
    assert access.grants_for(world.admin) == {}


def test_people_list_costs_the_same_queries_for_3_or_60_people(
    client, world, django_assert_max_num_queries
):
    from beneficiaries.models import Registration

    client.force_login(world.sofia)
    url = reverse("people:person-list", args=["valle"])
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for person in f.PersonFactory.create_batch(57):
        Registration.objects.create(project=world.a, person=person, registered_on="2019-01-01")
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert len(response.context["people"]) == 50  # first page


def test_home_lists_what_needs_a_social_workers_attention(client, world):
    world.path.labour_status = ""
    world.path.unemployment_months = None
    world.path.save()
    client.force_login(world.sofia)
    page = client.get(reverse("home")).content.decode()
    assert "1 percorso con dati di ingresso FSE incompleti" in page
    assert "1 persona senza informativa privacy valida" in page  # Giulia


def test_home_of_a_partner_shows_no_people_counts(client, world):
    client.force_login(world.paolo)
    page = client.get(reverse("home")).content.decode()
    assert "informativa privacy" not in page
