"""Production settings, health endpoint and structured logs."""

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.urls import reverse

from config.logging import JsonFormatter

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "quartieri.example.it",
    "DATABASE_URL": "postgres://quartieri:secret@db.internal:5432/quartieri",
    "EMAIL_HOST": "smtp.example.it",
    "EMAIL_PORT": "465",
    "DEFAULT_FROM_EMAIL": "Quartieri <portale@example.it>",
}


def run_manage(*args, **env_changes):
    # Test-only switches of the parent process (browser tests) are not production's.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in PROD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PROD_ENV)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_come_from_the_environment():
    code = (
        "from django.conf import settings as s; import json; d = s.DATABASES['default'];"
        "print(json.dumps([s.DEBUG, s.ALLOWED_HOSTS, d['ENGINE'], d['HOST'], d['NAME'],"
        " d['CONN_HEALTH_CHECKS'], s.EMAIL_HOST, s.EMAIL_PORT, s.DEFAULT_FROM_EMAIL,"
        " s.LOGGING['formatters']['json']['()']]))"
    )
    result = run_manage("shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        False,
        ["quartieri.example.it"],
        "django.db.backends.postgresql",
        "db.internal",
        "quartieri",
        True,
        "smtp.example.it",
        465,
        "Quartieri <portale@example.it>",
        "config.logging.JsonFormatter",
    ]


@pytest.mark.parametrize(
    ("setting", "expected"),
    [(None, "-c random_page_cost=1.1"), ("2", "-c random_page_cost=2.0"), ("", None)],
)
def test_postgresql_connections_get_the_planner_cost_of_memory_and_ssd(setting, expected):
    code = (
        "from django.conf import settings as s;"
        "print(s.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    )
    result = run_manage("shell", "-c", code, PG_RANDOM_PAGE_COST=setting)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(expected)


@pytest.mark.postgresql
@pytest.mark.django_db
def test_the_planner_cost_reaches_the_database():
    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


@pytest.mark.parametrize(
    "missing, message",
    [
        ({"SECRET_KEY": None}, "SECRET_KEY"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": None}, "DATABASE_URL"),
        ({"DATABASE_URL": "sqlite:///db.sqlite3"}, "PostgreSQL"),
        # SPID/CIE switched on without its keys, or on plain HTTP.
        ({"SPID_CIE_RP_ENTITY_ID": "https://quartieri.example.it/oidc/rp"}, "SPID_CIE_RP_JWK"),
        ({"SPID_CIE_RP_ENTITY_ID": "http://quartieri.example.it/oidc/rp"}, "https://"),
    ],
)
def test_production_refuses_to_start_without_its_environment(missing, message):
    result = run_manage("check", **missing)
    assert result.returncode != 0
    assert message in result.stderr


def test_check_deploy_is_clean():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_health_answers_ok_without_login(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_answers_503_when_the_database_is_down(client):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with mock.patch.object(connection, "cursor", side_effect=refuse):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


@pytest.mark.django_db
def test_a_page_answers_503_while_the_database_is_unreachable(client, django_user_model):
    """An outage is not a bug: "try again in a minute", with Retry-After; a bug stays a
    500 with its own page."""
    user = django_user_model.objects.create_user("carla", password="x-password-123")
    client.force_login(user)
    client.raise_request_exception = False

    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    with mock.patch.object(connection, "cursor", side_effect=refuse):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Portale momentaneamente non disponibile" in response.content.decode()
    with mock.patch.object(connection, "cursor", side_effect=refuse):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Portal temporarily unavailable" in response.content.decode()

    with mock.patch("labs.views.HomeView.get_context_data", side_effect=ValueError("bug")):
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="it")
    assert response.status_code == 500
    assert "Errore del portale" in response.content.decode()


def test_logs_are_one_json_object_per_line():
    logger = logging.getLogger("quartieri.test")
    record = logger.makeRecord(
        "quartieri.test", logging.WARNING, __file__, 1, "report %s slow", ("R1",), None,
        extra={"project": "valverde", "duration_ms": 8123},
    )  # fmt: skip
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line.split('"exception"')[0]
    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "quartieri.test"
    assert entry["message"] == "report R1 slow"
    assert entry["project"] == "valverde" and entry["duration_ms"] == 8123
    assert "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")
