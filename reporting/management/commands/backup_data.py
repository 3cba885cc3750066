"""Back up every row of the database and every uploaded file into one .tar.gz archive.

    python manage.py backup_data /var/backups/quartieri-2026-11-23.tar.gz

The archive holds ``manifest.json`` (format, time, row count of every table),
``media/`` (a copy of MEDIA_ROOT) and the data: on PostgreSQL ``database.dump``
(``pg_dump --format=custom``, fast at any size), elsewhere ``data.xml`` (``dumpdata`` of
every model, history tables included; XML keeps microseconds, JSON would not).
``restore_data`` reads both.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def table_counts() -> dict[str, int]:
    """Rows per table of every installed model (history and M2M tables included)."""
    counts = {}
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            table = model._meta.db_table
            if table in tables and table not in counts:
                cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
                counts[table] = cursor.fetchone()[0]
    return dict(sorted(counts.items()))


def pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def pg_args() -> list[str]:
    db = connection.settings_dict
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    return args + ["--dbname", str(db["NAME"])]


class Command(BaseCommand):
    help = "Salva tutti i dati e i file caricati in un archivio .tar.gz."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="percorso dell'archivio da creare (.tar.gz)")
        parser.add_argument(
            "--portable",
            action="store_true",
            help="dati in XML (dumpdata) anche su PostgreSQL",
        )

    def handle(self, *args, archive, portable: bool = False, **options):
        target = Path(archive)
        if target.exists():
            raise CommandError(f"{target} esiste già: scegliere un altro nome.")
        use_pg = connection.vendor == "postgresql" and not portable
        media = Path(settings.MEDIA_ROOT)
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            manifest = {
                "format": "pg_dump" if use_pg else "dumpdata",
                "created_at": dt.datetime.now(dt.UTC).isoformat(),
                "vendor": connection.vendor,
                "tables": table_counts(),
            }
            if use_pg:
                data = tmp / "database.dump"
                result = subprocess.run(
                    ["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                     "--file", str(data), *pg_args()],
                    env=pg_env(), capture_output=True, text=True,
                )  # fmt: skip
                if result.returncode:
                    raise CommandError(f"pg_dump: {result.stderr.strip()}")
            else:
                data = tmp / "data.xml"
                call_command(
                    "dumpdata", output=str(data), format="xml", verbosity=0,
                    exclude=[], use_base_manager=True,
                )  # fmt: skip
            (tmp / "manifest.json").write_text(_dumps(manifest))
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(target.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(tmp / "manifest.json", arcname="manifest.json")
                tar.add(data, arcname=data.name)
                if media.is_dir():
                    tar.add(media, arcname="media")
            partial.rename(target)
        rows = sum(manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(f"Backup in {target}: {rows} righe, file da {media}."))


def _dumps(value) -> str:
    return json.dumps(value, indent=1)
