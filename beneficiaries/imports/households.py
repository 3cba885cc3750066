"""Households with their members and, if given, the housing unit they live in."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.models import HousingUnit
from partners.validators import normalise_code

from ..models import Household, HouseholdMember, Person, Tenancy
from .engine import (
    Column,
    Importer,
    Row,
    RowProblem,
    key,
    parse_choice,
    parse_date,
    parse_int,
    text,
)

C = Column
COLUMNS = [
    C("code", gettext_lazy("Codice nucleo"), True, gettext_lazy("es. VAL-001")),
    C(
        "tax_code",
        gettext_lazy("Codice fiscale del componente"),
        True,
        gettext_lazy("La persona deve essere già nel progetto (modello Persone)"),
    ),
    C(
        "relation",
        gettext_lazy("Relazione"),
        True,
        "; ".join(str(label) for _c, label in HouseholdMember.Relation.choices),
    ),
    C("start_date", gettext_lazy("Componente dal"), True, gettext_lazy("gg/mm/aaaa")),
    C(
        "isee_band",
        gettext_lazy("Fascia ISEE"),
        False,
        "; ".join(str(label) for c, label in Household.IseeBand.choices if c),
    ),
    C("isee_year", gettext_lazy("Anno della DSU")),
    C(
        "address",
        gettext_lazy("Indirizzo edificio"),
        False,
        gettext_lazy("Con «Codice alloggio»: l'alloggio in cui vive il nucleo"),
    ),
    C("unit_code", gettext_lazy("Codice alloggio")),
    C(
        "moved_in",
        gettext_lazy("Data di ingresso nell'alloggio"),
        False,
        gettext_lazy("gg/mm/aaaa; vuoto = data del componente"),
    ),
]
LABELS = {c.key: str(c.header) for c in COLUMNS}


class HouseholdImporter(Importer):
    kind = "nuclei"
    title = gettext_lazy("Nuclei familiari con i componenti")
    sheet_help = gettext_lazy(
        "Una riga per componente; le righe con lo stesso codice nucleo formano un nucleo. "
        "Le persone si importano prima con il modello Persone."
    )
    columns = COLUMNS

    def check(self, rows: list[Row]) -> dict:
        project = self.project
        households = {h.code.casefold(): h for h in Household.objects.filter(project=project)}
        codes = {normalise_code(text(r.cells.get("tax_code"))) for r in rows}
        people = {
            p.tax_code: p for p in Person.objects.in_project(project.pk).filter(tax_code__in=codes)
        }
        open_members = {
            m.person_id: m
            for m in HouseholdMember.objects.filter(
                person__in=people.values(), end_date__isnull=True
            )
        }
        units = {
            (key(u.building.address), u.owner_code.casefold()): u
            for u in HousingUnit.objects.in_projects(project).select_related("building")
        }
        current = {t.unit_id: t for t in Tenancy.objects.filter(moved_out__isnull=True)}
        seen_people: dict[str, int] = {}
        references: dict[str, int] = {}
        for row in rows:
            c = row.cells
            for name in ("code", "tax_code", "relation", "start_date"):
                try:
                    self.required(row, name)
                except RowProblem as error:
                    row.problems.append(str(error))
            data: dict = {}
            for name, parser, args in (
                ("relation", parse_choice, (HouseholdMember.Relation.choices,)),
                ("start_date", parse_date, ()),
                ("isee_band", parse_choice, (Household.IseeBand.choices,)),
                ("isee_year", parse_int, ()),
                ("moved_in", parse_date, ()),
            ):
                try:
                    data[name] = parser(c.get(name), *args)
                except RowProblem as error:
                    row.problems.append(f"{LABELS[name]}: {error}")
            code = text(c.get("code"))
            tax_code = normalise_code(text(c.get("tax_code")))
            row.label = f"{code} – {tax_code}"
            person = people.get(tax_code)
            if tax_code and person is None:
                row.problems.append(
                    _(
                        "Codice fiscale %(cf)s: persona non presente nel progetto "
                        "(importarla prima con il modello Persone)."
                    )
                    % {"cf": tax_code}
                )
            if tax_code in seen_people:
                row.problems.append(
                    _("Componente ripetuto nel file (già alla riga %(n)d).")
                    % {"n": seen_people[tax_code]}
                )
            seen_people.setdefault(tax_code, row.number)
            if data.get("relation") == "reference":
                if code.casefold() in references:
                    row.problems.append(
                        _("Il nucleo ha già una persona di riferimento alla riga %(n)d.")
                        % {"n": references[code.casefold()]}
                    )
                references.setdefault(code.casefold(), row.number)
            start = data.get("start_date")
            if start and not (1900 <= start.year and start <= project.end_date):
                row.problems.append(_("Data «Componente dal» fuori dall'intervallo ammesso."))
            year = data.get("isee_year")
            if year is not None and not 2000 <= year <= project.end_date.year + 1:
                row.problems.append(_("Anno della DSU fuori dall'intervallo ammesso."))
            household = households.get(code.casefold())
            unit = None
            address, unit_code = text(c.get("address")), text(c.get("unit_code"))
            if address or unit_code:
                unit = units.get((key(address), unit_code.casefold()))
                if unit is None:
                    row.problems.append(
                        _(
                            "Edificio o alloggio sconosciuto nel territorio del progetto "
                            "(%(a)s, alloggio %(u)s)."
                        )
                        % {"a": address, "u": unit_code}
                    )
                else:
                    tenancy = current.get(unit.pk)
                    if tenancy and (household is None or tenancy.household_id != household.pk):
                        row.problems.append(_("L'alloggio è già occupato da un altro nucleo."))
            member = open_members.get(person.pk) if person else None
            if member and (household is None or member.household_id != household.pk):
                row.problems.append(_("La persona fa già parte di un altro nucleo."))
            row.action = "update" if member else "create"
            row.data = {**data, "code": code, "person": person, "unit": unit, "member": member}
        return {"households": households}

    def save(self, rows: list[Row], state: dict) -> None:
        households = state["households"]
        for row in rows:
            d = row.data
            household = households.get(d["code"].casefold())
            if household is None:
                household = Household(project=self.project, code=d["code"])
                households[d["code"].casefold()] = household
            if d.get("isee_band"):
                household.isee_band = d["isee_band"]
            if d.get("isee_year"):
                household.isee_year = d["isee_year"]
            household.full_clean(validate_constraints=False)
            household.save()
            member = d["member"] or HouseholdMember(household=household, person=d["person"])
            member.relation = d["relation"]
            member.start_date = d["start_date"]
            member.full_clean()
            member.save()
            if (
                d["unit"] is not None
                and not household.tenancies.filter(unit=d["unit"], moved_out__isnull=True).exists()
            ):
                tenancy = Tenancy(
                    household=household,
                    unit=d["unit"],
                    moved_in=d.get("moved_in") or d["start_date"],
                )
                tenancy.full_clean()
                tenancy.save()
