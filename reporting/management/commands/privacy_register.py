"""Write the register of processing and the DPIA draft (docs/dpia.md) from the models."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reporting.privacy_register import render, unclassified


class Command(BaseCommand):
    help = (
        "Scrive il registro dei trattamenti e la bozza di DPIA dai modelli "
        "(--write docs/dpia.md; senza, lo stampa)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--write", metavar="FILE", help="il file da scrivere")

    def handle(self, *args, write=None, **options):
        missing = unclassified()
        if missing:
            raise CommandError("Campi non descritti in nessun privacy.py: " + ", ".join(missing))
        text = render()
        if write:
            Path(write).write_text(text, encoding="utf-8")
            self.stdout.write(f"Scritto {write}.")
        else:
            self.stdout.write(text, ending="")
