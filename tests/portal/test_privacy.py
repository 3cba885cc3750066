"""Partner operators never receive a sensitive field; regional officers no personal data.

Every page and export a partner operator (paolo) or a regional officer (rita) can open,
taken from the authorization matrix, is fetched and its bytes searched for the sensitive
values of the test world: PDF text is extracted, XLSX sheets unzipped.
"""

import io
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import SECRET_ARREARS_NOTE, SECRET_CASE_NOTE, SECRET_HOUSEHOLD_NOTE
from tests.portal.test_authorization import MATRIX


def response_text(response) -> str:
    content_type = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if content_type.startswith("application/pdf") or body.startswith(b"%PDF"):
        try:
            return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
        except Exception:
            return body.decode("latin-1")
    if "spreadsheetml" in content_type:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml")
            )
    return body.decode("utf-8", errors="replace")


def sensitive_values(world) -> list[str]:
    maria = world.maria
    return [
        SECRET_CASE_NOTE,
        SECRET_ARREARS_NOTE,
        SECRET_HOUSEHOLD_NOTE,
        "9876",
        "9.876",  # arrears amount in any format
        maria.tax_code,
        maria.birth_date.strftime("%d/%m/%Y"),
        maria.birth_date.isoformat(),
        "fino a € 6.000",  # ISEE band
        "disabilit",
        "Disabilit",
        world.household.code,
        world.giulia.last_name,  # a person of the project not enrolled with the partner
    ]


def personal_values(world) -> list[str]:
    return sensitive_values(world) + [world.maria.last_name, world.maria.phone, world.maria.email]


# Pages that show the ESF output indicators summed over projects: their labels name the
# disadvantages counted (CO16 "con disabilità"), which is a count, not anyone's data.
ESF_TABLE_PAGES = {"programmes:programme"}


def pages_for(user: str):
    for name, (build, expected) in sorted(MATRIX.items()):
        if ":" in name and expected[user] == 200:
            yield name, build


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_partner_export_has_names_and_contacts_only(client, full_world, fmt):
    client.force_login(full_world.paolo)
    response = client.get(reverse("people:person-export", args=["valle", fmt]))
    text = response_text(response)
    assert full_world.maria.last_name in text and full_world.maria.phone in text
    for value in sensitive_values(full_world):
        assert value not in text, value


def test_partner_pages_and_exports_never_contain_sensitive_values(client, full_world):
    client.force_login(full_world.paolo)
    checked = 0
    for name, build in pages_for("paolo"):
        kwargs = build(full_world)
        urls = [reverse(name, kwargs=kwargs)]
        if name == "people:person-export":
            urls = [reverse(name, kwargs={**kwargs, "fmt": f}) for f in ("csv", "xlsx")]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            text = response_text(response)
            for value in sensitive_values(full_world):
                assert value not in text, (url, value)
            checked += 1
    assert checked >= 9


def test_partner_sees_maria_because_she_is_enrolled(client, full_world):
    """The check above is meaningful: the partner's pages do show Maria's name."""
    client.force_login(full_world.paolo)
    page = client.get(reverse("people:person-list", args=["valle"])).content.decode()
    assert "Rossi" in page and "Bianchi" not in page


def test_regional_officer_receives_no_personal_data(client, full_world):
    client.force_login(full_world.rita)
    checked = 0
    for name, build in pages_for("rita"):
        response = client.get(reverse(name, kwargs=build(full_world)))
        text = response_text(response)
        for value in personal_values(full_world):
            if name in ESF_TABLE_PAGES and value in ("disabilit", "Disabilit"):
                continue  # the indicator's name (CO16, participants with disabilities)
            assert value not in text, (name, value)
        checked += 1
    assert checked >= 3


def test_staff_do_see_the_sensitive_values(client, full_world):
    """Guard against a vacuous privacy test: the values are on the social worker's pages."""
    client.force_login(full_world.sofia)
    page = client.get(reverse("people:person-detail", args=["valle", full_world.maria.pk]))
    text = page.content.decode()
    assert SECRET_CASE_NOTE in text and full_world.maria.tax_code in text
    household = client.get(
        reverse("households:household-detail", args=["valle", full_world.household.pk])
    ).content.decode()
    assert "9.876,54" in household or "9876,54" in household
    assert SECRET_ARREARS_NOTE in household


def _register(client, world):
    return client.get(reverse("registers:register-edit", args=["valle", world.session.pk]))


def test_register_offers_only_people_the_partner_may_see(client, full_world):
    client.force_login(full_world.paolo)
    form = _register(client, full_world).context["form"]
    assert list(form.fields["present"].queryset) == [full_world.maria]
    # Posting someone outside the scope is refused as an invalid choice, not saved.
    response = client.post(
        reverse("registers:register-edit", args=["valle", full_world.session.pk]),
        {
            "token": form.initial["token"],
            "version": full_world.session.version,
            "head_count": "0",
            "present": [full_world.maria.pk, full_world.carla.pk],
        },
    )
    assert response.status_code == 200
    assert "present" in response.context["form"].errors
    assert not full_world.session.attendances.filter(person=full_world.carla).exists()


def test_register_for_lead_offers_all_project_people(client, full_world):
    client.force_login(full_world.alice)
    choices = set(_register(client, full_world).context["form"].fields["present"].queryset)
    assert choices == {full_world.maria, full_world.giulia}
