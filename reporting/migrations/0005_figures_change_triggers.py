"""Every write to a row that ``ProjectFigures`` counts leaves a ``FiguresChange`` row with
the project, whoever makes it (form, import, admin, ``QuerySet.update()``, raw SQL, a
shell): the programme view recomputes those projects before answering, so its stored
figures are never stale. Triggers only insert, so writers never wait on one another.

Updates are logged only when a column the figures read changes (a session's notes or
validation do not make the hours held change). A deleted project takes its log with it."""

from django.db import migrations

LOG = "reporting_figureschange"


class Source:
    """A table whose rows the figures count, and how a row leads to its project."""

    def __init__(self, table, project, columns=None, ops=("INSERT", "UPDATE", "DELETE")):
        self.table = table
        self.project = project  # SELECT of the project ids, with {row} for NEW or OLD
        self.columns = columns  # columns an UPDATE must change to count; None: any
        self.ops = ops

    def select(self, row):
        return self.project.format(row=row)

    def changed(self, distinct):
        """The UPDATE condition: one of ``columns`` changed (``distinct`` is the vendor's
        null-safe "not equal")."""
        if not self.columns:
            return None
        return " OR ".join(f"OLD.{c} {distinct} NEW.{c}" for c in self.columns)


def _via(table, key):
    return f"SELECT project_id FROM {table} WHERE id = {{row}}.{key}"


SOURCES = [
    Source("beneficiaries_household", "SELECT {row}.project_id", ["project_id"]),
    Source(
        "beneficiaries_householdmember",
        _via("beneficiaries_household", "household_id"),
        ["household_id", "end_date"],
    ),
    Source("beneficiaries_path", "SELECT {row}.project_id"),
    # Sex and birth date feed the ESF indicators of every path of the person.
    Source(
        "beneficiaries_person",
        "SELECT project_id FROM beneficiaries_path WHERE person_id = {row}.id",
        ["sex", "birth_date"],
        ops=("UPDATE",),
    ),
    Source(
        "labs_session",
        _via("labs_activity", "activity_id"),
        ["activity_id", "state", "duration_minutes"],
    ),
    Source("labs_activity", "SELECT {row}.project_id", ["project_id"], ops=("UPDATE",)),
    Source("labs_expense", "SELECT {row}.project_id"),
    Source("labs_staffmember", "SELECT {row}.project_id"),
    Source("labs_timesheetentry", _via("labs_staffmember", "staff_id")),
]


def _insert(source, rows):
    return f"INSERT INTO {LOG} (project_id) " + " UNION ".join(source.select(r) for r in rows)


def _name(source, suffix=""):
    return f"{source.table}_figures_changed{suffix}"


def postgresql():
    create, drop = [], []
    for s in SOURCES:
        body = []
        if "INSERT" in s.ops:
            body.append(f"IF TG_OP = 'INSERT' THEN {_insert(s, ['NEW'])}; END IF;")
        if "DELETE" in s.ops:
            body.append(f"IF TG_OP = 'DELETE' THEN {_insert(s, ['OLD'])}; END IF;")
        if "UPDATE" in s.ops:
            body.append(f"IF TG_OP = 'UPDATE' THEN {_insert(s, ['OLD', 'NEW'])}; END IF;")
        newline = "\n        "
        create.append(
            f"""
    CREATE FUNCTION {_name(s)}() RETURNS trigger AS $$
    BEGIN
        {newline.join(body)}
        RETURN NULL;
    END $$ LANGUAGE plpgsql;"""
        )
        rows = [op for op in s.ops if op != "UPDATE"]
        if rows:
            create.append(
                f"CREATE TRIGGER {_name(s)} AFTER {' OR '.join(rows)} ON {s.table} "
                f"FOR EACH ROW EXECUTE FUNCTION {_name(s)}();"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {_name(s)} ON {s.table};")
        if "UPDATE" in s.ops:
            when = s.changed("IS DISTINCT FROM")
            create.append(
                f"CREATE TRIGGER {_name(s, '_upd')} AFTER UPDATE ON {s.table} FOR EACH ROW "
                + (f"WHEN ({when}) " if when else "")
                + f"EXECUTE FUNCTION {_name(s)}();"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {_name(s, '_upd')} ON {s.table};")
        drop.append(f"DROP FUNCTION IF EXISTS {_name(s)}();")
    return create, drop


def sqlite():
    create, drop = [], []
    for s in SOURCES:
        for op in s.ops:
            suffix = {"INSERT": "_ins", "UPDATE": "_upd", "DELETE": "_del"}[op]
            rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[op]
            when = s.changed("IS NOT") if op == "UPDATE" else None
            create.append(
                f"CREATE TRIGGER {_name(s, suffix)} AFTER {op} ON {s.table} "
                + (f"WHEN {when} " if when else "")
                + f"BEGIN {_insert(s, rows)}; END;"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {_name(s, suffix)};")
    return create, drop


# A deleted project's log goes with it (its rows are deleted first, and log changes).
FORGET = "DELETE FROM reporting_figureschange WHERE project_id = OLD.id"


def _with_forget(vendor, statements):
    create, drop = statements
    if vendor == "postgresql":
        create += [
            f"""
    CREATE FUNCTION labs_project_figures_forgotten() RETURNS trigger AS $$
    BEGIN
        {FORGET};
        RETURN NULL;
    END $$ LANGUAGE plpgsql;""",
            "CREATE TRIGGER labs_project_figures_forgotten AFTER DELETE ON labs_project "
            "FOR EACH ROW EXECUTE FUNCTION labs_project_figures_forgotten();",
        ]
        drop += [
            "DROP TRIGGER IF EXISTS labs_project_figures_forgotten ON labs_project;",
            "DROP FUNCTION IF EXISTS labs_project_figures_forgotten();",
        ]
    else:
        create.append(
            "CREATE TRIGGER labs_project_figures_forgotten AFTER DELETE ON labs_project "
            f"BEGIN {FORGET}; END;"
        )
        drop.append("DROP TRIGGER IF EXISTS labs_project_figures_forgotten;")
    return create, drop


STATEMENTS = {
    "postgresql": _with_forget("postgresql", postgresql()),
    "sqlite": _with_forget("sqlite", sqlite()),
}


def _run(index):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in STATEMENTS:
            raise RuntimeError(f"No figures triggers for {vendor}")
        for sql in STATEMENTS[vendor][index]:
            schema_editor.execute(sql, None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0004_programme_figures"),
        ("beneficiaries", "0013_offline_conflicts"),
        ("labs", "0007_host_companies"),
    ]

    operations = [migrations.RunPython(_run(0), _run(1))]
