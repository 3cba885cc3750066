"""Suspected duplicates are listed for review and linked reversibly, never merged."""

import datetime as dt

from django.urls import reverse

from beneficiaries.models import Person, PersonLink, Registration
from tests import factories as f


def _twin(world, first, last, **kw):
    person = f.PersonFactory(
        first_name=first, last_name=last, birth_date=world.maria.birth_date, tax_code=None, **kw
    )
    Registration.objects.create(project=world.a, person=person, registered_on=dt.date(2019, 1, 1))
    return person


def test_swapped_and_accented_names_with_the_same_birth_date_are_listed(client, world):
    twin = _twin(world, "ROSSI", "Marìa")
    _twin(world, "Maria", "Rossini")  # a different person: not listed
    client.force_login(world.sofia)
    pairs = client.get(reverse("people:duplicate-list", args=["valle"])).context["pairs"]
    assert [(a, b, linked) for a, b, linked in pairs] == [(world.maria, twin, False)]


def test_linking_is_reversible_audited_and_merges_nothing(client, world):
    twin = _twin(world, "Maria", "Rossi")
    client.force_login(world.sofia)
    client.post(
        reverse("people:person-link", args=["valle"]),
        {"person": world.maria.pk, "same_as": twin.pk},
    )
    link = PersonLink.objects.get()
    assert (link.person, link.same_as, link.linked_by) == (world.maria, twin, world.sofia)
    assert Person.objects.filter(pk__in=[world.maria.pk, twin.pk]).count() == 2

    client.post(reverse("people:person-unlink", args=["valle", link.pk]))
    link.refresh_from_db()
    assert link.unlinked_at is not None
    assert [h.history_type for h in link.history.order_by("history_date")] == ["+", "~"]
    assert link.history.latest().history_user == world.sofia


def test_people_of_another_project_cannot_be_linked(client, world):
    client.force_login(world.sofia)
    response = client.post(
        reverse("people:person-link", args=["valle"]),
        {"person": world.maria.pk, "same_as": world.carla.pk},
    )
    assert response.status_code == 404
    assert not PersonLink.objects.exists()
