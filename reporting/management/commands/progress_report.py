"""``manage.py progress_report PROJECT --period 2025-01-01:2025-06-30 --format pdf --output F``:
the progress report of a project for a period, as PDF, XLSX, CSV or JSON, from the live
data (no version is recorded: that is what "Genera relazione" in the portal does)."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.models import Project, ReportingPeriod
from reporting.exports import participants_csv, report_export
from reporting.report_data import build_report_data, snapshot_sha256

FORMATS = ("pdf", "xlsx", "csv", "json", "participants-csv")


def parse_period(value: str) -> tuple[dt.date, dt.date]:
    try:
        first, last = value.split(":")
        start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError as error:
        raise CommandError(
            _(
                "Periodo non valido: scrivi AAAA-MM-GG:AAAA-MM-GG, per esempio "
                "2025-01-01:2025-06-30."
            )
        ) from error
    if end < start:
        raise CommandError(_("Periodo non valido: la fine precede l'inizio."))
    return start, end


class Command(BaseCommand):
    help = gettext_lazy(
        "Scrive la relazione di avanzamento di un progetto per un periodo in PDF, XLSX, "
        "CSV o JSON (o l'elenco pseudonimizzato dei partecipanti per la Regione)."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", help=gettext_lazy("identificativo del progetto (slug)"))
        parser.add_argument(
            "--period", required=True, help=gettext_lazy("AAAA-MM-GG:AAAA-MM-GG, estremi inclusi")
        )
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--language", choices=("it", "en"), default="it")
        parser.add_argument("--output", required=True, help=gettext_lazy("file da scrivere"))

    def handle(self, *args, **options):
        try:
            project = Project.objects.select_related("programme", "lead_organisation").get(
                slug=options["project"]
            )
        except Project.DoesNotExist as error:
            raise CommandError(
                _("Nessun progetto con identificativo «%(slug)s».") % {"slug": options["project"]}
            ) from error
        start, end = parse_period(options["period"])
        period = ReportingPeriod.objects.filter(
            project=project, start_date=start, end_date=end
        ).first() or ReportingPeriod(project=project, name="", start_date=start, end_date=end)
        fmt = options["format"]
        if fmt == "participants-csv":
            content = participants_csv(project, start, end)
            checksum = ""
        else:
            data = build_report_data(project, period)
            content, _type, _ext = report_export(data, fmt, language=options["language"])
            checksum = snapshot_sha256(data)
        Path(options["output"]).write_bytes(content)
        message = _("Scritto %(file)s (%(size)d byte).") % {
            "file": options["output"],
            "size": len(content),
        }
        if checksum:
            message += " SHA-256: " + checksum
        self.stdout.write(message)
