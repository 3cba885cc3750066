"""Backup and restore: a round trip gives back every row of every table and every file."""

from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from beneficiaries.models import Attendance, Person
from labs.models import SessionEvidence


def snapshot():
    """Every row of every table (history and M2M tables too), as plain values."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        rows[model._meta.db_table] = sorted(model._base_manager.order_by().values_list(), key=repr)
    return rows


def files(root: Path):
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_round_trip_loses_nothing(full_world, settings, tmp_path):
    media = Path(settings.MEDIA_ROOT)
    before_rows, before_files = snapshot(), files(media)
    assert before_rows["beneficiaries_attendance"] and before_files  # something to lose
    archive = tmp_path.parent / f"{tmp_path.name}-backup.tar.gz"

    call_command("backup_data", str(archive), verbosity=0)

    # Damage after the backup: rows deleted, a row added, a file changed and one added.
    Attendance.objects.all().delete()
    Person.objects.create(first_name="Nuova", last_name="Persona", birth_date="1990-01-01", sex="F")
    evidence = SessionEvidence.objects.get()
    Path(evidence.file.path).write_bytes(b"changed")
    (media / "stray.txt").write_text("not in the backup")
    assert snapshot() != before_rows

    call_command("restore_data", str(archive), yes=True, verbosity=0)

    after = snapshot()
    for table, rows in before_rows.items():
        assert after[table] == rows, table
    assert files(media) == before_files


@pytest.mark.django_db
def test_restore_asks_for_confirmation_and_refuses_a_missing_archive(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_data", str(tmp_path / "x.tar.gz.missing"), verbosity=0)
    archive = tmp_path / "x.tar.gz"
    archive.write_bytes(b"")
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_data", str(archive), verbosity=0)


@pytest.mark.django_db
def test_backup_never_overwrites_an_archive(tmp_path):
    archive = tmp_path / "b.tar.gz"
    archive.write_bytes(b"older backup")
    with pytest.raises(CommandError, match="esiste già"):
        call_command("backup_data", str(archive), verbosity=0)
    assert archive.read_bytes() == b"older backup"
