"""Imports from XLSX and CSV: two steps (preview, then all rows or none), the problems of
each row in Italian, refused files with a clear message, scoping, the command, and the
round trip of the demo people through the template."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from beneficiaries import models as b
from beneficiaries.imports.engine import ImportRefused, run_import
from beneficiaries.imports.people import COLUMNS as PEOPLE_COLUMNS
from beneficiaries.imports.registry import IMPORTERS
from labs.models import Building, HousingUnit
from tests import factories as f
from tests.factories import make_tax_code

pytestmark = pytest.mark.django_db

PEOPLE_HEADER = [str(c.header) for c in PEOPLE_COLUMNS]


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.IMPORT_PRIVATE_DIR = tmp_path / "imports"


def snapshot():
    """Every table an import may write, with the history tables."""
    models = [
        b.Person,
        b.Person.history.model,
        b.Registration,
        b.Path,
        b.Path.history.model,
        b.Household,
        b.HouseholdMember,
        b.Tenancy,
        b.Attendance,
        Building,
        HousingUnit,
    ]
    return {m.__name__: m.objects.count() for m in models} | {
        "names": sorted(b.Person.objects.values_list("last_name", "first_name", "phone")),
        "hours": sorted(b.Attendance.objects.values_list("hours", flat=True)),
    }


def person_row(seq, **changes):
    birth = changes.pop("birth", dt.date(1980, 1, 1) + dt.timedelta(days=seq))
    row = {
        "Cognome": f"Cognome{seq}",
        "Nome": f"Nome{seq}",
        "Codice fiscale": make_tax_code(9000 + seq, birth, "F"),
        "Data di nascita": birth.strftime("%d/%m/%Y"),
        "Sesso": "F",
        "Cittadinanza": "IT",
        "Data di ingresso nel percorso": "01/03/2019",
        "Asse": "LAB",
        "Ore previste": "40,5",
        "Condizione occupazionale": "Disoccupato/a (con DID)",
        "Mesi di disoccupazione": "7",
        "Titolo di studio ISCED": "3",
        "Nessun occupato nel nucleo": "sì",
        "Migrante o origine straniera": "preferisce non rispondere",
        "Disabilità": "no",
    }
    row.update(changes)
    return row


# A row with the person only: every path column left empty.
NO_PATH = {
    column: ""
    for column in (
        "Data di ingresso nel percorso",
        "Asse",
        "Ore previste",
        "Condizione occupazionale",
        "Mesi di disoccupazione",
        "Titolo di studio ISCED",
        "Nessun occupato nel nucleo",
        "Migrante o origine straniera",
        "Disabilità",
    )
}


def csv_bytes(rows, header=None, delimiter=";", encoding="utf-8"):
    header = header or PEOPLE_HEADER
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=None):
    header = header or PEOPLE_HEADER
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def importer(world, kind="persone", user=None, project=None):
    return IMPORTERS[kind](project=project or world.a, actor=user or world.alice)


def refused(world, data, kind="persone"):
    """Run an import that must be refused; return every problem and the message."""
    before = snapshot()
    with pytest.raises(ImportRefused) as caught:
        run_import(importer(world, kind), data)
    assert snapshot() == before  # nothing written
    problems = [p for r in caught.value.preview.rows for p in r.problems]
    return " | ".join(problems)


def upload(client, world, data, name="persone.csv", kind="persone", user=None):
    client.force_login(user or world.alice)
    url = reverse("imports:import-start", args=["valle"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data)})


# --- the two steps ---------------------------------------------------------------------


def test_preview_lists_rows_then_confirm_saves_all(client, world):
    maria_code = world.maria.tax_code
    data = csv_bytes(
        [
            person_row(1),
            person_row(2),
            person_row(
                3,
                **{
                    "Codice fiscale": maria_code,
                    "Cognome": "Rossi",
                    "Nome": "Maria Grazia",
                    "Data di nascita": "12/04/1975",
                    **NO_PATH,
                },
            ),
        ]
    )
    before = snapshot()
    response = upload(client, world, data)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    html = preview.content.decode()
    assert "2 da creare, 1 da aggiornare" in html
    assert "Cognome1 Nome1" in html and "aggiorna" in html
    assert snapshot() == before  # the preview writes nothing

    token = re.search(r'name="t" value="([^"]+)"', html).group(1)
    done = client.post(response["Location"].split("?")[0], {"t": token})
    assert done.status_code == 302
    assert b.Person.objects.count() == before["Person"] + 2  # Maria updated, not duplicated
    world.maria.refresh_from_db()
    assert world.maria.first_name == "Maria Grazia"
    new = b.Path.objects.get(project=world.a, person__last_name="Cognome1")
    assert new.labour_status == "unemployed" and new.unemployment_months == 7
    assert new.education_level == 3 and new.jobless_household is True
    assert new.foreign_background == "declined" and str(new.planned_hours) == "40.50"
    assert b.Registration.objects.filter(project=world.a, person=new.person).exists()
    assert new.history.get().history_user == world.alice  # audit trail kept in bulk
    assert world.maria.history.first().history_user == world.alice


def test_an_existing_paths_entry_profile_is_never_rewritten(world):
    """The ESF entry profile is frozen at entry: a row that differs from Maria's open
    path is refused (nothing saved); the same profile again changes nothing."""
    path = world.maria.paths.get()
    maria = {
        "Codice fiscale": world.maria.tax_code,
        "Cognome": "Rossi",
        "Nome": "Maria",
        "Data di nascita": "12/04/1975",
    }
    problems = refused(world, csv_bytes([person_row(1, **maria)]))
    assert "profilo d'ingresso diverso" in problems
    assert "titolo di studio" in problems.lower()
    same = person_row(
        1,
        **maria,
        **{
            "Asse": path.axis.code,
            "Data di ingresso nel percorso": path.entry_date.strftime("%d/%m/%Y"),
            "Ore previste": str(path.planned_hours).replace(".", ","),
            "Mesi di disoccupazione": str(path.unemployment_months),
            "Titolo di studio ISCED": str(path.education_level),
            "Migrante o origine straniera": "preferisce non rispondere",
            "Disabilità": "sì",
        },
    )
    run_import(importer(world), csv_bytes([same]))
    path.refresh_from_db()
    assert (path.version, path.education_level, path.disability) == (1, 2, "yes")


def test_windows_1252_semicolon_and_utf8_comma_and_xlsx_are_read(world):
    accented = person_row(1, **{"Cognome": "D'Amico Niccolò", "Luogo di nascita": "Cantù"})
    for data in (
        csv_bytes([accented], encoding="cp1252"),
        b"\xef\xbb\xbf" + csv_bytes([person_row(2)], delimiter=","),
        xlsx_bytes([person_row(3, **{"Data di nascita": dt.date(1980, 1, 4)})]),
    ):
        run_import(importer(world), data)
    assert b.Person.objects.filter(last_name="D'Amico Niccolò", birth_place="Cantù").exists()
    assert b.Person.objects.filter(last_name__in=["Cognome2", "Cognome3"]).count() == 2


# --- problems of a row: each refuses the whole file ------------------------------------


def test_invalid_codice_fiscale(world):
    bad = person_row(2, **{"Codice fiscale": "RSSMRA75D52F205X"})
    problems = refused(world, csv_bytes([person_row(1), bad]))
    assert "carattere di controllo del codice fiscale" in problems


def test_codice_fiscale_not_matching_birth_date(world):
    bad = person_row(1, **{"Data di nascita": "02/02/1980"})
    assert "diversa dalla data inserita" in refused(world, csv_bytes([bad]))


def test_date_out_of_range(world):
    assert "fuori dall'intervallo" in refused(
        world, csv_bytes([person_row(1, **{"Data di nascita": "01/01/1890", "Codice fiscale": ""})])
    )
    assert "fuori dal periodo del progetto" in refused(
        world, csv_bytes([person_row(1, **{"Data di ingresso nel percorso": "01/01/2030"})])
    )


def test_missing_required_answer(world):
    row = person_row(1, **{"Titolo di studio ISCED": ""})
    assert "Manca la risposta obbligatoria «Titolo di studio ISCED»" in refused(
        world, csv_bytes([row])
    )
    row = person_row(1, **{"Sesso": ""})
    assert "manca «Sesso»" in refused(world, csv_bytes([row]))


def test_duplicate_of_an_existing_person_without_code(world):
    twin = person_row(
        1,
        **{
            "Cognome": "ROSSI",
            "Nome": "maria",
            "Codice fiscale": "",
            "Data di nascita": "12/04/1975",
        },
    )
    assert "Possibile doppione di Maria Rossi" in refused(world, csv_bytes([twin]))


def test_duplicate_inside_the_file(world):
    problems = refused(world, csv_bytes([person_row(1), person_row(2), person_row(1)]))
    assert "Codice fiscale ripetuto nel file (già alla riga 2)" in problems


def test_unknown_building_in_households(world):
    data = csv_bytes(
        [
            {
                "Codice nucleo": "VAL-900",
                "Codice fiscale del componente": world.maria.tax_code,
                "Relazione": "reference",
                "Componente dal": "01/01/2019",
                "Indirizzo edificio": "Via Inesistente 1",
                "Codice alloggio": "A1",
            }
        ],
        header=[str(c.header) for c in IMPORTERS["nuclei"].columns],
    )
    assert "Edificio o alloggio sconosciuto" in refused(world, data, kind="nuclei")


def test_confirm_checks_the_file_again(client, world):
    response = upload(client, world, csv_bytes([person_row(1, **{"Codice fiscale": ""})]))
    html = client.get(response["Location"]).content.decode()
    token = re.search(r'name="t" value="([^"]+)"', html).group(1)
    # Someone registers the same person while the preview is open.
    twin = f.PersonFactory(
        first_name="Nome1", last_name="Cognome1", tax_code=None, birth_date=dt.date(1980, 1, 2)
    )
    b.Registration.objects.create(project=world.a, person=twin, registered_on=dt.date(2019, 1, 1))
    before = snapshot()
    answer = client.post(response["Location"].split("?")[0], {"t": token})
    assert answer.status_code == 200
    assert "nessuna riga è stata salvata" in answer.content.decode()
    assert "Possibile doppione" in answer.content.decode()
    assert snapshot() == before


# --- bad files -------------------------------------------------------------------------


def _refused_file(client, world, data, name, message):
    before = snapshot()
    response = upload(client, world, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert snapshot() == before


def test_not_a_spreadsheet(client, world):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    _refused_file(client, world, png, "foto.csv", "non è un foglio di calcolo leggibile")
    _refused_file(client, world, b"PK\x03\x04broken", "x.xlsx", "non è un foglio di calcolo")
    _refused_file(client, world, b"solo testo senza colonne\n", "x.csv", "non sembra un foglio")


def test_too_large(client, world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    data = csv_bytes([person_row(i) for i in range(30)])
    _refused_file(client, world, data, "p.csv", "Il file è troppo grande")


def test_formulas_are_refused(client, world):
    book = openpyxl.Workbook()
    book.active.append(PEOPLE_HEADER)
    book.active.append(["Rossi", '=HYPERLINK("http://x")', "", "01/01/1980", "F"])
    out = io.BytesIO()
    book.save(out)
    _refused_file(client, world, out.getvalue(), "p.xlsx", "Il file contiene formule")
    row = person_row(1, **{"Telefono": "=1+2"})
    _refused_file(client, world, csv_bytes([row]), "p.csv", "Il file contiene formule")


def test_missing_header(client, world):
    header = [h for h in PEOPLE_HEADER if h != "Data di nascita"]
    data = csv_bytes([person_row(1)], header=header)
    _refused_file(client, world, data, "p.csv", "Mancano colonne obbligatorie")
    _refused_file(client, world, b"", "p.csv", "vuoto")


def test_one_hundred_thousand_rows(client, world):
    row = ";".join(["Rossi", "Anna", "", "01/01/1980", "F"]) + "\n"
    data = (";".join(PEOPLE_HEADER) + "\n" + row * 100_000).encode()
    _refused_file(client, world, data, "p.csv", "Il file ha più di 50.000 righe")


# --- scope -----------------------------------------------------------------------------


def test_only_users_who_may_change_people_import(client, world):
    data = csv_bytes([person_row(1)])
    before = snapshot()
    for user in (world.paolo, world.bruno, world.rita):
        assert upload(client, world, data, user=user).status_code == 404
    assert snapshot() == before


def test_a_token_works_only_for_its_user(client, world):
    response = upload(client, world, csv_bytes([person_row(1)]))
    html = client.get(response["Location"]).content.decode()
    token = re.search(r'name="t" value="([^"]+)"', html).group(1)
    before = snapshot()
    client.force_login(world.sofia)  # same project, other user
    answer = client.post(response["Location"].split("?")[0], {"t": token})
    assert answer.status_code == 302 and answer["Location"].endswith("/importa/")
    assert snapshot() == before
    client.force_login(world.bruno)
    url = reverse("imports:import-preview", args=["borgo", "persone"])
    assert client.post(url, {"t": token}).status_code == 302
    assert snapshot() == before


def test_template_has_italian_headers_and_instructions(client, world):
    client.force_login(world.sofia)
    for kind, cls in IMPORTERS.items():
        response = client.get(reverse("imports:import-template", args=["valle", kind]))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["Dati", "Istruzioni"]
        header = [c.value for c in book["Dati"][1]]
        assert header == [str(c.header) for c in cls.columns]
        assert "Codice fiscale" in " ".join(header) or kind in (
            "edifici",
            "pagamenti-piani-di-rientro",
        )
        assert book["Istruzioni"]["A1"].value == str(cls.title)


# --- other imports ---------------------------------------------------------------------


def test_buildings_households_and_attendance(world):
    hood = world.unit.building.neighbourhood
    hood.projects.add(world.a)
    territory = csv_bytes(
        [
            {
                "Quartiere": hood.name,
                "Indirizzo edificio": "Via Nuova 3",
                "Ente proprietario": world.unit.building.owner.name,
                "Codice alloggio": "N-1",
                "Piano": "2",
                "Regime": "Canone moderato",
            },
            {
                "Quartiere": hood.name,
                "Indirizzo edificio": "Via Nuova 3",
                "Ente proprietario": world.unit.building.owner.name,
                "Codice alloggio": "N-2",
            },
        ],
        header=[str(c.header) for c in IMPORTERS["edifici"].columns],
    )
    run_import(importer(world, "edifici"), territory)
    building = Building.objects.get(address="Via Nuova 3")
    assert building.units.count() == 2
    assert building.units.get(owner_code="N-1").tenure == "canone_moderato"

    run_import(importer(world), csv_bytes([person_row(1), person_row(2)]))
    codes = [
        make_tax_code(9001, dt.date(1980, 1, 2), "F"),
        make_tax_code(9002, dt.date(1980, 1, 3), "F"),
    ]
    households = csv_bytes(
        [
            {
                "Codice nucleo": "VAL-100",
                "Codice fiscale del componente": codes[0],
                "Relazione": "Intestatario / persona di riferimento",
                "Componente dal": "01/02/2019",
                "Fascia ISEE": "fino a € 6.000",
                "Indirizzo edificio": "Via Nuova 3",
                "Codice alloggio": "N-1",
            },
            {
                "Codice nucleo": "VAL-100",
                "Codice fiscale del componente": codes[1],
                "Relazione": "child",
                "Componente dal": "01/02/2019",
            },
        ],
        header=[str(c.header) for c in IMPORTERS["nuclei"].columns],
    )
    run_import(importer(world, "nuclei"), households)
    household = b.Household.objects.get(project=world.a, code="VAL-100")
    assert household.members.count() == 2 and household.isee_band == "0-6000"
    assert household.tenancies.get().unit.owner_code == "N-1"

    header = [str(c.header) for c in IMPORTERS["presenze"].columns]
    attendance = csv_bytes(
        [
            {
                "Data dell'incontro": "06/05/2019",
                "Attività": "cucito",
                "Codice fiscale": codes[0],
                "Ore di presenza": "1,5",
            },
            {
                "Data dell'incontro": "06/05/2019",
                "Attività": "Cucito",
                "Codice fiscale": world.maria.tax_code,
                "Ore di presenza": "1",
            },
        ],
        header=header,
    )
    preview = run_import(importer(world, "presenze"), attendance)
    assert (preview.creates, preview.updates) == (1, 1)
    assert world.session.attendances.get(person=world.maria).hours == 1
    assert world.session.attendances.count() == 2
    too_long = csv_bytes(
        [
            {
                "Data dell'incontro": "06/05/2019",
                "Attività": "Cucito",
                "Codice fiscale": codes[1],
                "Ore di presenza": "9",
            },
            {
                "Data dell'incontro": "07/05/2019",
                "Attività": "Cucito",
                "Codice fiscale": codes[1],
                "Ore di presenza": "1",
            },
        ],
        header=header,
    )
    problems = refused(world, too_long, kind="presenze")
    assert "Ore di presenza fuori dall'intervallo" in problems
    assert "Incontro sconosciuto" in problems


# --- the command -----------------------------------------------------------------------


def test_command_imports_and_refuses(world, tmp_path):
    good = tmp_path / "persone.csv"
    good.write_bytes(csv_bytes([person_row(1)]))
    out = io.StringIO()
    call_command("import_data", "persone", str(good), project="valle", user="alice", stdout=out)
    assert "1 righe da creare" in out.getvalue()
    assert b.Path.objects.filter(person__last_name="Cognome1").exists()

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([person_row(2), person_row(2)]))
    before = snapshot()
    with pytest.raises(CommandError, match="nessuna riga è stata salvata"):
        call_command(
            "import_data",
            "persone",
            str(bad),
            project="valle",
            user="alice",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    with pytest.raises(CommandError, match="non modificabile"):
        call_command("import_data", "persone", str(good), project="valle", user="paolo")
    assert snapshot() == before


# --- round trip ------------------------------------------------------------------------


def test_upload_waits_in_a_private_file_removed_after_saving(client, world, settings):
    response = upload(client, world, csv_bytes([person_row(1)]))
    stored = list(settings.IMPORT_PRIVATE_DIR.iterdir())
    assert len(stored) == 1 and stored[0].stat().st_mode & 0o777 == 0o600
    html = client.get(response["Location"]).content.decode()
    token = re.search(r'name="t" value="([^"]+)"', html).group(1)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    before = snapshot()
    answer = client.post(response["Location"].split("?")[0], {"t": tampered})
    assert answer.status_code == 302 and snapshot() == before
    client.post(response["Location"].split("?")[0], {"t": token})
    assert b.Person.objects.filter(last_name="Cognome1").exists()
    assert not list(settings.IMPORT_PRIVATE_DIR.iterdir())


def test_non_rilevato_is_accepted_for_the_household_answers_of_the_profile(world):
    unknown = {
        "Nessun occupato nel nucleo": "non rilevato",
        "Figli a carico": "Non rilevato",
        "Unico adulto nel nucleo": "NON RILEVATO",
        "Senza dimora o esclusione abitativa": "non rilevato",
    }
    run_import(importer(world), csv_bytes([person_row(1, **unknown)]))
    path = b.Path.objects.get(project=world.a, person__last_name="Cognome1")
    assert (
        path.jobless_household,
        path.dependent_children,
        path.single_adult_household,
        path.homeless_or_housing_exclusion,
    ) == (None, None, None, None)
    # Rural area has no "unknown": a yes/no answer or nothing.
    assert "rispondere sì o no" in refused(
        world, csv_bytes([person_row(2, **{"Area rurale": "non rilevato"})])
    )


def test_citizenship_is_read_as_a_country_name_or_code(world):
    rows = [
        person_row(1, Cittadinanza="Marocco"),
        person_row(2, Cittadinanza="eg"),
        person_row(3, Cittadinanza=""),
    ]
    run_import(importer(world), csv_bytes(rows))
    got = dict(
        b.Person.objects.filter(last_name__startswith="Cognome").values_list(
            "last_name", "citizenship"
        )
    )
    assert got == {"Cognome1": "MA", "Cognome2": "EG", "Cognome3": "IT"}
    assert "«italiana» non è un paese" in refused(
        world, csv_bytes([person_row(4, Cittadinanza="italiana")])
    )


@pytest.mark.parametrize("typed", ["NaN", "Infinity", "-inf"])
def test_a_number_that_is_not_finite_is_a_row_problem(world, typed):
    problems = refused(world, csv_bytes([person_row(1, **{"Ore previste": typed})]))
    assert f"Ore previste: «{typed}» non è un numero." in problems
    problems = refused(world, csv_bytes([person_row(1, **{"Mesi di disoccupazione": typed})]))
    assert f"«{typed}» non è un numero" in problems
