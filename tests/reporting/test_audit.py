"""History rows on edit, the sensitive-access log, and the lead's view of both."""

from django.urls import reverse

from beneficiaries.models import SensitiveAccess


def test_editing_a_person_writes_a_history_row_with_who_old_and_new(client, world):
    client.force_login(world.sofia)
    maria = world.maria
    before = maria.history.count()
    url = reverse("people:person-edit", args=["valle", maria.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["birth_date"] = maria.birth_date.isoformat()
    data["phone"] = "+39 02 1234567"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert maria.history.count() == before + 1
    latest, previous = maria.history.all()[:2]
    assert latest.history_user == world.sofia
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("phone", world.maria.phone, "+39 02 1234567")
    ]


def test_opening_a_sensitive_page_is_logged_and_the_lead_reads_it(client, world):
    client.force_login(world.sofia)
    client.get(reverse("people:person-detail", args=["valle", world.maria.pk]))
    access = SensitiveAccess.objects.get()
    assert (access.user, access.person, access.project) == (world.sofia, world.maria, world.a)

    client.force_login(world.alice)
    page = client.get(reverse("reporting:audit-log", args=["valle"])).content.decode()
    assert "sofia" in page and "Rossi Maria" in page


def test_partner_viewing_names_is_not_a_sensitive_access(client, world):
    client.force_login(world.paolo)
    client.get(reverse("people:person-detail", args=["valle", world.maria.pk]))
    assert not SensitiveAccess.objects.exists()


def test_lead_sees_changes_of_their_project_only(client, world):
    carla = world.carla  # a person of project B
    carla.phone = "+39 333 0000000"
    carla.save()
    client.force_login(world.alice)
    page = client.get(reverse("reporting:audit-log", args=["valle"])).content.decode()
    assert f"#{world.maria.pk}" in page
    assert f"persona #{carla.pk}<" not in page


def test_consent_missing_is_flagged_on_the_person_page(client, world):
    client.force_login(world.sofia)
    giulia = client.get(reverse("people:person-detail", args=["valle", world.giulia.pk]))
    assert "Informativa privacy mancante" in giulia.content.decode()
    maria = client.get(reverse("people:person-detail", args=["valle", world.maria.pk]))
    assert "Informativa privacy" not in maria.content.decode().split("<h1>")[1].split("</h1>")[0]


def test_recording_a_consent_clears_the_flag(client, world):
    client.force_login(world.sofia)
    url = reverse("people:consent-create", args=["valle", world.giulia.pk])
    response = client.post(url, {"purpose": "privacy_notice", "signed_on": "2019-02-01"})
    assert response.status_code == 302
    page = client.get(reverse("people:person-detail", args=["valle", world.giulia.pk]))
    assert "Informativa privacy mancante" not in page.content.decode()
    assert world.giulia.consents.get().recorded_by == world.sofia


def test_consent_with_expiry_before_signature_is_refused_in_italian(client, world):
    client.force_login(world.sofia)
    url = reverse("people:consent-create", args=["valle", world.giulia.pk])
    response = client.post(
        url, {"purpose": "privacy_notice", "signed_on": "2019-02-01", "expires_on": "2019-01-01"}
    )
    assert response.status_code == 200
    assert "La scadenza non può precedere la firma." in response.content.decode()
    assert not world.giulia.consents.exists()
    assert 'value="2019-02-01"' in response.content.decode()  # what was typed is kept
