"""Apply the retention rule: anonymise the people of closed projects past their
retention date (beneficiaries/retention.py, docs/dpia.md)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from beneficiaries.retention import retention_apply, retention_plan


class Command(BaseCommand):
    help = (
        "Anonimizza le persone dei progetti conclusi oltre la data di conservazione "
        "(--dry-run: mostra cosa farebbe senza cambiare nulla)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="non cambia nulla")
        parser.add_argument("--date", help="la data di oggi, AAAA-MM-GG (prove)")

    def handle(self, *args, dry_run=False, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("--date: una data AAAA-MM-GG.") from None
        plan = retention_plan(today)
        out = self.stdout
        if not plan.expired:
            out.write(
                f"Nessun progetto concluso oltre la data di conservazione al {plan.today:%d/%m/%Y}."
            )
            return
        for project, ends in plan.expired:
            out.write(
                f"Progetto {project.short_name} ({project.cup}): "
                f"conservazione fino al {ends:%d/%m/%Y}"
            )
        out.write(f"Persone da anonimizzare: {len(plan.people)}")
        out.write(
            "Persone tenute perché in un progetto ancora nel periodo di conservazione: "
            f"{len(plan.kept)}"
        )
        out.write(f"Nuclei da anonimizzare: {len(plan.households)}")
        if dry_run:
            out.write("Prova (--dry-run): nessun dato cambiato.")
            return
        for what, count in retention_apply(plan).items():
            out.write(f"{what}: {count}")
