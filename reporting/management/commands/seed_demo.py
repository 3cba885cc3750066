"""``manage.py seed_demo``: load the five seed projects as demo data (see reporting.demo)."""

import time

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.models import ProjectRole
from reporting import demo as demo_data

ROLE_LABELS = {
    "admin": gettext_lazy("Amministratore"),
    "regional_officer": gettext_lazy("Funzionario regionale"),
    **dict(ProjectRole.Role.choices),
}


class Command(BaseCommand):
    help = gettext_lazy(
        "Carica come dati dimostrativi i cinque progetti di riferimento (Valverde, Trezzano, "
        "Adda Martesana, RiCA, MILO Lab). Se sono già caricati non cambia nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=gettext_lazy("Cancella i dati dimostrativi e li ricarica da capo."),
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        with transaction.atomic():
            if options["reset"]:
                deleted = demo_data.delete_demo()
                self.stdout.write(
                    _("Dati dimostrativi cancellati: %(rows)d righe.")
                    % {"rows": sum(deleted.values())}
                )
            elif demo_data.is_loaded():
                self.stdout.write(
                    _(
                        "I dati dimostrativi sono già caricati: nessuna modifica. "
                        "Usare --reset per ricaricarli."
                    )
                )
                self.print_logins()
                return
            counts = demo_data.load_demo()
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                _("Dati dimostrativi caricati in %(seconds).1f secondi.") % {"seconds": elapsed}
            )
        )
        width = max(len(label) for label, _count in counts)
        for label, count in counts:
            self.stdout.write(f"  {label:<{width}}  {count:>7}")
        self.print_logins()

    def print_logins(self):
        rows = []
        for spec in demo_data.DEMO_USERS:
            roles = spec["roles"] or [(None, spec["kind"])]
            for slug, role in roles:
                rows.append(
                    (spec["username"], str(ROLE_LABELS[role]), slug or "–", demo_data.DEMO_PASSWORD)
                )
        headers = (_("Utente"), _("Ruolo"), _("Progetto"), _("Password"))
        widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(4)]
        self.stdout.write("")
        self.stdout.write(_("Accessi dimostrativi:"))
        for row in [headers, *rows]:
            line = "  ".join(f"{v:<{w}}" for v, w in zip(row, widths, strict=True))
            self.stdout.write("  " + line.rstrip())
