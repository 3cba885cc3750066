"""The migrations build the database the tests run on.

Test databases are created from the models plus the operations of the migrations that
the models do not describe, triggers and widened columns (tests/conftest.py,
``DATABASE_RULES``): that takes a second, replaying every migration about 15 s of CPU
per worker. This module replays them
for real, in a database of their own (a file on SQLite, a second database on
PostgreSQL), as ``manage.py migrate`` does in production, and compares the two
schemas: tables, columns with their types and nullability, primary keys, foreign keys,
unique, check and index constraints with their columns, and triggers.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db
AUTO_NAMES = ("sqlite_", "__unnamed_constraint_")


def migrated_schema(database_url: str) -> dict:
    """Migrate the database at ``database_url`` in a process of its own, as ``manage.py
    migrate`` does, and read its schema there."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=database_url)
    script = (
        "import json; from django.core.management import call_command;"
        "from django.db import connection;"
        "from tests.portal.test_migrations import schema;"
        "call_command('migrate', interactive=False, verbosity=0);"
        "print(json.dumps(schema(connection)))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def triggers(conn: BaseDatabaseWrapper) -> list[list[str]]:
    with conn.cursor() as cursor:
        if conn.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        else:
            cursor.execute(
                "SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE NOT t.tgisinternal AND n.nspname = 'public'"
            )
        return sorted([list(row) for row in cursor.fetchall()])


def schema(conn: BaseDatabaseWrapper) -> dict:
    """What the database enforces, table by table, in a form two databases can share."""
    tables = {}
    with conn.cursor() as cursor:
        names = [
            t.name
            for t in conn.introspection.get_table_list(cursor)
            if t.type == "t" and t.name != "django_migrations"
        ]
        for table in names:
            columns = {
                c.name: [conn.introspection.get_field_type(c.type_code, c), bool(c.null_ok)]
                for c in conn.introspection.get_table_description(cursor, table)
            }
            constraints = []
            for name, c in conn.introspection.get_constraints(cursor, table).items():
                kind = next(
                    k for k in ("primary_key", "foreign_key", "check", "unique", "index") if c[k]
                )
                # Unnamed (auto-created) constraints get names from the database itself,
                # or from their position (SQLite's introspection): not compared.
                named = kind in ("check", "unique") and not name.startswith(AUTO_NAMES)
                columns_of = list(c["columns"] or ())
                constraints.append([kind, columns_of, str(c["foreign_key"]), name if named else ""])
            tables[table] = {"columns": columns, "constraints": sorted(constraints)}
    tables["(triggers)"] = triggers(conn)
    return tables


def differences(migrated: dict, tested: dict) -> list[str]:
    out = []
    for table in sorted(set(migrated) | set(tested)):
        a, b = migrated.get(table), tested.get(table)
        if a != b:
            out.append(f"{table}: migrated {a!r}\n  test database {b!r}")
    return out


@pytest.fixture
def migrated(tmp_path):
    """The schema of a database of the tests' engine, migrated for real."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        yield migrated_schema(f"sqlite:///{tmp_path / 'migrated.sqlite3'}")
        return
    name = f"quartieri_migrated_{uuid.uuid4().hex[:8]}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    user, host = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1"
    try:
        yield migrated_schema(f"postgres://{user}@{host}:{settings['PORT'] or 5432}/{name}")
    finally:
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


# labs 0002 adds Session.version on SQLite with a plain ALTER TABLE, which cannot add the
# CHECK (version >= 0) of a PositiveIntegerField (rebuilding the table would drop its
# trigger); the version is only ever written by labs.concurrency, which increments it.
SQLITE_ONLY_IN_TESTS = {"labs_session": ["check", ["version"], "None", ""]}


# Django's own auth migrations create the user/group many-to-many tables with the
# project's DEFAULT_AUTO_FIELD (bigint on PostgreSQL), syncdb with auth's AutoField: the
# key type of three tables of django.contrib.auth, which no query of ours reads.
AUTH_M2M = ("auth_group_permissions", "auth_user_groups", "auth_user_user_permissions")


def same_auth_keys(tables: dict) -> dict:
    for table in AUTH_M2M:
        tables[table]["columns"]["id"][0] = "AutoField"
    return tables


def test_migrating_builds_the_schema_the_tests_run_on(migrated):
    tested = same_auth_keys(schema(connection))
    migrated = same_auth_keys(migrated)
    if connection.vendor == "sqlite":
        for table, constraint in SQLITE_ONLY_IN_TESTS.items():
            tested[table]["constraints"].remove(constraint)
    assert migrated["(triggers)"], "the migrations installed no trigger"
    assert migrated["(triggers)"] == tested["(triggers)"]
    assert len(migrated) > 80
    found = differences(migrated, tested)
    assert not found, "\n".join(found)
