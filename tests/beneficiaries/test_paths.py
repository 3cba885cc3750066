"""Individual paths: open with the ESF profile, close with the outcome, 6-month follow-up."""

from django.urls import reverse

from beneficiaries.models import Path


def _open(client, world, person, **overrides):
    data = {
        "axis": world.axis.pk,
        "entry_date": "2019-04-01",
        "planned_hours": "60",
        "labour_status": "unemployed",
        "unemployment_months": "14",
        "education_level": "2",
        "jobless_household": "true",
        "dependent_children": "false",
        "single_adult_household": "",
        "homeless_or_housing_exclusion": "false",
        "foreign_background": "declined",
        "disability": "no",
        "other_disadvantage": "",
    }
    data.update(overrides)
    return client.post(reverse("paths:path-create", args=["valle", person.pk]), data)


def test_open_a_path_with_the_esf_profile(client, world):
    client.force_login(world.sofia)
    response = _open(client, world, world.giulia)
    assert response.status_code == 302
    path = Path.objects.get(person=world.giulia)
    assert (
        path.labour_status,
        path.unemployment_months,
        path.jobless_household,
        path.single_adult_household,
        path.foreign_background,
    ) == ("unemployed", 14, True, None, "declined")
    assert path.tutor == world.sofia


def test_the_form_explains_the_esf_fields_in_italian(client, world):
    client.force_login(world.sofia)
    page = client.get(reverse("paths:path-create", args=["valle", world.giulia.pk]))
    body = page.content.decode()
    assert "dichiarazione" in body.lower() or "DID" in body
    assert "Domanda facoltativa" in body


def test_a_second_path_in_the_same_project_is_refused_not_a_500(client, world):
    client.force_login(world.sofia)
    response = _open(client, world, world.maria)
    assert response.status_code == 200
    assert "ha già un percorso" in response.content.decode()


def test_unemployment_months_for_an_employed_person_is_refused(client, world):
    client.force_login(world.sofia)
    response = _open(client, world, world.giulia, labour_status="employed")
    assert response.status_code == 200
    assert "unemployment_months" in response.context["form"].errors


def test_close_then_follow_up(client, world):
    client.force_login(world.sofia)
    exit_url = reverse("paths:path-exit", args=["valle", world.path.pk])
    version = client.get(exit_url).context["form"].initial["version"]
    response = client.post(
        exit_url,
        {
            "exit_date": "2019-10-31",
            "exit_reason": "completed",
            "exit_employed": "true",
            "version": version,
        },
    )
    assert response.status_code == 302
    follow_url = reverse("paths:path-followup", args=["valle", world.path.pk])
    version = client.get(follow_url).context["form"].initial["version"]
    client.post(
        follow_url, {"followup_date": "2020-04-30", "followup_employed": "true", "version": version}
    )
    world.path.refresh_from_db()
    assert (
        str(world.path.exit_date),
        world.path.exit_employed,
        str(world.path.followup_date),
        world.path.followup_employed,
    ) == ("2019-10-31", True, "2020-04-30", True)


def test_exit_before_entry_is_refused_next_to_the_field(client, world):
    client.force_login(world.sofia)
    url = reverse("paths:path-exit", args=["valle", world.path.pk])
    version = client.get(url).context["form"].initial["version"]
    response = client.post(
        url, {"exit_date": "2018-01-01", "exit_reason": "completed", "version": version}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["exit_date"] == [
        "L'uscita non può precedere l'ingresso."
    ]
