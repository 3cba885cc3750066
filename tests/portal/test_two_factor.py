"""Two-factor authentication for password logins of project leads and administrators
(docs/access.md, "Two-factor authentication"), tested with REQUIRE_TWO_FACTOR on: the
enrolment with a QR code drawn by the portal, a right and a wrong code, recovery codes
that work once, the lock shared with the password failures, and the roles never asked."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from tests.conftest import PASSWORD

OFFICE = "198.51.100.1"


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.REQUIRE_TWO_FACTOR = True


def login(client, username, password=PASSWORD, ip=OFFICE):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def code_for(key: str, shift: int = 0) -> str:
    """The code an authenticator app shows now for the key (shifted: a wrong one)."""
    return f"{(totp(bytes.fromhex(key)) + shift) % 1_000_000:06d}"


def verify(client, token, ip=OFFICE):
    return client.post(reverse("two_factor:verify"), {"token": token}, REMOTE_ADDR=ip)


def app_of(user) -> str:
    """An authenticator app already set up for the user; its key."""
    key = random_hex(20)
    TOTPDevice.objects.create(user=user, name="Quartieri", key=key, confirmed=True)
    return key


def held_at_the_door(client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 302 and response["Location"].startswith("/accounts/verifica/")


def test_a_lead_without_an_app_is_sent_to_enrolment_and_enrols_with_the_qr_code(client, world):
    response = login(client, "alice")
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("two_factor:enrol"))

    page = client.get(home["Location"])
    html = page.content.decode()
    # The QR code is an <svg> in the page, drawn by the portal: no image from elsewhere,
    # and the strict Content-Security-Policy is unchanged.
    assert re.search(r'<div role="img" aria-label="[^"]+"><svg [^>]*><path d="M', html)
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    key = client.session["two_factor_enrol_key"]
    assert page.context["secret"].replace(" ", "")  # typed by hand when scanning fails

    wrong = client.post(home["Location"], {"token": code_for(key, shift=1)})
    assert wrong.status_code == 200
    assert "Il codice non corrisponde" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=world.alice).exists()

    done = client.post(home["Location"], {"token": code_for(key)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=world.alice).confirmed
    # Enrolled and verified: the portal opens.
    assert client.get(reverse("home")).status_code == 200
    # The codes are shown once: the enrolment page, now, is a new set-up, not the codes.
    assert not any(c in client.get(reverse("two_factor:enrol")).content.decode() for c in codes)


def test_a_lead_with_an_app_gives_its_code_after_the_password(client, world):
    key = app_of(world.alice)
    login(client, "alice")
    assert held_at_the_door(client)
    # Every other page is closed too, and the enrolment cannot replace the app.
    assert client.get(reverse("reporting:dashboard", args=["valle"])).status_code == 302
    assert client.get(reverse("two_factor:enrol"))["Location"].startswith("/accounts/verifica/")

    wrong = verify(client, code_for(key, shift=7))
    assert wrong.status_code == 200
    assert "Codice non valido" in wrong.content.decode()
    assert held_at_the_door(client)

    right = client.post(
        reverse("two_factor:verify"), {"token": code_for(key), "next": "/programmi/"}
    )
    assert right.status_code == 302 and right["Location"] == "/programmi/"
    assert client.get(reverse("home")).status_code == 200


def test_a_code_is_refused_in_italian_next_to_the_field(client, world):
    app_of(world.alice)
    login(client, "alice")
    for bad, message in [
        ("", "Scrivi il codice."),
        ("12\x0034", "null non sono ammessi"),
        ("12 ab!", "solo cifre e lettere"),
    ]:
        response = verify(client, bad)
        assert response.status_code == 200
        html = response.content.decode()
        assert message in html
        assert re.search(
            r'<input [^>]*name="token"[^>]*is-invalid|is-invalid[^>]*name="token"', html
        )
    # Bad input is not a wrong code: it counts no failure.
    assert not AccessAttempt.objects.exists()


def test_a_recovery_code_works_once(client, world):
    # Enrol through the page to get the codes, as the lead does.
    client.force_login(world.alice)
    client.get(reverse("two_factor:enrol"))
    key = client.session["two_factor_enrol_key"]
    page = client.post(reverse("two_factor:enrol"), {"token": code_for(key)})
    first, second = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())[:2]
    client.post(reverse("logout"))

    login(client, "alice")
    assert verify(client, first.upper()).status_code == 302  # as typed from the print-out
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    login(client, "alice")
    again = verify(client, first)
    assert again.status_code == 200 and "già usato" in again.content.decode()
    assert held_at_the_door(client)
    assert verify(client, second).status_code == 302
    assert StaticToken.objects.filter(device__user=world.alice).count() == 8


def test_wrong_codes_lock_like_wrong_passwords(client, world, settings):
    key = app_of(world.alice)
    login(client, "alice")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert verify(client, code_for(key, shift=3)).status_code == 200
    locked = verify(client, code_for(key, shift=3))
    assert locked.status_code == 429
    assert "Accesso bloccato" in locked.content.decode()
    # The session is over, and the username is locked for the password too.
    assert "_auth_user_id" not in client.session
    again = login(client, "alice")
    assert again.status_code == 429
    assert AccessAttempt.objects.filter(username="alice").exists()


def test_a_stolen_password_does_not_reset_the_count_of_wrong_codes(client, world, settings):
    """Whoever has alice's password but not her phone: signing in again with the password
    between guesses does not clear the failures, so the guesses still run out."""
    key = app_of(world.alice)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "alice", ip="203.0.113.9")
        verify(client, code_for(key, shift=5), ip="203.0.113.9")
        client.post(reverse("logout"))
    login(client, "alice", ip="203.0.113.9")
    assert verify(client, code_for(key, shift=5), ip="203.0.113.9").status_code == 429


def test_the_right_code_forgives_the_users_own_typos(client, world, settings):
    key = app_of(world.alice)
    login(client, "alice")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        verify(client, code_for(key, shift=2))
    assert verify(client, code_for(key)).status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()


@pytest.mark.parametrize("username", ["sofia", "paolo", "rita", "olga"])
def test_social_workers_partners_and_the_region_are_never_asked(client, world, username):
    assert login(client, username).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert not TOTPDevice.objects.exists()


def test_the_admin_site_requires_the_second_factor(client, world):
    login(client, "admin")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor:enrol"))
    key = app_of(world.admin)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two_factor:verify"))
    verify(client, code_for(key))
    assert client.get("/admin/").status_code == 200


def test_with_the_requirement_off_a_lead_signs_in_with_the_password_only(client, world, settings):
    """Development and the demo (make run): REQUIRE_TWO_FACTOR off."""
    settings.REQUIRE_TWO_FACTOR = False
    app_of(world.alice)
    login(client, "alice")
    assert client.get(reverse("home")).status_code == 200
