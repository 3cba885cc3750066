"""A submitted progress report is frozen in the database too, not only in
``ProgressReport.save()``/``delete()``: ``QuerySet.update()``, raw SQL or a shell cannot
change it. PostgreSQL refuses UPDATE and DELETE of a submitted row; SQLite (development)
refuses UPDATE (a DELETE trigger would stop ``flush``, which empties tables row by row
there; PostgreSQL's ``flush`` truncates, which fires no row trigger)."""

from django.db import migrations

TABLE = "reporting_progressreport"
MESSAGE = "a submitted progress report cannot be changed"

POSTGRESQL = [
    f"""
    CREATE OR REPLACE FUNCTION reporting_submitted_report_frozen() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE} (id %)', OLD.id USING ERRCODE = 'restrict_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"""
    CREATE TRIGGER submitted_report_frozen
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW WHEN (OLD.status = 'submitted')
    EXECUTE FUNCTION reporting_submitted_report_frozen();
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS submitted_report_frozen ON {TABLE};",
    "DROP FUNCTION IF EXISTS reporting_submitted_report_frozen();",
]
SQLITE = [
    f"""
    CREATE TRIGGER submitted_report_frozen
    BEFORE UPDATE ON {TABLE}
    FOR EACH ROW WHEN OLD.status = 'submitted'
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS submitted_report_frozen;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, None)  # no parameters: "%" is plpgsql's own

    return run


class Migration(migrations.Migration):
    dependencies = [("reporting", "0002_report_generation")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
