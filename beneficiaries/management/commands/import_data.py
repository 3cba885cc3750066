"""Scripted loads: the same checks and all-or-nothing save as the import page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from beneficiaries.imports.engine import ImportRefused, build_preview, run_import
from beneficiaries.imports.reading import ImportFileError
from beneficiaries.imports.registry import IMPORTERS
from labs import access
from labs.models import Project


class Command(BaseCommand):
    help = "Importa un file XLSX o CSV in un progetto (persone, nuclei, edifici, presenze)."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS))
        parser.add_argument("file")
        parser.add_argument("--project", required=True, help="identificativo (slug) del progetto")
        parser.add_argument("--user", required=True, help="utente che importa (people.change)")
        parser.add_argument(
            "--dry-run", action="store_true", help="solo controllo, nessun salvataggio"
        )

    def handle(self, *args, kind, file, project, user, dry_run, **options):
        actor = get_user_model().objects.filter(username=user, is_active=True).first()
        target = Project.objects.filter(slug=project).first()
        if actor is None or target is None or not access.can(actor, "people.change", target.pk):
            raise CommandError(_("Progetto inesistente o non modificabile da questo utente."))
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        importer = IMPORTERS[kind](project=target, actor=actor)
        try:
            preview = build_preview(importer, data) if dry_run else run_import(importer, data)
        except ImportFileError as error:
            raise CommandError(error.message) from None
        except ImportRefused as refused:
            if refused.preview:
                self._problems(refused.preview)
            raise CommandError(refused.message) from None
        if dry_run:
            self._problems(preview)
        self.stdout.write(
            _("%(verb)s: %(c)d righe da creare, %(u)d da aggiornare, %(p)d con problemi.")
            % {
                "verb": _("Controllo") if dry_run else _("Importato"),
                "c": preview.creates,
                "u": preview.updates,
                "p": len(preview.problem_rows),
            }
        )

    def _problems(self, preview):
        for row in preview.problem_rows:
            for problem in row.problems:
                self.stderr.write(_("Riga %(n)d: %(p)s") % {"n": row.number, "p": problem})
