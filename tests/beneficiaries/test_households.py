"""Households: create, members, moving, arrears, diario sociale — as a social worker does."""

from django.urls import reverse

from beneficiaries.models import ArrearsRecord, CaseNote, Household, HouseholdMember, Tenancy
from tests import factories as f


def _url(name, world, *args):
    return reverse(f"households:{name}", args=["valle", *args])


def _project_unit(world, code="A-101"):
    world.unit.building.neighbourhood.projects.add(world.a)
    return f.HousingUnitFactory(building=world.unit.building, owner_code=code)


def test_create_a_household_with_two_members(client, world):
    unit = _project_unit(world)
    client.force_login(world.sofia)
    response = client.post(
        _url("household-create", world),
        {
            "code": "VAL-002",
            "isee_band": "6000-9360",
            "isee_year": "2019",
            "unit": unit.pk,
            "moved_in": "2015-03-01",
        },
    )
    household = Household.objects.get(code="VAL-002")
    assert response["Location"] == _url("household-detail", world, household.pk)
    assert household.tenancies.get().unit == unit

    new_member = {
        "first_name": "Luca",
        "last_name": "Ferri",
        "birth_date": "1982-09-30",
        "sex": "M",
        "relation": "reference",
        "start_date": "2015-03-01",
    }
    assert client.post(_url("member-add", world, household.pk), new_member).status_code == 302
    child = {
        "first_name": "Sara",
        "last_name": "Ferri",
        "birth_date": "2012-01-15",
        "sex": "F",
        "relation": "child",
        "start_date": "2015-03-01",
    }
    assert client.post(_url("member-add", world, household.pk), child).status_code == 302
    members = household.members.select_related("person").order_by("person__first_name")
    assert [(m.person.first_name, m.relation) for m in members] == [
        ("Luca", "reference"),
        ("Sara", "child"),
    ]
    assert all(m.person.registrations.filter(project=world.a).exists() for m in members)


def test_a_person_already_in_a_household_cannot_join_another(client, world):
    other = f.HouseholdFactory(project=world.a, code="VAL-003")
    client.force_login(world.sofia)
    response = client.post(
        _url("member-add", world, other.pk),
        {"person": world.maria.pk, "relation": "other", "start_date": "2019-01-01"},
    )
    assert response.status_code == 200
    assert "fa già parte di un nucleo" in response.content.decode()
    assert not other.members.exists()


def test_member_form_asks_for_a_person_or_new_data(client, world):
    client.force_login(world.sofia)
    response = client.post(
        _url("member-add", world, world.household.pk),
        {"relation": "child", "start_date": "2019-01-01"},
    )
    assert "Scegliere una persona già registrata" in response.content.decode()
    response = client.post(
        _url("member-add", world, world.household.pk),
        {"first_name": "Pia", "relation": "child", "start_date": "2019-01-01"},
    )
    assert "Campo obbligatorio per una nuova persona." in response.content.decode()


def test_moving_closes_the_old_tenancy_and_opens_the_new(client, world):
    new_unit = _project_unit(world, "B-202")
    client.force_login(world.sofia)
    response = client.post(
        _url("household-move", world, world.household.pk),
        {"unit": new_unit.pk, "moved_on": "2019-06-01"},
    )
    assert response.status_code == 302
    tenancies = list(Tenancy.objects.filter(household=world.household).order_by("moved_in"))
    assert [(t.unit, str(t.moved_out)) for t in tenancies] == [
        (world.unit, "2019-05-31"),
        (new_unit, "None"),
    ]


def test_moving_before_the_current_move_in_is_refused_in_italian(client, world):
    new_unit = _project_unit(world, "B-203")
    client.force_login(world.sofia)
    response = client.post(
        _url("household-move", world, world.household.pk),
        {"unit": new_unit.pk, "moved_on": "2009-01-01"},
    )
    assert response.status_code == 200
    assert "La data del trasloco deve seguire" in response.content.decode()
    assert world.household.tenancies.get().moved_out is None


def test_member_leaves_the_household(client, world):
    member = world.household.members.get(person=world.giulia)
    client.force_login(world.sofia)
    client.post(
        _url("member-end", world, world.household.pk, member.pk), {"end_date": "2019-09-30"}
    )
    member.refresh_from_db()
    assert str(member.end_date) == "2019-09-30"
    # Now she may join another household.
    assert not HouseholdMember.objects.filter(person=world.giulia, end_date__isnull=True).exists()


def test_arrears_and_case_notes_are_recorded(client, world):
    client.force_login(world.sofia)
    client.post(
        _url("arrears-create", world, world.household.pk),
        {
            "recorded_on": "2019-06-30",
            "amount": "450.00",
            "repayment_plan": "on",
            "plan_monthly_amount": "50.00",
        },
    )
    assert ArrearsRecord.objects.filter(household=world.household, amount="450.00").exists()
    client.post(
        _url("household-note-create", world, world.household.pk),
        {"date": "2019-07-01", "text": "Colloquio sul piano di rientro"},
    )
    note = CaseNote.objects.get(text="Colloquio sul piano di rientro")
    assert (note.author, note.household, note.project) == (world.sofia, world.household, world.a)


def test_negative_arrears_get_an_italian_error_next_to_the_field(client, world):
    client.force_login(world.sofia)
    response = client.post(
        _url("arrears-create", world, world.household.pk),
        {"recorded_on": "2019-06-30", "amount": "-5"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert ArrearsRecord.objects.filter(household=world.household).count() == 1


def test_household_list_queries_do_not_grow_with_rows(client, world, django_assert_max_num_queries):
    client.force_login(world.sofia)
    url = _url("household-list", world)
    with django_assert_max_num_queries(15) as few:
        client.get(url)
    f.HouseholdFactory.create_batch(60, project=world.a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["households"]) == 50


def test_a_case_note_on_a_person(client, world):
    client.force_login(world.sofia)
    url = reverse("people:person-note-create", args=["valle", world.giulia.pk])
    assert client.post(url, {"date": "2019-03-03", "text": "Primo colloquio"}).status_code == 302
    note = CaseNote.objects.get(text="Primo colloquio")
    assert (note.person, note.author, note.project) == (world.giulia, world.sofia, world.a)
    response = client.post(url, {"date": "", "text": ""})
    assert response.status_code == 200 and set(response.context["form"].errors) == {"date", "text"}


def test_an_occupied_flat_is_not_offered_and_is_refused_next_to_the_field(client, world):
    free = _project_unit(world)  # world.unit, in the same building, is Maria's household's
    client.force_login(world.sofia)
    form = client.get(_url("household-create", world)).context["form"]
    assert list(form.fields["unit"].queryset) == [free]
    data = {"code": "VAL-002", "unit": world.unit.pk, "moved_in": "2019-03-01"}
    response = client.post(_url("household-create", world), data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["unit"]
    assert not Household.objects.filter(code="VAL-002").exists()


def test_a_flat_taken_after_the_form_was_checked_is_refused_next_to_the_field(
    client, world, monkeypatch
):
    """The service's own check (the form saw the flat free, another household moved in
    meanwhile) is shown on the field, not as a 500."""
    from beneficiaries.households import forms

    _project_unit(world)
    monkeypatch.setattr(forms, "free_units", forms.project_units)
    client.force_login(world.sofia)
    data = {"code": "VAL-002", "unit": world.unit.pk, "moved_in": "2019-03-01"}
    response = client.post(_url("household-create", world), data)
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [
        "L'alloggio scelto risulta occupato da un altro nucleo."
    ]
    assert not Household.objects.filter(code="VAL-002").exists()


def test_a_household_code_already_used_is_refused_in_italian_next_to_the_code(client, world):
    client.force_login(world.sofia)
    response = client.post(_url("household-create", world), {"code": "VAL-001"})
    assert response.status_code == 200
    message = "Il codice VAL-001 è già usato da un altro nucleo del progetto."
    assert response.context["form"].errors == {"code": [message]}
    assert Household.objects.filter(code="VAL-001").count() == 1
    # The same code in another project is fine.
    f.HouseholdFactory(project=world.b, code="VAL-009")
    assert client.post(_url("household-create", world), {"code": "VAL-009"}).status_code == 302
    # Renaming a household to a code in use: refused the same way; its own code is fine.
    other = Household.objects.get(project=world.a, code="VAL-009")
    edit = _url("household-edit", world, other.pk)
    response = client.post(edit, {"code": "VAL-001", "version": other.version})
    assert response.context["form"].errors == {"code": [message]}
    assert client.post(edit, {"code": "VAL-009", "version": other.version}).status_code == 302


def test_a_second_arrears_record_for_the_same_date_is_refused_next_to_the_date(client, world):
    client.force_login(world.sofia)
    response = client.post(
        _url("arrears-create", world, world.household.pk),
        {"recorded_on": "2019-01-31", "amount": "100.00"},  # the world has one on that day
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "recorded_on": ["Per questa data c'è già una situazione di morosità del nucleo."]
    }
    assert ArrearsRecord.objects.filter(household=world.household).count() == 1


def test_the_member_picker_searches_and_tells_namesakes_apart(client, world):
    import datetime as dt

    from beneficiaries.models import Registration

    twins = [
        f.PersonFactory(first_name="Ahmed", last_name="Abdelrahman", birth_date=dt.date(y, 3, 1))
        for y in (1980, 1992)
    ]
    for person in twins:
        Registration.objects.create(
            project=world.a, person=person, registered_on=world.a.start_date
        )
    f.PersonFactory(first_name="Ahmed", last_name="Abdelrahman")  # not of Valle
    household = f.HouseholdFactory(project=world.a, code="VAL-003")
    url = _url("member-add", world, household.pk)
    client.force_login(world.sofia)

    form = client.get(url).context["form"]
    assert form.fields["person"].widget.choices == []  # nothing offered before a search

    def offered(search):
        form = client.get(url, {"cerca": search}).context["form"]
        return [value for value, _label in form.fields["person"].widget.choices]

    assert offered("ahmed abdelrahman") == [twins[0].pk, twins[1].pk]
    assert offered("abdelrahman 1992") == [twins[1].pk]
    assert offered(twins[0].tax_code.lower()) == [twins[0].pk]
    assert offered("rossi") == []  # Maria lives in a household already: shown, not offered
    assert "Rossi Maria (1975)" in client.get(url, {"cerca": "rossi"}).content.decode()

    page = client.get(url, {"cerca": "abdelrahman"}).content.decode()
    code = twins[1].tax_code
    assert f"Abdelrahman Ahmed, nato/a nel 1992, CF {code[:6]}••••••{code[-4:]}" in page
    assert code not in page  # the whole code is not shown

    data = {"person": twins[1].pk, "relation": "reference", "start_date": "2019-01-01"}
    assert client.post(f"{url}?cerca=abdelrahman", data).status_code == 302
    assert household.members.get().person == twins[1]
