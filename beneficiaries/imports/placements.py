"""Placements (tirocini, borse lavoro, work experiences): one row per placement of a
person already on a path in the project, at a company already in the register. A row
with the same person, company and start date updates the placement."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.companies.models import HostCompany
from labs.concurrency import ConcurrentEditError
from labs.models import Partnership, ProjectRole
from partners.validators import normalise_code

from ..models import Path, Placement
from ..placements.services import placement_save
from .engine import (
    Column,
    Importer,
    Row,
    RowProblem,
    key,
    messages_of,
    parse_choice,
    parse_date,
    parse_decimal,
    text,
)

C = Column
COLUMNS = [
    C(
        "tax_code",
        gettext_lazy("Codice fiscale"),
        True,
        gettext_lazy("La persona deve avere un percorso nel progetto"),
    ),
    C(
        "kind",
        gettext_lazy("Tipo"),
        True,
        gettext_lazy("Tirocinio extracurricolare, Borsa lavoro o Esperienza di lavoro retribuita"),
    ),
    C(
        "host_vat",
        gettext_lazy("Partita IVA dell'azienda"),
        True,
        gettext_lazy("L'azienda deve essere nel registro del progetto"),
    ),
    C(
        "promoter",
        gettext_lazy("Ente promotore"),
        True,
        gettext_lazy("Nome o codice fiscale di un ente della partnership"),
    ),
    C(
        "tutor",
        gettext_lazy("Tutor (nome utente)"),
        False,
        gettext_lazy("Un operatore del progetto"),
    ),
    C("start_date", gettext_lazy("Inizio"), True, gettext_lazy("gg/mm/aaaa")),
    C("end_date", gettext_lazy("Fine prevista"), True, gettext_lazy("gg/mm/aaaa")),
    C("weekly_hours", gettext_lazy("Ore settimanali"), True, gettext_lazy("da 1 a 40")),
    C("monthly_grant", gettext_lazy("Indennità mensile (€)"), True, gettext_lazy("es. 500,00")),
    C(
        "outcome",
        gettext_lazy("Esito"),
        False,
        gettext_lazy("Assunto/a, Concluso senza assunzione o Interrotto; vuoto se in corso"),
    ),
    C("outcome_date", gettext_lazy("Data dell'esito"), False, gettext_lazy("gg/mm/aaaa")),
    C(
        "contract_type",
        gettext_lazy("Tipo di contratto"),
        False,
        gettext_lazy("Solo per un'assunzione"),
    ),
    C(
        "interruption_reason",
        gettext_lazy("Motivo dell'interruzione"),
        False,
        gettext_lazy("Solo se interrotto"),
    ),
]
LABELS = {c.key: str(c.header) for c in COLUMNS}
FIELD_LABELS = {
    "start_date": LABELS["start_date"],
    "end_date": LABELS["end_date"],
    "weekly_hours": LABELS["weekly_hours"],
    "monthly_grant": LABELS["monthly_grant"],
    "outcome": LABELS["outcome"],
    "outcome_date": LABELS["outcome_date"],
    "contract_type": LABELS["contract_type"],
    "interruption_reason": LABELS["interruption_reason"],
}


class PlacementImporter(Importer):
    kind = "tirocini"
    title = gettext_lazy("Tirocini e borse lavoro")
    capability = "placements.change"
    sheet_help = gettext_lazy(
        "Una riga per inserimento. La persona deve essere già in carico con un percorso nel "
        "progetto e l'azienda già nel registro delle aziende; una riga con la stessa persona, "
        "azienda e data di inizio aggiorna l'inserimento."
    )
    columns = COLUMNS

    def check(self, rows: list[Row]) -> dict:
        project = self.project
        codes = {normalise_code(text(r.cells.get("tax_code"))) for r in rows}
        paths: dict[str, list[Path]] = {}
        for path in (
            Path.objects.filter(project=project, person__tax_code__in=codes)
            .select_related("person")
            .order_by("entry_date")
        ):
            paths.setdefault(path.person.tax_code, []).append(path)
        hosts = {h.vat_number: h for h in HostCompany.objects.filter(project=project)}
        promoters = {}
        for partnership in Partnership.objects.filter(project=project).select_related(
            "organisation"
        ):
            organisation = partnership.organisation
            promoters[key(organisation.name)] = organisation
            if organisation.tax_code:
                promoters[normalise_code(organisation.tax_code)] = organisation
        tutors = {
            role.user.username.lower(): role.user
            for role in ProjectRole.objects.filter(project=project).select_related("user")
        }
        existing = {
            (p.path_id, p.host_id, p.start_date): p
            for p in Placement.objects.filter(path__project=project)
        }
        seen: dict[tuple, int] = {}
        for row in rows:
            c = row.cells
            for name in (
                "tax_code",
                "kind",
                "host_vat",
                "promoter",
                "start_date",
                "end_date",
                "weekly_hours",
                "monthly_grant",
            ):
                try:
                    self.required(row, name)
                except RowProblem as error:
                    row.problems.append(str(error))
            values = {}
            for name, parser in (
                ("start_date", parse_date),
                ("end_date", parse_date),
                ("outcome_date", parse_date),
                ("weekly_hours", parse_decimal),
                ("monthly_grant", parse_decimal),
            ):
                try:
                    values[name] = parser(c.get(name))
                except RowProblem as error:
                    row.problems.append(f"{LABELS[name]}: {error}")
            for name, choices in (
                ("kind", Placement.Kind.choices),
                ("outcome", Placement.Outcome.choices),
                ("contract_type", Placement.Contract.choices),
            ):
                try:
                    values[name] = parse_choice(c.get(name), choices)
                except RowProblem as error:
                    row.problems.append(f"{LABELS[name]}: {error}")
            values["interruption_reason"] = text(c.get("interruption_reason"))[:2000]
            tax_code = normalise_code(text(c.get("tax_code")))
            vat = normalise_code(text(c.get("host_vat")))
            row.label = f"{tax_code} – {vat}"
            path = None
            start = values.get("start_date")
            candidates = paths.get(tax_code, [])
            if tax_code and not candidates:
                row.problems.append(
                    _("Codice fiscale %(cf)s: nessun percorso nel progetto.") % {"cf": tax_code}
                )
            elif candidates:
                fitting = [p for p in candidates if not start or p.entry_date <= start]
                path = (fitting or candidates)[-1]
            host = hosts.get(vat)
            if vat and host is None:
                row.problems.append(
                    _("Partita IVA %(v)s: azienda non presente nel registro del progetto.")
                    % {"v": vat}
                )
            promoter_text = text(c.get("promoter"))
            promoter = promoters.get(key(promoter_text)) or promoters.get(
                normalise_code(promoter_text)
            )
            if promoter_text and promoter is None:
                row.problems.append(
                    _("Ente promotore «%(o)s»: non è un ente della partnership.")
                    % {"o": promoter_text}
                )
            tutor_name = text(c.get("tutor")).lower()
            tutor = tutors.get(tutor_name)
            if tutor_name and tutor is None:
                row.problems.append(
                    _("Tutor «%(u)s»: non è un operatore del progetto.") % {"u": tutor_name}
                )
            if row.problems or path is None or host is None or promoter is None:
                continue
            identity = (path.pk, host.pk, start)
            if identity in seen:
                row.problems.append(
                    _("Inserimento ripetuto nel file (già alla riga %(n)d).")
                    % {"n": seen[identity]}
                )
                continue
            seen[identity] = row.number
            placement = existing.get(identity) or Placement()
            row.action = "update" if placement.pk else "create"
            for name, value in values.items():
                setattr(placement, name, value)
            placement.path, placement.host, placement.promoter, placement.tutor = (
                path,
                host,
                promoter,
                tutor,
            )
            try:
                placement.full_clean()
            except ValidationError as error:
                row.problems.extend(messages_of(error, FIELD_LABELS))
                continue
            row.data = {"placement": placement}
        return {}

    def save(self, rows: list[Row], state: dict) -> None:
        for row in rows:
            placement = row.data["placement"]
            try:
                placement_save(placement=placement, expected_version=placement.version)
            except ConcurrentEditError as error:  # someone edited it since the preview
                raise ValidationError(str(error)) from None
