"""The database itself refuses an attendance longer than its session, whoever writes it
(form, import, admin, shell), and a session shortened below an attendance already on its
register. A check constraint cannot look at another table, so this is a trigger."""

from django.db import migrations

SQLITE = [
    """
    CREATE TRIGGER attendance_hours_within_session_ins
    BEFORE INSERT ON beneficiaries_attendance
    WHEN NEW.hours * 60 > (SELECT duration_minutes FROM labs_session WHERE id = NEW.session_id)
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: attendance_hours_within_session'); END;
    """,
    """
    CREATE TRIGGER attendance_hours_within_session_upd
    BEFORE UPDATE OF hours, session_id ON beneficiaries_attendance
    WHEN NEW.hours * 60 > (SELECT duration_minutes FROM labs_session WHERE id = NEW.session_id)
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: attendance_hours_within_session'); END;
    """,
    """
    CREATE TRIGGER session_not_shorter_than_attendance
    BEFORE UPDATE OF duration_minutes ON labs_session
    WHEN EXISTS (SELECT 1 FROM beneficiaries_attendance
                 WHERE session_id = NEW.id AND hours * 60 > NEW.duration_minutes)
    BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: attendance_hours_within_session'); END;
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS attendance_hours_within_session_ins;",
    "DROP TRIGGER IF EXISTS attendance_hours_within_session_upd;",
    "DROP TRIGGER IF EXISTS session_not_shorter_than_attendance;",
]

POSTGRES = [
    """
    CREATE FUNCTION attendance_hours_within_session() RETURNS trigger AS $$
    BEGIN
        IF NEW.hours * 60 > (SELECT duration_minutes FROM labs_session WHERE id = NEW.session_id)
        THEN
            RAISE EXCEPTION 'attendance hours above session duration'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'attendance_hours_within_session';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER attendance_hours_within_session
    BEFORE INSERT OR UPDATE OF hours, session_id ON beneficiaries_attendance
    FOR EACH ROW EXECUTE FUNCTION attendance_hours_within_session();
    """,
    """
    CREATE FUNCTION session_not_shorter_than_attendance() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM beneficiaries_attendance
                   WHERE session_id = NEW.id AND hours * 60 > NEW.duration_minutes) THEN
            RAISE EXCEPTION 'session shorter than an attendance on its register'
                USING ERRCODE = 'check_violation', CONSTRAINT = 'attendance_hours_within_session';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER session_not_shorter_than_attendance
    BEFORE UPDATE OF duration_minutes ON labs_session
    FOR EACH ROW EXECUTE FUNCTION session_not_shorter_than_attendance();
    """,
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS attendance_hours_within_session ON beneficiaries_attendance;",
    "DROP FUNCTION IF EXISTS attendance_hours_within_session();",
    "DROP TRIGGER IF EXISTS session_not_shorter_than_attendance ON labs_session;",
    "DROP FUNCTION IF EXISTS session_not_shorter_than_attendance();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(f"No attendance trigger for {schema_editor.connection.vendor}")
        for sql in statements:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("beneficiaries", "0001_initial"),
        ("labs", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
