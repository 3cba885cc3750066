"""Login throttling (docs/access.md, "Login and session"): one address trying many
usernames and many addresses trying one username are both stopped after five failures;
the suspension lasts 15 minutes and a stranger cannot prolong it; a successful login
forgives only its own username's failures; a new password lifts the username's lock."""

import datetime as dt
import re

from axes.models import AccessAttempt, AccessFailureLog
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

WRONG = "sbagliata-0000"


def login(client, username, password, ip):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def fail(client, username, ip, times=1):
    """Failed logins; the one that reaches the limit is already answered 429."""
    for _ in range(times):
        assert login(client, username, WRONG, ip).status_code in (200, 429)


def locked(response) -> bool:
    return response.status_code == 429 and "Accesso bloccato" in response.content.decode()


def minutes_pass(minutes):
    """Move every recorded failure back in time, as if ``minutes`` had passed."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(minutes=minutes)
        attempt.save()


def test_one_address_trying_many_usernames_is_stopped(client, world, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, f"nessuno{n}", "203.0.113.9")
    # The address is suspended, even for a real user with the right password...
    assert locked(login(client, "alice", PASSWORD, "203.0.113.9"))
    # ...and only that address: alice at her office signs in.
    assert login(client, "alice", PASSWORD, "198.51.100.1").status_code == 302


def test_many_addresses_trying_one_username_are_stopped(client, world, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "alice", f"203.0.113.{n + 1}")
    # The username is suspended from anywhere, her own address included...
    assert locked(login(client, "alice", PASSWORD, "198.51.100.1"))
    # ...and only that username: each of those addresses failed once, sofia signs in.
    assert login(client, "sofia", PASSWORD, "203.0.113.1").status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, world, settings):
    assert settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)
    fail(client, "alice", "203.0.113.9", times=settings.AXES_FAILURE_LIMIT)
    minutes_pass(14)
    response = login(client, "alice", PASSWORD, "198.51.100.1")
    assert locked(response)
    assert "sospeso per 15 minuti" in response.content.decode()
    minutes_pass(2)
    assert login(client, "alice", PASSWORD, "198.51.100.1").status_code == 302


def test_trying_again_while_locked_does_not_prolong_the_lock(client, world, settings):
    fail(client, "alice", "203.0.113.9", times=settings.AXES_FAILURE_LIMIT)
    minutes_pass(10)
    # The stranger keeps trying during the lock, from the same and from new addresses.
    for n in range(3):
        assert locked(login(client, "alice", WRONG, f"203.0.113.{n + 9}"))
    minutes_pass(6)
    assert login(client, "alice", PASSWORD, "198.51.100.1").status_code == 302


def test_a_successful_login_forgives_only_its_own_failures(client, world, settings):
    """paolo fails four times on alice's username, then signs in as himself from the same
    address: alice's failures stay counted, one more locks her username."""
    fail(client, "alice", "203.0.113.9", times=settings.AXES_FAILURE_LIMIT - 1)
    assert login(client, "paolo", PASSWORD, "203.0.113.9").status_code == 302
    client.post(reverse("logout"))
    fail(client, "alice", "192.0.2.50")
    assert locked(login(client, "alice", PASSWORD, "198.51.100.1"))


def test_a_successful_login_clears_the_users_own_typos(client, world, settings):
    fail(client, "alice", "198.51.100.1", times=settings.AXES_FAILURE_LIMIT - 1)
    assert login(client, "alice", PASSWORD, "198.51.100.1").status_code == 302
    client.post(reverse("logout"))
    fail(client, "alice", "198.51.100.1", times=settings.AXES_FAILURE_LIMIT - 1)
    assert login(client, "alice", PASSWORD, "198.51.100.1").status_code == 302


def test_every_failure_stays_in_the_failure_log(client, world, settings):
    fail(client, "alice", "203.0.113.9", times=2)
    assert login(client, "alice", PASSWORD, "203.0.113.9").status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert AccessFailureLog.objects.filter(username="alice").count() == 2


def test_a_new_password_by_mail_lifts_the_lock_of_the_username(client, world, settings):
    world.alice.email = "alice@comune.example.it"
    world.alice.save()
    fail(client, "alice", "203.0.113.9", times=settings.AXES_FAILURE_LIMIT)
    assert locked(login(client, "alice", PASSWORD, "198.51.100.1"))

    client.post(reverse("password_reset"), {"email": "alice@comune.example.it"})
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_url = client.get(link, REMOTE_ADDR="198.51.100.1")["Location"]
    new = "una-password-nuova-42"
    response = client.post(
        form_url,
        {"new_password1": new, "new_password2": new},
        REMOTE_ADDR="198.51.100.1",
    )
    assert response.status_code == 302
    assert login(client, "alice", new, "198.51.100.1").status_code == 302


@override_settings(TRUSTED_PROXY_IPS=["127.0.0.1"])
def test_behind_the_proxy_the_browsers_address_is_counted(client, world, settings):
    """Behind the reverse proxy every request comes from 127.0.0.1: the address counted is
    the one the proxy appended to X-Forwarded-For, whatever the client wrote before it."""

    def via_proxy(username, password, browser, claimed="10.9.9.9"):
        return client.post(
            reverse("login"),
            {"username": username, "password": password},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"{claimed}, {browser}",
        )

    for n in range(settings.AXES_FAILURE_LIMIT):
        via_proxy(f"nessuno{n}", WRONG, "203.0.113.9", claimed=f"10.0.0.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    assert locked(via_proxy("alice", PASSWORD, "203.0.113.9"))
    # Another browser behind the same proxy is not locked out with it.
    assert via_proxy("alice", PASSWORD, "198.51.100.1").status_code == 302
