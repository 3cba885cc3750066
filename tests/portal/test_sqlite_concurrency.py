"""The embedded SQLite default serves a small team: the development set-up
(config.settings.local, a real database file, `manage.py runserver`) takes 20 people
saving at the same moment without "database is locked" and without losing a write, and
a database that stays busy answers 503 "try again", never 500.

The server runs in its own process on a file in tmp_path, as `make run` does; the
writers are threads of this process, each with its own signed-in session, posting the
new-report form over HTTP."""

import http.cookiejar
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 20
REPORTS_EACH = 5

# Run by `manage.py shell` on the new database: a project, a building in its
# neighbourhood, and one signed-in session per writer (no password: hashing 20 of them
# would only slow the test down).
SETUP = f"""
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from labs import models as labs
from partners.models import Membership, Organisation
from tests import factories as f

valle = f.OrganisationFactory(name="Comune di Valle", kind=Organisation.Kind.MUNICIPALITY)
project = f.ProjectFactory(slug="valle", lead_organisation=valle)
labs.Partnership.objects.create(project=project, organisation=valle, role="capofila")
quartiere = f.NeighbourhoodFactory()
quartiere.projects.add(project)
building = f.BuildingFactory(neighbourhood=quartiere)
for n in range({WRITERS}):
    user = get_user_model().objects.create_user(f"writer{{n}}", password=None)
    Membership.objects.create(user=user, organisation=valle)
    labs.ProjectRole.objects.create(project=project, user=user, organisation=valle, role="lead")
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    print("session", session.session_key)
print("building", building.pk)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dev_env(db: Path, media: Path, **extra) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "SQLITE_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{db}",
        MEDIA_ROOT=str(media),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        **extra,
    )
    return env


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# django_db: so that the test database exists even when this module runs alone.
pytestmark = [pytest.mark.sqlite_only, pytest.mark.django_db]


def copy_test_database(django_db_blocker, db: Path) -> bool:
    """Copy this worker's empty test database (the models' schema and the triggers, see
    tests/portal/test_migrations.py) to ``db`` with SQLite's backup API, a fraction of a
    second, instead of migrating a new file (about 15 s of CPU). False if the test
    database holds rows already: then the caller migrates."""
    from django.db import connection

    with django_db_blocker.unblock():
        connection.ensure_connection()
        with sqlite3.connect(db) as target:
            connection.connection.backup(target)
    with sqlite3.connect(db) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'auth_user'").fetchone():
            return False
        return not any(
            conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("auth_user", "partners_organisation", "labs_project")
        )


@pytest.fixture(scope="module")
def dev_database(tmp_path_factory, django_db_setup, django_db_blocker):
    """A migrated database file with the writers' sessions, as `make run` would have."""
    base = tmp_path_factory.mktemp("sqlite-dev")
    db = base / "db.sqlite3"
    env = dev_env(db, base / "media")
    if not copy_test_database(django_db_blocker, db):
        db.unlink()
        manage(env, "migrate", "--noinput", "-v0")
    out = manage(env, "shell", "-c", SETUP)
    sessions = re.findall(r"^session (\w+)$", out, re.M)
    building = int(re.search(r"^building (\d+)$", out, re.M).group(1))
    assert len(sessions) == WRITERS
    return {"db": db, "base": base, "sessions": sessions, "building": building}


class DevServer:
    """`manage.py runserver` (threaded, DEBUG on, as in development) on a free port."""

    def __init__(self, database, **env):
        self.database = database
        self.url = f"http://127.0.0.1:{free_port()}"
        self.log = database["base"] / f"runserver-{self.url.rsplit(':', 1)[1]}.log"
        self.env = dev_env(database["db"], database["base"] / "media", **env)

    def __enter__(self):
        self.log_file = self.log.open("w")
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", self.url[7:]],
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )
        for _ in range(600):  # wait for it to answer (up to a minute on a busy machine)
            try:
                urllib.request.urlopen(f"{self.url}/health/", timeout=5)
                return self
            except (urllib.error.URLError, ConnectionError):
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise AssertionError(f"runserver did not start:\n{self.log.read_text()}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log_file.close()

    def server_log(self) -> str:
        return self.log.read_text()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser: their session cookie, the CSRF cookie, no redirects."""

    def __init__(self, server, session_key):
        self.server = server
        self.jar = http.cookiejar.CookieJar()
        self.jar.set_cookie(cookie("sessionid", session_key))
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, path, data=None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(f"{self.server.url}{path}", body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_form(self, path, fields) -> tuple[int, str]:
        status, page = self.request(path)
        assert status == 200, page[:2000]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(path, {"csrfmiddlewaretoken": token, **fields})


def cookie(name, value):
    return http.cookiejar.Cookie(
        0, name, value, None, False, "127.0.0.1", False, False, "/", True, False,
        None, True, None, None, {},
    )  # fmt: skip


NEW_REPORT = "/progetti/valle/segnalazioni/nuova/"


def report_fields(building, description):
    return {
        "building": str(building),
        "category": "maintenance",
        "description": description,
        "opened_on": "06/05/2019",
    }


def saved_descriptions(db: Path, prefix: str) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT description FROM labs_residentreport WHERE description LIKE ?",
            (f"{prefix}%",),
        ).fetchall()
    return sorted(r[0] for r in rows)


def test_the_database_file_is_in_wal_mode(dev_database):
    with sqlite3.connect(dev_database["db"]) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_twenty_people_saving_at_once_lose_nothing(dev_database):
    results: list[tuple[int, str]] = []
    lock = threading.Lock()
    start = threading.Barrier(WRITERS)

    with DevServer(dev_database) as server:

        def writer(n):
            browser = Browser(server, dev_database["sessions"][n])
            start.wait()
            for k in range(REPORTS_EACH):
                outcome = browser.post_form(
                    NEW_REPORT, report_fields(dev_database["building"], f"guasto {n}-{k}")
                )
                with lock:
                    results.append(outcome)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        log = server.server_log()

    statuses = sorted(status for status, _ in results)
    assert statuses == [302] * (WRITERS * REPORTS_EACH), [
        page[:500] for status, page in results if status != 302
    ]
    assert "database is locked" not in log
    expected = sorted(f"guasto {n}-{k}" for n in range(WRITERS) for k in range(REPORTS_EACH))
    assert saved_descriptions(dev_database["db"], "guasto ") == expected


def test_a_database_that_stays_busy_answers_503_with_a_message(dev_database):
    """Another process holds the write lock for longer than the server waits
    (SQLITE_TIMEOUT=1). Saving the form answers 503 "busy, try again"; so does a page
    that only reads, whose session cannot be saved on the way out (Django would answer
    400). Once the lock is released the same form saves."""
    building = dev_database["building"]
    with DevServer(dev_database, SQLITE_TIMEOUT="1") as server:
        browser = Browser(server, dev_database["sessions"][0])
        status, form = browser.request(NEW_REPORT)
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        fields = {"csrfmiddlewaretoken": token, **report_fields(building, "occupato 1")}

        blocker = sqlite3.connect(dev_database["db"], isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            saving = browser.request(NEW_REPORT, fields)
            reading = browser.request("/")
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        for status, page in (saving, reading):
            assert status == 503, page[:3000]
            assert "Il portale è molto occupato in questo momento" in page
            assert "Traceback" not in page
        assert saved_descriptions(dev_database["db"], "occupato") == []

        assert browser.request(NEW_REPORT, fields)[0] == 302
        assert saved_descriptions(dev_database["db"], "occupato") == ["occupato 1"]
