"""spid-cie-oidc 1.2.0 keeps a fetched entity statement in a varchar(2048) and an
authorization code in a varchar(255): a real provider's entity configuration (metadata,
keys, trust marks) is longer, and PostgreSQL refuses it, so no trust chain could be
stored. Its 1.6 releases widen both columns (its migrations 0032 and 0009) but require
Django<5; until then these two columns are widened here, in the database only (SQLite
does not enforce the length, so there it changes nothing)."""

from django.db import migrations

COLUMNS = [
    ("spid_cie_oidc_entity", "FetchedEntityStatement", "jwt", "text"),
    ("spid_cie_oidc_relying_party", "OidcAuthenticationToken", "code", "varchar(2048)"),
]


def widen(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app, model, column, kind in COLUMNS:
        table = apps.get_model(app, model)._meta.db_table
        schema_editor.execute(
            f"ALTER TABLE {schema_editor.quote_name(table)} "
            f"ALTER COLUMN {schema_editor.quote_name(column)} TYPE {kind}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_user_identity"),
        ("spid_cie_oidc_entity", "__latest__"),
        ("spid_cie_oidc_relying_party", "__latest__"),
    ]

    operations = [migrations.RunPython(widen, migrations.RunPython.noop)]
