"""Time the people import: N people with paths and ESF profile, through the same reading,
checks and bulk save as the import page, inside a transaction rolled back at the end, so
the database is unchanged."""

import csv
import datetime as dt
import io
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from stdnum.it import codicefiscale

from beneficiaries.imports.engine import run_import
from beneficiaries.imports.people import COLUMNS, PeopleImporter
from labs.models import ProjectRole

LETTERS = "BCDFGHLMNPRSTVZ"
MONTHS = "ABCDEHLMPRST"


class Rollback(Exception):
    pass


def synthetic_people(count: int, project, axis_code: str) -> bytes:
    """A semicolon CSV of ``count`` valid people with a path each."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([str(c.header) for c in COLUMNS])
    entry = project.start_date.strftime("%d/%m/%Y")
    for n in range(count):
        birth = dt.date(1950, 1, 1) + dt.timedelta(days=(n * 7) % 20000)
        sex = "F" if n % 2 else "M"
        name = "".join(LETTERS[(n // 15**i) % 15] for i in range(6))
        day = birth.day + (40 if sex == "F" else 0)
        body = f"{name}{birth.year % 100:02d}{MONTHS[birth.month - 1]}{day:02d}F205"
        row = {
            "last_name": f"Prova{n}",
            "first_name": f"Persona{n}",
            "tax_code": body + codicefiscale.calc_check_digit(body),
            "birth_date": birth.strftime("%d/%m/%Y"),
            "sex": sex,
            "citizenship": "IT",
            "entry_date": entry,
            "axis": axis_code,
            "planned_hours": "40",
            "labour_status": "unemployed",
            "unemployment_months": str(n % 24),
            "education_level": str(n % 9),
            "jobless_household": "sì" if n % 3 else "no",
            "foreign_background": "preferisce non rispondere",
            "disability": "no",
        }
        writer.writerow([row.get(c.key, "") for c in COLUMNS])
    return out.getvalue().encode("utf-8")


class Command(BaseCommand):
    help = "Misura l'importazione di N persone con percorso (nessuna modifica al database)."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000)
        parser.add_argument("--runs", type=int, default=3)
        parser.add_argument("--project", help="slug del progetto (predefinito: il primo)")

    def handle(self, *args, people, runs, project, **options):
        roles = ProjectRole.objects.filter(role="lead").select_related("project", "user")
        if project:
            roles = roles.filter(project__slug=project)
        role = roles.order_by("project_id").first()
        if role is None:
            raise CommandError("Nessun progetto con un responsabile: caricare prima seed_demo.")
        target, actor = role.project, role.user
        axis = target.axes.order_by("code").first()
        data = synthetic_people(people, target, axis.code if axis else "")
        self.stdout.write(
            f"{people} persone con percorso, progetto {target.slug}, "
            f"file CSV di {len(data) / 1048576:.1f} MB"
        )
        times = []
        for run in range(1, runs + 1):
            started = time.perf_counter()
            try:
                with transaction.atomic():
                    preview = run_import(PeopleImporter(project=target, actor=actor), data)
                    elapsed = time.perf_counter() - started
                    raise Rollback
            except Rollback:
                pass
            times.append(elapsed)
            self.stdout.write(
                f"prova {run}: {elapsed:.2f} s ({preview.creates} create, "
                f"{preview.updates} aggiornate)"
            )
        self.stdout.write(f"mediana: {statistics.median(times):.2f} s")
