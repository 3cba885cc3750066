"""People with their registration, individual path and ESF entry profile."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from labs.models import Axis
from partners.validators import normalise_code

from ..models import Answer, Path, Person, Registration, Sex, earliest_birth_date
from ..services import _name_key
from .engine import (
    Column,
    Importer,
    Row,
    RowProblem,
    key,
    messages_of,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    text,
)

PERSON_FIELDS = [
    "first_name",
    "last_name",
    "tax_code",
    "birth_date",
    "sex",
    "birth_place",
    "citizenship",
    "phone",
    "email",
]
BOOL_FIELDS = [
    "jobless_household",
    "dependent_children",
    "single_adult_household",
    "homeless_or_housing_exclusion",
    "rural_area",
]
ANSWER_FIELDS = [
    "foreign_background",
    "third_country_national",
    "minority",
    "disability",
    "other_disadvantage",
]
PATH_FIELDS = [
    "axis",
    "entry_date",
    "planned_hours",
    "labour_status",
    "unemployment_months",
    "education_level",
    *BOOL_FIELDS,
    *ANSWER_FIELDS,
]
# The ESF entry profile cannot be sent without these answers ("preferisce non
# rispondere" is an answer for the special categories).
REQUIRED_PATH_ANSWERS = ["labour_status", "education_level"]
# A blank cell is a forgotten answer; "non rilevato" says knowingly that the office has
# none (stored empty, reported as an incomplete profile, as in the portal's forms).
NOT_RECORDED = "non rilevato"

labour_statuses = lazy(
    lambda: "; ".join(str(label) for _c, label in Path.LabourStatus.choices) + "; " + NOT_RECORDED,
    str,
)
C = Column
COLUMNS = [
    C("last_name", gettext_lazy("Cognome"), True),
    C("first_name", gettext_lazy("Nome"), True),
    C(
        "tax_code",
        gettext_lazy("Codice fiscale"),
        False,
        gettext_lazy("16 caratteri; se già presente nel portale la persona viene aggiornata."),
    ),
    C("birth_date", gettext_lazy("Data di nascita"), True, gettext_lazy("gg/mm/aaaa")),
    C("sex", gettext_lazy("Sesso"), True, gettext_lazy("F, M o X (non binario)")),
    C("birth_place", gettext_lazy("Luogo di nascita")),
    C(
        "citizenship",
        gettext_lazy("Cittadinanza"),
        False,
        gettext_lazy(
            "Nome del paese o codice ISO a 2 lettere, es. Italia, MA, Romania; vuoto = IT"
        ),
    ),
    C("phone", gettext_lazy("Telefono")),
    C("email", gettext_lazy("E-mail")),
    C(
        "registered_on",
        gettext_lazy("Data di iscrizione al progetto"),
        False,
        gettext_lazy("gg/mm/aaaa; vuoto = data di ingresso nel percorso o oggi"),
    ),
    C(
        "entry_date",
        gettext_lazy("Data di ingresso nel percorso"),
        False,
        gettext_lazy("Vuota se la persona non ha un percorso individuale"),
    ),
    C("axis", gettext_lazy("Asse"), False, gettext_lazy("Codice del sub-progetto, es. LAB")),
    C("planned_hours", gettext_lazy("Ore previste")),
    C(
        "labour_status",
        gettext_lazy("Condizione occupazionale"),
        False,
        labour_statuses(),  # read in the language of whoever downloads the template
    ),
    C("unemployment_months", gettext_lazy("Mesi di disoccupazione")),
    C(
        "education_level",
        gettext_lazy("Titolo di studio ISCED"),
        False,
        gettext_lazy("Numero da 0 a 8, oppure «non rilevato»"),
    ),
    C(
        "jobless_household",
        gettext_lazy("Nessun occupato nel nucleo"),
        False,
        gettext_lazy("sì / no / non rilevato"),
    ),
    C(
        "dependent_children",
        gettext_lazy("Figli a carico"),
        False,
        gettext_lazy("sì / no / non rilevato"),
    ),
    C(
        "single_adult_household",
        gettext_lazy("Unico adulto nel nucleo"),
        False,
        gettext_lazy("sì / no / non rilevato"),
    ),
    C(
        "homeless_or_housing_exclusion",
        gettext_lazy("Senza dimora o esclusione abitativa"),
        False,
        gettext_lazy("sì / no / non rilevato"),
    ),
    C("rural_area", gettext_lazy("Area rurale"), False, gettext_lazy("sì/no")),
    C(
        "foreign_background",
        gettext_lazy("Migrante o origine straniera"),
        False,
        gettext_lazy("sì / no / preferisce non rispondere"),
    ),
    C(
        "third_country_national",
        gettext_lazy("Cittadino di paese terzo"),
        False,
        gettext_lazy("sì / no / preferisce non rispondere"),
    ),
    C(
        "minority",
        gettext_lazy("Minoranza"),
        False,
        gettext_lazy("sì / no / preferisce non rispondere"),
    ),
    C(
        "disability",
        gettext_lazy("Disabilità"),
        False,
        gettext_lazy("sì / no / preferisce non rispondere"),
    ),
    C(
        "other_disadvantage",
        gettext_lazy("Altro svantaggio"),
        False,
        gettext_lazy("sì / no / preferisce non rispondere"),
    ),
]


def parse_country(value) -> str:
    """A country by its ISO code (IT, ma) or its name in Italian or English (Marocco)."""
    raw = text(value)
    if not raw:
        return "IT"
    if len(raw) == 2 and raw.upper() in countries:
        return raw.upper()
    code = countries.by_name(raw, language="it") or countries.by_name(raw, language="en")
    if not code:
        raise RowProblem(
            _("«%(v)s» non è un paese: indicare il nome o il codice ISO.") % {"v": raw}
        )
    return code


def _labels() -> dict[str, str]:
    return {c.key: str(c.header) for c in COLUMNS}


class PeopleImporter(Importer):
    kind = "persone"
    title = gettext_lazy("Persone con percorso e profilo FSE")
    sheet_help = gettext_lazy(
        "Una riga per persona. Se il codice fiscale è già nel portale la persona viene "
        "aggiornata e iscritta al progetto; le colonne del percorso si compilano solo per "
        "chi ha un percorso individuale."
    )
    columns = COLUMNS

    def _parse(self, row: Row, axes: dict, today: dt.date) -> None:
        c = row.cells
        problems = row.problems
        person: dict = {}
        path: dict = {}

        def read(name, parser, target, *args):
            try:
                target[name] = parser(c.get(name), *args)
            except RowProblem as error:
                problems.append(f"{_labels()[name]}: {error}")

        for name in ("last_name", "first_name", "birth_date", "sex"):
            try:
                self.required(row, name)
            except RowProblem as error:
                problems.append(str(error))
        person["last_name"] = text(c.get("last_name"))
        person["first_name"] = text(c.get("first_name"))
        person["tax_code"] = normalise_code(text(c.get("tax_code"))) or None
        read("birth_date", parse_date, person)
        read("sex", parse_choice, person, Sex.choices)
        person["birth_place"] = text(c.get("birth_place"))
        read("citizenship", parse_country, person)
        person["phone"] = text(c.get("phone"))
        person["email"] = text(c.get("email"))
        if person["email"]:
            try:
                validate_email(person["email"])
            except ValidationError:
                problems.append(_("E-mail: indirizzo non valido."))
        birth = person.get("birth_date")
        if birth and not (earliest_birth_date(today) <= birth <= today):
            problems.append(
                _("Data di nascita fuori dall'intervallo ammesso (%(s)s – oggi).")
                % {"s": earliest_birth_date(today).strftime("%d/%m/%Y")}
            )
        read("registered_on", parse_date, row.data)
        read("entry_date", parse_date, path)
        if path.get("entry_date"):
            entry = path["entry_date"]
            if not (self.project.start_date <= entry <= self.project.end_date):
                problems.append(
                    _(
                        "Data di ingresso nel percorso fuori dal periodo del progetto "
                        "(%(s)s – %(e)s)."
                    )
                    % {
                        "s": self.project.start_date.strftime("%d/%m/%Y"),
                        "e": self.project.end_date.strftime("%d/%m/%Y"),
                    }
                )
            code = text(c.get("axis"))
            path["axis"] = axes.get(code.casefold()) if code else None
            if code and path["axis"] is None:
                problems.append(_("Asse «%(c)s» sconosciuto nel progetto.") % {"c": code})
            read("planned_hours", parse_decimal, path)
            if path.get("planned_hours") is None:
                path["planned_hours"] = 0
            unknown = {n for n in REQUIRED_PATH_ANSWERS if key(text(c.get(n))) == NOT_RECORDED}
            if "labour_status" in unknown:
                path["labour_status"] = ""
            else:
                read("labour_status", parse_choice, path, Path.LabourStatus.choices)
            read("unemployment_months", parse_int, path)
            if "education_level" in unknown:
                path["education_level"] = None
            else:
                read("education_level", parse_int, path)
            level = path.get("education_level")
            if level is not None and not 0 <= level <= 8:
                problems.append(_("Titolo di studio ISCED: indicare un numero da 0 a 8."))
            for name in BOOL_FIELDS:
                # The household answers may be unknown (stored empty); rural area may not.
                if name != "rural_area" and key(text(c.get(name))) == NOT_RECORDED:
                    path[name] = None  # knowingly not recorded, as a blank is
                else:
                    read(name, parse_bool, path)
            path["rural_area"] = bool(path.get("rural_area"))
            for name in ANSWER_FIELDS:
                read(name, parse_choice, path, Answer.choices)
            for name in REQUIRED_PATH_ANSWERS:
                if name in path and path[name] in (None, "") and name not in unknown:
                    problems.append(
                        _("Manca la risposta obbligatoria «%(q)s» del profilo FSE.")
                        % {"q": _labels()[name]}
                    )
        else:
            filled = [_labels()[n] for n in PATH_FIELDS if n != "entry_date" and text(c.get(n))]
            if filled:
                problems.append(
                    _("Dati del percorso senza data di ingresso nel percorso (%(cols)s).")
                    % {"cols": ", ".join(filled)}
                )
            path = {}
        row.data["person"] = person
        row.data["path"] = path
        row.label = f"{person['last_name']} {person['first_name']}".strip()

    def _validate_models(self, row: Row) -> None:
        """The same model validation as the forms, without the per-row queries."""
        if row.problems:
            return
        person = Person(**row.data["person"])
        try:
            person.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            row.problems.extend(messages_of(error, _labels()))
            return
        row.data["person"]["tax_code"] = person.tax_code
        row.data["person_obj"] = person  # validated instance, saved as is if new
        if row.data["path"]:
            path = Path(project=self.project, **row.data["path"])
            row.data["path_obj"] = path
            try:
                # Foreign keys are checked above from one query (axes of the project),
                # not by one query per row.
                path.full_clean(
                    exclude=["person", "project", "axis", "tutor"],
                    validate_unique=False,
                    validate_constraints=False,
                )
            except ValidationError as error:
                row.problems.extend(messages_of(error, _labels()))

    def check(self, rows: list[Row]) -> dict:
        project = self.project
        axes = {a.code.casefold(): a for a in Axis.objects.filter(project=project)}
        today = timezone.localdate()
        for row in rows:
            self._parse(row, axes, today)
            self._validate_models(row)

        codes = [r.data["person"]["tax_code"] for r in rows if r.data["person"].get("tax_code")]
        existing: dict[str, Person] = {}
        for start in range(0, len(codes), 500):
            for person in Person.objects.filter(tax_code__in=codes[start : start + 500]):
                existing[person.tax_code] = person
        in_project = Person.objects.in_project(project.pk)
        registered = set(
            Registration.objects.filter(project=project).values_list("person_id", flat=True)
        )
        paths = {p.person_id: p for p in Path.objects.filter(project=project)}
        births = {
            r.data["person"].get("birth_date") for r in rows if not r.data["person"].get("tax_code")
        }
        births.discard(None)
        same_name: dict[tuple, Person] = {}
        if births:
            for person in in_project.filter(birth_date__in=births):
                for names in (
                    (_name_key(person.first_name), _name_key(person.last_name)),
                    (_name_key(person.last_name), _name_key(person.first_name)),
                ):
                    same_name[(*names, person.birth_date)] = person

        seen_codes: dict[str, int] = {}
        seen_names: dict[tuple, int] = {}
        for row in rows:
            data = row.data["person"]
            code = data.get("tax_code")
            name_key = (
                _name_key(data["first_name"]),
                _name_key(data["last_name"]),
                data.get("birth_date"),
            )
            if code:
                if code in seen_codes:
                    row.problems.append(
                        _("Codice fiscale ripetuto nel file (già alla riga %(n)d).")
                        % {"n": seen_codes[code]}
                    )
                seen_codes.setdefault(code, row.number)
            else:
                if name_key in seen_names:
                    row.problems.append(
                        _(
                            "Persona ripetuta nel file (stessi nomi e data di nascita della riga "
                            "%(n)d)."
                        )
                        % {"n": seen_names[name_key]}
                    )
                seen_names.setdefault(name_key, row.number)
                twin = same_name.get(name_key)
                if twin is not None:
                    row.problems.append(
                        _(
                            "Possibile doppione di %(p)s, già presente nel progetto con la stessa "
                            "data di nascita: indicare il codice fiscale o correggere la riga."
                        )
                        % {"p": twin.full_name}
                    )
            match = existing.get(code) if code else None
            row.data["existing"] = match
            row.action = "update" if match else "create"
            if match and match.pk in paths:
                current = paths[match.pk]
                row.data["existing_path"] = current
                changed = [
                    name
                    for name, value in row.data["path"].items()
                    if name in PATH_FIELDS
                    and value not in (None, "")  # a blank cell is not an answer to compare
                    and getattr(current, name) != value
                ]
                if changed:
                    # The ESF entry profile is frozen at entry: an import never rewrites it.
                    row.problems.append(
                        _(
                            "La persona ha già un percorso aperto il %(d)s con un profilo "
                            "d'ingresso diverso (%(f)s): il profilo d'ingresso non si modifica "
                            "con un'importazione. Correggi la riga o il percorso dalla sua scheda."
                        )
                        % {
                            "d": current.entry_date.strftime("%d/%m/%Y"),
                            "f": ", ".join(
                                str(Path._meta.get_field(n).verbose_name) for n in changed
                            ),
                        }
                    )
        return {"registered": registered}

    def save(self, rows: list[Row], state: dict) -> None:
        today = timezone.localdate()
        registered: set = state["registered"]
        new_people, changed_people = [], []
        for row in rows:
            data = row.data["person"]
            person = row.data.get("existing")
            if person is None:
                person = row.data["person_obj"]
                new_people.append(person)
            else:
                for name, value in data.items():
                    setattr(person, name, value)
                person.version += 1
                changed_people.append(person)
            row.data["obj"] = person
        if new_people:
            bulk_create_with_history(new_people, Person, batch_size=500, default_user=self.actor)
            # Some backends do not return the keys of bulk-created rows.
            if any(p.pk is None for p in new_people):
                by_code = {}
                codes = [p.tax_code for p in new_people if p.tax_code]
                for start in range(0, len(codes), 500):
                    by_code.update(
                        Person.objects.filter(tax_code__in=codes[start : start + 500]).in_bulk(
                            field_name="tax_code"
                        )
                    )
                for p in new_people:
                    p.pk = by_code[p.tax_code].pk
        if changed_people:
            bulk_update_with_history(
                changed_people,
                Person,
                [*PERSON_FIELDS, "version"],
                batch_size=500,
                default_user=self.actor,
            )
        registrations, new_paths = [], []
        for row in rows:
            person = row.data["obj"]
            path_data = row.data["path"]
            if person.pk not in registered:
                registered.add(person.pk)
                registrations.append(
                    Registration(
                        project=self.project,
                        person=person,
                        registered_on=row.data.get("registered_on")
                        or path_data.get("entry_date")
                        or today,
                    )
                )
            if not path_data:
                continue
            if row.data.get("existing_path") is None:
                path = row.data["path_obj"]
                path.person = person
                new_paths.append(path)
            # An existing path is left as it is: the preview refused any difference.
        Registration.objects.bulk_create(registrations, batch_size=500)
        if new_paths:
            bulk_create_with_history(new_paths, Path, batch_size=500, default_user=self.actor)


def export_rows(project) -> list[list]:
    """The project's people in the import template's columns (the round trip)."""
    paths = {p.person_id: p for p in Path.objects.filter(project=project).select_related("axis")}
    regs = dict(
        Registration.objects.filter(project=project).values_list("person_id", "registered_on")
    )
    out = []
    for person in Person.objects.in_project(project.pk).order_by("pk"):
        path = paths.get(person.pk)
        row = {
            "last_name": person.last_name,
            "first_name": person.first_name,
            "tax_code": person.tax_code or "",
            "birth_date": person.birth_date.strftime("%d/%m/%Y"),
            "sex": person.sex,
            "birth_place": person.birth_place,
            "citizenship": person.citizenship.code,
            "phone": person.phone,
            "email": person.email,
            "registered_on": regs[person.pk].strftime("%d/%m/%Y") if person.pk in regs else "",
        }
        if path:
            row.update(
                entry_date=path.entry_date.strftime("%d/%m/%Y"),
                axis=path.axis.code if path.axis else "",
                planned_hours=str(path.planned_hours).replace(".", ","),
                labour_status=path.labour_status or NOT_RECORDED,
                unemployment_months=path.unemployment_months,
                education_level=NOT_RECORDED
                if path.education_level is None
                else path.education_level,
            )
            for name in BOOL_FIELDS:
                value = getattr(path, name)
                row[name] = "" if value is None else ("sì" if value else "no")
            for name in ANSWER_FIELDS:
                row[name] = getattr(path, name)
        out.append(["" if row.get(c.key) is None else row.get(c.key, "") for c in COLUMNS])
    return out
