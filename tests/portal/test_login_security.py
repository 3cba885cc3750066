"""Login, lockout, session expiry and security headers."""

import re

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD


def _login_post(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_page_is_italian_and_logs_in(client, world):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Accedi" in page.content.decode()
    response = _login_post(client, "alice", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_wrong_password_shows_italian_error(client, world):
    response = _login_post(client, "alice", "sbagliata-0000")
    assert response.status_code == 200
    assert "non corretti" in response.content.decode()


def test_lockout_after_configured_failures(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login_post(client, "alice", "sbagliata-0000")
    # Even the right password is refused now, with the lockout page.
    response = _login_post(client, "alice", PASSWORD)
    assert response.status_code == 429
    assert "bloccat" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_fewer_failures_than_the_limit_do_not_lock(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login_post(client, "alice", "sbagliata-0000")
    assert _login_post(client, "alice", PASSWORD).status_code == 302


def test_session_expires_after_inactivity(client, world, settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(world.alice)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    assert session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 1800
    # Simulate 31 minutes of inactivity: the stored session is past its expiry.
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    stored = Session.objects.get(session_key=session.session_key)
    stored.expire_date = timezone.now() - timezone.timedelta(seconds=1)
    stored.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logout_is_a_post_and_ends_the_session(client, world):
    client.force_login(world.alice)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_password_reset_sends_an_italian_mail(client, world, mailoutbox):
    world.alice.email = "alice@comune.example.it"
    world.alice.save()
    response = client.post(reverse("password_reset"), {"email": "alice@comune.example.it"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "password" in mailoutbox[0].body.lower()


def test_password_validators_refuse_a_weak_password(client, world):
    client.force_login(world.alice)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "troppo corta" in body or "troppo comune" in body


HTML_PAGES = [
    ("login", None, {}),
    ("home", "alice", {}),
    ("reporting:dashboard", "alice", {"project": "valle"}),
    ("people:person-list", "sofia", {"project": "valle"}),
    ("people:person-detail", "paolo", {"project": "valle", "pk": "maria"}),
    ("reporting:audit-log", "alice", {"project": "valle"}),
]


@pytest.mark.parametrize("name,user,kwargs", HTML_PAGES)
def test_html_responses_carry_csp_and_no_inline_script(client, world, name, user, kwargs):
    if user:
        client.force_login(getattr(world, user))
    kwargs = {k: (getattr(world, v).pk if k == "pk" else v) for k, v in kwargs.items()}
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    # every <script> has a src, and no element carries an inline handler or style
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
    assert not re.search(r"\son[a-z]+\s*=", body)
    assert not re.search(r"\sstyle\s*=", body)


def test_session_and_csrf_cookies_are_httponly(client, world):
    response = _login_post(client, "alice", PASSWORD)
    assert response.cookies["sessionid"]["httponly"]


def test_production_settings_secure_cookies_and_hsts():
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY="x" * 64,
        ALLOWED_HOSTS="quartieri.example.it",
        DATABASE_URL="postgres://quartieri@127.0.0.1:5432/quartieri",
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "True", "True", "True", "False"]
