"""The retention rule (beneficiaries/retention.py, docs/dpia.md): the people of a closed
project past its retention date are anonymised, unless another project still keeps them;
a dry run changes nothing; submitted reports stay as they were; the audit history of the
anonymised is purged."""

import datetime as dt
from io import StringIO

from django.core.management import call_command

from beneficiaries import models as b
from beneficiaries.retention import ANONYMOUS_LAST_NAME, retention_ends

TODAY = "2032-01-15"


def close_valle(w, retention_until=dt.date(2031, 12, 31)):
    w.a.status = "closed"
    w.a.retention_until = retention_until
    w.a.save()
    # Giulia also goes to the listening desk of Borgo, still running.
    b.Registration.objects.create(project=w.b, person=w.giulia, registered_on=w.b.start_date)


def run(*args) -> str:
    out = StringIO()
    call_command("apply_retention", "--date", TODAY, *args, stdout=out)
    return out.getvalue()


def people_rows():
    return sorted(b.Person.objects.values_list())


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(full_world):
    w = full_world
    close_valle(w)
    before = (people_rows(), b.CaseNote.objects.count(), b.Person.history.count())
    out = run("--dry-run")
    assert "Progetto Valle" in out and "conservazione fino al 31/12/2031" in out
    assert "Persone da anonimizzare: 1" in out  # Maria; Giulia is kept
    assert "Persone tenute perché in un progetto ancora nel periodo di conservazione: 1" in out
    assert "nessun dato cambiato" in out
    assert (people_rows(), b.CaseNote.objects.count(), b.Person.history.count()) == before


def test_the_people_of_an_expired_project_are_anonymised_and_their_history_purged(full_world):
    w = full_world
    close_valle(w)
    giulia_before = b.Person.objects.filter(pk=w.giulia.pk).values().get()
    giulia_history = w.giulia.history.count()
    assert w.maria.history.exists() and b.CaseNote.objects.filter(person=w.maria).exists()

    out = run()

    maria = b.Person.objects.get(pk=w.maria.pk)
    assert maria.last_name == ANONYMOUS_LAST_NAME and maria.first_name == "Persona"
    assert maria.tax_code is None and maria.email == "" and maria.phone == ""
    assert maria.birth_date == dt.date(w.maria.birth_date.year, 1, 1)  # the age band stays
    assert not b.CaseNote.objects.filter(person=w.maria).exists()
    assert not b.Path.objects.filter(person=w.maria).exclude(disability="").exists()
    # The audit trail held the old values: its rows about her are gone.
    assert not b.Person.history.filter(id=w.maria.pk).exists()
    assert not b.Consent.history.filter(person_id=w.maria.pk).exists()
    # Her attendance still counts in Valle's figures, as an anonymous person.
    assert b.Attendance.objects.filter(person=w.maria).exists()
    # Giulia is still known to Borgo: kept whole, history too. Carla is only in Borgo.
    assert b.Person.objects.filter(pk=w.giulia.pk).values().get() == giulia_before
    assert w.giulia.history.count() == giulia_history
    assert b.Person.objects.get(pk=w.carla.pk).last_name == "Verdi"
    assert "persone: 1" in out
    # Applied twice, nothing more to do.
    assert "Persone da anonimizzare: 0" in run()


def test_submitted_reports_are_frozen_snapshots_and_do_not_change(full_world):
    w = full_world
    close_valle(w)
    report = w.submitted_report
    before = (report.snapshot, report.snapshot_sha256, report.pdf_sha256)
    run()
    report.refresh_from_db()
    assert (report.snapshot, report.snapshot_sha256, report.pdf_sha256) == before


def test_nothing_goes_before_the_retention_date(world):
    close_valle(world, retention_until=dt.date(2032, 6, 30))
    out = run()
    assert "Nessun progetto" in out
    assert b.Person.objects.get(pk=world.maria.pk).last_name == world.maria.last_name


def test_an_active_project_is_kept_whatever_its_dates(world):
    world.a.retention_until = dt.date(2020, 1, 1)
    world.a.save()
    assert "Nessun progetto" in run()


def test_without_a_date_the_programme_retention_years_count_from_the_end(world):
    world.a.retention_until = None
    world.a.end_date = dt.date(2024, 2, 29)
    world.a.programme.retention_years = 5
    assert retention_ends(world.a) == dt.date(2029, 2, 28)
