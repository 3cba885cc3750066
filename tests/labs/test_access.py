"""The access module's rules, role by role."""

import pytest
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


def test_home_of_the_administrator_leads_to_the_admin_and_the_projects(client, world):
    """A superuser has no project role: the home page is not a dead end."""
    client.force_login(world.admin)
    page = client.get(reverse("home")).content.decode()
    projects = reverse("admin:labs_project_changelist")
    assert f'href="{reverse("admin:index")}"' in page
    assert f'href="{projects}"' in page
    assert "Non hai ancora accesso" not in page
    listed = client.get(projects).content.decode()
    assert "Valle solidale" in listed and "Borgo insieme" in listed


def test_home_of_a_user_without_roles_has_no_admin_links(client, world):
    client.force_login(world.olga)
    page = client.get(reverse("home")).content.decode()
    assert reverse("admin:index") not in page
    assert "Non hai ancora accesso a nessun progetto" in page


# ---- The one choke point: access.scoped ----------------------------------------------


def _project_models():
    """Every model a URL, a form choice, a filter, an export or a selector can reach: the
    portal's apps and the user model; history rows only where the audit trail shows them."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    from reporting.audit import TRACKED

    shown_history = {model.history.model for model, _lookup in TRACKED}
    for app in ("partners", "labs", "beneficiaries", "reporting"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") and model not in shown_history:
                continue  # read only in the admin, which checks superuser status
            yield model
    yield get_user_model()


def test_every_reachable_model_has_a_row_rule():
    from labs import access

    missing = sorted(m._meta.label for m in _project_models() if not access.has_row_rule(m))
    assert not missing, f"Models without a row rule in a scopes.py: {missing}"


def test_a_model_without_a_row_rule_cannot_be_read():
    from django.contrib.sessions.models import Session as HttpSession
    from django.core.exceptions import ImproperlyConfigured

    from labs import access

    with pytest.raises(ImproperlyConfigured):
        access.scoped(HttpSession, None)


@pytest.mark.parametrize("model_label", ["beneficiaries.Person", "beneficiaries.Household"])
def test_the_rule_of_a_project_gives_no_row_of_another(world, model_label):
    from django.apps import apps

    from labs import access

    model = apps.get_model(model_label)
    alice_in_borgo = access.scoped(model, world.alice, world.b)
    assert not alice_in_borgo.exists()
    assert access.scoped(model, world.alice, world.a).exists()
    assert not access.scoped(model, world.rita, world.a).exists()  # the Region: no person


def test_views_forms_filters_and_selectors_read_only_through_the_choke_point():
    """No hand-written scope in the modules that serve users: they call access.scoped
    (through ProjectScopedMixin or directly), never a lookup of their own."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    forbidden = re.compile(
        r"get_object_or_404|\.objects\.visible_to\(|\.with_sensitive_access\("
        r"|neighbourhood__projects|\(projects=project"
    )
    serving = ("views", "forms", "filters", "selectors", "export_views")
    offenders = []
    for app in ("labs", "beneficiaries", "reporting"):
        for path in sorted((root / app).rglob("*.py")):
            if path.stem not in serving and path.parent.name not in serving:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if forbidden.search(line):
                    offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_every_declared_capability_is_checked_somewhere():
    """A capability that no view, rule or selector asks for is a promise nobody keeps."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    sources = "\n".join(
        path.read_text()
        for app in ("labs", "beneficiaries", "reporting")
        for path in (root / app).rglob("*.py")
        if path.name != "access.py" and "migrations" not in path.parts
    )
    # access.py's own checks count, its table of roles does not.
    access_source = (root / "labs" / "access.py").read_text()
    sources += access_source.split("CAPABILITIES[PARTNER_COORDINATOR] =", 1)[1]
    declared = set().union(*access.CAPABILITIES.values())
    unchecked = sorted(c for c in declared if f'"{c}"' not in sources)
    assert not unchecked, f"Declared but never checked: {unchecked}"


def test_the_buildings_import_needs_territory_change(client, world, monkeypatch):
    monkeypatch.setitem(
        access.CAPABILITIES,
        access.SOCIAL_WORKER,
        access.CAPABILITIES[access.SOCIAL_WORKER] - {"territory.change"},
    )
    client.force_login(world.sofia)
    form = client.get(reverse("imports:import-start", args=["valle"])).context["form"]
    kinds = [value for value, _label in form.fields["kind"].choices]
    assert "edifici" not in kinds and "persone" in kinds
    template = reverse("imports:import-template", args=["valle", "edifici"])
    assert client.get(template).status_code == 404
    client.force_login(world.alice)
    assert client.get(template).status_code == 200
