"""Restore an archive written by ``backup_data``: the database and the uploaded files are
replaced by the archive's content (what is not in the archive is gone afterwards).

    python manage.py restore_data /var/backups/quartieri-2026-11-23.tar.gz --yes

Stop the web server and the worker first. After restoring, the row count of every table is
compared with the archive's manifest; any difference is an error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup_data import pg_args, pg_env, table_counts

# The triggers that log writes for the programme view's figures (reporting.FiguresChange).
FIGURES_LOG = import_module("reporting.migrations.0005_figures_change_triggers").STATEMENTS


@contextmanager
def figures_log_paused():
    """Without the triggers that log writes: emptying the tables and loading the archive
    would log every row, and the archive brings its own log, as it was."""
    create, drop = FIGURES_LOG[connection.vendor]
    with connection.schema_editor() as editor:
        for sql in drop:
            editor.execute(sql, None)
    try:
        yield
    finally:
        with connection.schema_editor() as editor:
            for sql in create:
                editor.execute(sql, None)


class Command(BaseCommand):
    help = "Ripristina dati e file caricati da un archivio di backup_data (sostituisce tutto)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="conferma la sostituzione")

    def handle(self, *args, archive, yes, **options):
        source = Path(archive)
        if not yes:
            raise CommandError("Il ripristino sostituisce tutti i dati: ripetere con --yes.")
        if not source.is_file():
            raise CommandError(f"{source}: archivio non trovato.")
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            with tarfile.open(source, "r:gz") as tar:
                tar.extractall(tmp, filter="data")
            manifest = json.loads((tmp / "manifest.json").read_text())
            if manifest["format"] == "pg_dump":
                if connection.vendor != "postgresql":
                    raise CommandError("Archivio di PostgreSQL: serve un database PostgreSQL.")
                self.restore_pg(tmp / "database.dump")
            else:
                self.restore_serialized(tmp / "data.xml")
            self.restore_media(tmp / "media")
        found = table_counts()
        expected = manifest["tables"]
        differences = {
            table: (rows, found.get(table))
            for table, rows in expected.items()
            if found.get(table) != rows
        }
        if differences:
            raise CommandError(f"Righe diverse dal backup (attese, trovate): {differences}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Ripristino completato: {sum(found.values())} righe in {len(found)} tabelle."
            )
        )

    def restore_pg(self, dump: Path):
        connection.close()
        result = subprocess.run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
             "--single-transaction", *pg_args(), str(dump)],
            env=pg_env(), capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode:
            raise CommandError(f"pg_restore: {result.stderr.strip()}")

    def restore_serialized(self, data: Path):
        # Empty every table without re-creating content types and permissions: the
        # archive brings them with their original ids.
        with figures_log_paused():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(data), verbosity=0)

    def restore_media(self, media: Path):
        root = Path(settings.MEDIA_ROOT)
        if root.exists():
            for child in root.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        root.mkdir(parents=True, exist_ok=True)
        if media.is_dir():
            shutil.copytree(media, root, dirs_exist_ok=True)
