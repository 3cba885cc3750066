"""Buildings and their housing units, in the project's neighbourhoods."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from labs.models import Building, HousingUnit, Neighbourhood
from partners.models import Organisation

from .engine import (
    Column,
    Importer,
    Row,
    RowProblem,
    key,
    messages_of,
    parse_choice,
    parse_int,
    text,
)

C = Column
COLUMNS = [
    C(
        "neighbourhood",
        gettext_lazy("Quartiere"),
        True,
        gettext_lazy("Uno dei quartieri del progetto, come scritto nel portale"),
    ),
    C("address", gettext_lazy("Indirizzo edificio"), True),
    C("name", gettext_lazy("Nome del complesso")),
    C(
        "owner",
        gettext_lazy("Ente proprietario"),
        True,
        gettext_lazy("Nome dell'ente gestore come registrato nel portale, es. ALER Milano"),
    ),
    C("building_code", gettext_lazy("Codice stabile")),
    C("declared_units", gettext_lazy("Alloggi dichiarati")),
    C("unit_code", gettext_lazy("Codice alloggio"), True),
    C("staircase", gettext_lazy("Scala")),
    C("floor", gettext_lazy("Piano"), False, gettext_lazy("Da -3 a 60; vuoto = 0")),
    C("rooms", gettext_lazy("Vani"), False, gettext_lazy("vuoto = 2")),
    C("surface_m2", gettext_lazy("Superficie m²")),
    C(
        "tenure",
        gettext_lazy("Regime"),
        False,
        "; ".join(str(label) for _c, label in HousingUnit.Tenure.choices),
    ),
    C(
        "status",
        gettext_lazy("Stato"),
        False,
        "; ".join(str(label) for _c, label in HousingUnit.Status.choices),
    ),
]
LABELS = {c.key: str(c.header) for c in COLUMNS}
UNIT_FIELDS = ["staircase", "floor", "rooms", "surface_m2", "tenure", "status"]


class BuildingImporter(Importer):
    kind = "edifici"
    capability = "territory.change"
    title = gettext_lazy("Edifici e alloggi")
    sheet_help = gettext_lazy(
        "Una riga per alloggio. L'edificio è riconosciuto da quartiere e indirizzo e viene "
        "creato alla prima riga che lo nomina; un alloggio già presente (stesso codice "
        "nell'edificio) viene aggiornato."
    )
    columns = COLUMNS

    def check(self, rows: list[Row]) -> dict:
        hoods = {key(n.name): n for n in Neighbourhood.objects.in_projects(self.project)}
        owners = {key(o.name): o for o in Organisation.objects.all()}
        buildings = {
            (b.neighbourhood_id, key(b.address)): b
            for b in Building.objects.filter(neighbourhood__in=hoods.values())
        }
        units = {
            (u.building_id, u.owner_code.casefold()): u
            for u in HousingUnit.objects.filter(building__in=buildings.values())
        }
        seen: dict[tuple, int] = {}
        for row in rows:
            c = row.cells
            for name in ("neighbourhood", "address", "owner", "unit_code"):
                try:
                    self.required(row, name)
                except RowProblem as error:
                    row.problems.append(str(error))
            hood = hoods.get(key(text(c.get("neighbourhood"))))
            if text(c.get("neighbourhood")) and hood is None:
                row.problems.append(
                    _("Quartiere «%(n)s» sconosciuto: non è tra i quartieri del progetto.")
                    % {"n": text(c.get("neighbourhood"))}
                )
            owner = owners.get(key(text(c.get("owner"))))
            if text(c.get("owner")) and owner is None:
                row.problems.append(
                    _("Ente proprietario «%(n)s» sconosciuto.") % {"n": text(c.get("owner"))}
                )
            unit: dict = {
                "owner_code": text(c.get("unit_code")),
                "staircase": text(c.get("staircase")),
            }
            for name, parser, args, default in (
                ("floor", parse_int, (), 0),
                ("rooms", parse_int, (), 2),
                ("surface_m2", parse_int, (), None),
                ("tenure", parse_choice, (HousingUnit.Tenure.choices,), "canone_sociale"),
                ("status", parse_choice, (HousingUnit.Status.choices,), "occupied"),
            ):
                try:
                    value = parser(c.get(name), *args)
                except RowProblem as error:
                    row.problems.append(f"{LABELS[name]}: {error}")
                    continue
                unit[name] = default if value in (None, "") else value
            if "floor" in unit and not -3 <= unit["floor"] <= 60:
                row.problems.append(_("Piano fuori dall'intervallo ammesso (da -3 a 60)."))
            if unit.get("rooms") is not None and unit["rooms"] < 1:
                row.problems.append(_("Vani: almeno 1."))
            try:
                declared = parse_int(c.get("declared_units"))
            except RowProblem as error:
                row.problems.append(f"{LABELS['declared_units']}: {error}")
                declared = None
            address = text(c.get("address"))
            row.label = f"{address} – {unit['owner_code']}"
            if row.problems:
                continue
            probe = HousingUnit(building=Building(), **unit)
            try:
                probe.full_clean(
                    exclude=["building"], validate_unique=False, validate_constraints=False
                )
            except ValidationError as error:
                row.problems.extend(messages_of(error, LABELS))
                continue
            building_key = (hood.pk, key(address))
            unit_key = (*building_key, unit["owner_code"].casefold())
            if unit_key in seen:
                row.problems.append(
                    _("Alloggio ripetuto nel file (già alla riga %(n)d).") % {"n": seen[unit_key]}
                )
                continue
            seen[unit_key] = row.number
            building = buildings.get(building_key)
            existing = units.get((building.pk, unit["owner_code"].casefold())) if building else None
            row.action = "update" if existing else "create"
            row.data = {
                "building_key": building_key,
                "building": {
                    "neighbourhood": hood,
                    "address": address,
                    "name": text(c.get("name")) or address,
                    "owner": owner,
                    "owner_code": text(c.get("building_code")),
                    "declared_units": declared,
                },
                "unit": unit,
                "existing": existing,
            }
        return {"buildings": buildings}

    def save(self, rows: list[Row], state: dict) -> None:
        buildings = state["buildings"]
        for row in rows:
            data = row.data
            building = buildings.get(data["building_key"])
            fields = {k: v for k, v in data["building"].items() if v not in (None, "")}
            if building is None:
                building = Building(**fields)
                building.full_clean()
                building.save()
                buildings[data["building_key"]] = building
            else:
                for name, value in fields.items():
                    setattr(building, name, value)
                building.save()
            unit = data["existing"] or HousingUnit(building=building)
            for name, value in data["unit"].items():
                setattr(unit, name, value)
            unit.building = building
            unit.full_clean()
            unit.save()
