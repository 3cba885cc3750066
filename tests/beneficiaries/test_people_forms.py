"""Creating and editing people: duplicates, concurrent edits, Italian errors."""

from django.urls import reverse

from beneficiaries.models import Path, Person, Registration, SensitiveAccess
from tests import factories as f


def _person_data(**overrides):
    data = {
        "first_name": "Anna",
        "last_name": "Colombo",
        "birth_date": "1990-05-17",
        "sex": "F",
        "citizenship": "IT",
        "tax_code": "",
        "phone": "",
        "email": "",
        "birth_place": "",
    }
    data.update(overrides)
    return data


def test_new_person_is_registered_in_the_project(client, world):
    client.force_login(world.sofia)
    response = client.post(reverse("people:person-create", args=["valle"]), _person_data())
    person = Person.objects.get(last_name="Colombo")
    assert response.status_code == 302
    assert Registration.objects.filter(project=world.a, person=person).exists()


def test_similar_name_and_birth_date_warns_before_saving(client, world):
    client.force_login(world.sofia)
    url = reverse("people:person-create", args=["valle"])
    # Maria Rossi, born 12/04/1975, typed as "ROSSÌ maria" with names swapped.
    data = _person_data(first_name="ROSSÌ", last_name="maria", birth_date="1975-04-12")
    response = client.post(url, data)
    assert response.status_code == 200
    assert world.maria in response.context["duplicates"]
    assert Person.objects.filter(first_name="ROSSÌ").count() == 0
    # Confirming that it is someone else saves.
    response = client.post(url, {**data, "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(first_name="ROSSÌ").count() == 1


def test_same_codice_fiscale_is_refused_even_when_confirmed(client, world):
    client.force_login(world.sofia)
    data = _person_data(
        first_name="Maria",
        last_name="Rossi",
        birth_date="1975-04-12",
        tax_code=world.maria.tax_code,
        not_a_duplicate="on",
    )
    response = client.post(reverse("people:person-create", args=["valle"]), data)
    assert response.status_code == 200
    assert Person.objects.filter(tax_code=world.maria.tax_code).count() == 1


def test_invalid_codice_fiscale_gets_an_italian_message_next_to_the_field(client, world):
    client.force_login(world.sofia)
    response = client.post(
        reverse("people:person-create", args=["valle"]), _person_data(tax_code="RSSMRA75D52F205X")
    )
    assert response.status_code == 200
    assert "tax_code" in response.context["form"].errors
    assert "codice fiscale" in response.content.decode()


def test_second_save_of_the_same_person_is_refused_and_keeps_what_was_typed(client, world):
    url = reverse("people:person-edit", args=["valle", world.maria.pk])
    client.force_login(world.sofia)
    form = client.get(url).context["form"]
    stale = {k: v for k, v in form.initial.items() if v is not None}
    stale["birth_date"] = world.maria.birth_date.isoformat()

    # A first save, made from a page opened on the same version, goes through.
    first = dict(stale, phone="+39 02 1111111")
    assert client.post(url, first).status_code == 302

    # The second save, started from that same version, is refused.
    second = dict(stale, phone="+39 02 2222222")
    response = client.post(url, second)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Qualcun altro ha salvato questa pagina" in body
    assert "+39 02 2222222" in body
    world.maria.refresh_from_db()
    assert world.maria.phone == "+39 02 1111111"


def test_people_list_filters_by_path_and_privacy(client, world):
    client.force_login(world.sofia)
    url = reverse("people:person-list", args=["valle"])
    with_path = client.get(url, {"path": "open"}).context["people"]
    assert list(with_path) == [world.maria]
    without_notice = client.get(url, {"privacy": "missing"}).context["people"]
    assert list(without_notice) == [world.giulia]


def test_people_list_filters_by_building(client, world):
    world.unit.building.neighbourhood.projects.add(world.a)
    client.force_login(world.sofia)
    url = reverse("people:person-list", args=["valle"])
    response = client.get(url, {"building": world.unit.building.pk})
    assert set(response.context["people"]) == {world.maria, world.giulia}
    other = f.BuildingFactory(neighbourhood=world.unit.building.neighbourhood)
    assert list(client.get(url, {"building": other.pk}).context["people"]) == []


def test_partner_operator_gets_no_filters(client, world):
    client.force_login(world.paolo)
    response = client.get(reverse("people:person-list", args=["valle"]), {"path": "open"})
    assert response.context["filter"] is None
    rows = list(response.context["people"])
    assert [row["pk"] for row in rows] == [world.maria.pk]
    # The rows the template receives carry name and contact only, decided by the view.
    assert set(rows[0]) == {"pk", "first_name", "last_name", "phone", "email", "has_privacy_notice"}


def test_partner_operator_receives_a_person_without_sensitive_fields(client, world):
    client.force_login(world.paolo)
    response = client.get(reverse("people:person-detail", args=["valle", world.maria.pk]))
    person = response.context["person"]
    assert not hasattr(person, "tax_code") and not hasattr(person, "birth_date")
    assert (person.pk, person.phone) == (world.maria.pk, world.maria.phone)
    assert world.maria.tax_code not in response.content.decode()


def test_a_child_born_after_2019_has_a_valid_codice_fiscale(world):
    import datetime as dt

    child = Person(
        first_name="Leo",
        last_name="Ferri",
        sex="M",
        birth_date=dt.date(2021, 3, 1),
        tax_code=f.make_tax_code(999, dt.date(2021, 3, 1), "M"),
    )
    child.full_clean()  # no "nato nel 1921" error
    old = Person(
        first_name="Ada",
        last_name="Neri",
        sex="F",
        birth_date=dt.date(1921, 3, 1),
        tax_code=f.make_tax_code(998, dt.date(1921, 3, 1), "F"),
    )
    old.full_clean()


def test_a_duplicate_codice_fiscale_typed_in_lower_case_with_spaces_is_a_form_error(client, world):
    client.force_login(world.sofia)
    typed = " ".join(world.maria.tax_code.lower()[i : i + 4] for i in range(0, 16, 4))
    data = _person_data(
        first_name="Maria",
        last_name="Rossi",
        birth_date="1975-04-12",
        tax_code=typed,
        not_a_duplicate="on",
    )
    response = client.post(reverse("people:person-create", args=["valle"]), data)
    assert response.status_code == 200
    assert Person.objects.filter(tax_code=world.maria.tax_code).count() == 1


def test_same_codice_fiscale_in_the_project_links_the_existing_record(client, world):
    client.force_login(world.sofia)
    data = _person_data(
        first_name="Maria",
        last_name="Rossi",
        birth_date="1975-04-12",
        tax_code=world.maria.tax_code,
    )
    response = client.post(reverse("people:person-create", args=["valle"]), data)
    assert response.context["same_code"] == [world.maria]
    assert reverse("people:person-detail", args=["valle", world.maria.pk]) in response.text


def _maria_typed_in_borgo(world, **overrides):
    return _person_data(
        first_name="rossi",  # swapped and in lower case: still the same person
        last_name="MARIA",
        birth_date="1975-04-12",
        tax_code=world.maria.tax_code.lower(),
        **overrides,
    )


def test_a_person_followed_by_another_project_is_enrolled_not_duplicated(client, world):
    client.force_login(world.bruno)
    url = reverse("people:person-create", args=["borgo"])
    response = client.post(url, _maria_typed_in_borgo(world))
    assert response.status_code == 200
    assert response.context["known_elsewhere"] is True
    assert "Iscrivi la persona a questo progetto" in response.text
    assert "Valle" not in response.text  # the other project is not named
    assert not Registration.objects.filter(project=world.b, person=world.maria).exists()

    response = client.post(url, _maria_typed_in_borgo(world, enrol_existing="1"))
    assert response.status_code == 302
    assert response.url == reverse("people:person-detail", args=["borgo", world.maria.pk])
    assert Person.objects.filter(tax_code=world.maria.tax_code).count() == 1
    assert Registration.objects.filter(project=world.b, person=world.maria).exists()
    logged = SensitiveAccess.objects.get(user=world.bruno, person=world.maria)
    assert logged.project == world.b
    # Valle's paths and case notes stay Valle's.
    detail = client.get(response.url)
    assert detail.status_code == 200
    assert not Path.objects.filter(project=world.b, person=world.maria).exists()
    assert world.maria.case_notes.get().text not in detail.text
    assert "VAL-001" not in detail.text  # Valle's household stays Valle's


def test_a_wrong_name_or_birth_date_reveals_nothing_and_enrols_nobody(client, world):
    client.force_login(world.bruno)
    url = reverse("people:person-create", args=["borgo"])
    for wrong in ({"first_name": "Anna"}, {"birth_date": "1975-04-13"}):
        data = {**_maria_typed_in_borgo(world, enrol_existing="1"), **wrong}
        response = client.post(url, data)
        assert response.status_code == 200
        assert "known_elsewhere" not in response.context
        assert response.context["form"].errors["tax_code"]
    assert not Registration.objects.filter(project=world.b, person=world.maria).exists()
    assert not SensitiveAccess.objects.filter(user=world.bruno).exists()


CONFIRM = "Ho controllato: non è nessuna delle persone simili"


def test_the_not_a_duplicate_confirmation_shows_only_under_similar_people(client, world):
    client.force_login(world.sofia)
    url = reverse("people:person-create", args=["valle"])
    assert CONFIRM not in client.get(url).content.decode()
    refused = client.post(url, _person_data(birth_date="abc"))
    assert refused.status_code == 200 and CONFIRM not in refused.content.decode()
    similar = client.post(
        url, _person_data(first_name="Maria", last_name="Rossi", birth_date="1975-04-12")
    )
    assert world.maria in similar.context["duplicates"]
    assert CONFIRM in similar.content.decode()


def test_a_birth_date_in_the_future_or_over_120_years_ago_is_refused(client, world):
    import datetime as dt

    from django.utils import timezone

    client.force_login(world.sofia)
    url = reverse("people:person-create", args=["valle"])
    today = timezone.localdate()
    for typed, message in [
        (today + dt.timedelta(days=1), "La data di nascita non può essere nel futuro."),
        ("2031-05-05", "La data di nascita non può essere nel futuro."),
        (
            dt.date(today.year - 121, 1, 1),
            "La data di nascita è di più di 120 anni fa: controllarla.",
        ),
    ]:
        response = client.post(url, _person_data(birth_date=str(typed)))
        assert response.status_code == 200
        assert response.context["form"].errors == {"birth_date": [message]}, typed
    assert not Person.objects.filter(last_name="Colombo").exists()
    assert client.post(url, _person_data(birth_date=str(today))).status_code == 302


def test_citizenship_is_chosen_from_countries_in_italian_stored_as_the_code(client, world):
    client.force_login(world.sofia)
    url = reverse("people:person-create", args=["valle"])
    page = client.get(url).content.decode()
    assert '<option value="IT" selected>Italia</option>' in page
    assert '<option value="MA">Marocco</option>' in page
    assert '<option value="EG">Egitto</option>' in page
    response = client.post(url, _person_data(citizenship="italiana"))
    assert response.status_code == 200 and "citizenship" in response.context["form"].errors
    response = client.post(url, _person_data(citizenship="EG"))
    person = Person.objects.get(last_name="Colombo")
    assert Person.objects.filter(pk=person.pk, citizenship="EG").exists()
    detail = client.get(reverse("people:person-detail", args=["valle", person.pk]))
    assert "Egitto" in detail.content.decode()


def test_stored_citizenship_text_is_mapped_to_iso_codes_by_the_migration(world):
    """What the browser cut to two letters: a code in capitals stays, the start of an
    Italian word naming one country is mapped, an ambiguous or unknown one is emptied."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("beneficiaries.migrations.0008_citizenship_to_iso_codes")
    stored = {"IT": "IT", "it": "IT", "eg": "EG", "MA": "MA", "ru": "", "ma": "", "zz": "", "": ""}
    people = {}
    for n, value in enumerate(stored):
        person = f.PersonFactory(last_name=f"Migrata{n}")
        Person.objects.filter(pk=person.pk).update(citizenship=value)
        people[person.pk] = value
    migration.to_iso(apps, None)
    after = dict(Person.objects.filter(pk__in=people).values_list("pk", "citizenship"))
    assert {people[pk]: after[pk] for pk in people} == stored
