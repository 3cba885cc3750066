"""Italian identifiers: a wrong codice fiscale, partita IVA or CUP is refused with a message a
municipal clerk understands, by the validator and by the model's full_clean."""

import datetime as dt
import string

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn
from stdnum.it.codicefiscale import calc_check_digit

from beneficiaries.models import Person
from labs.models import Project
from partners.models import Organisation
from partners.validators import (
    validate_cup,
    validate_organisation_tax_code,
    validate_person_tax_code,
)
from tests import builders as b

MONTHS = "ABCDEHLMPRST"
OMOCODIA = dict(zip("0123456789", "LMNPQRSTUV", strict=True))
DIGIT_POSITIONS = (6, 7, 9, 10, 12, 13, 14)  # year, day, place number

MARIA = b.tax_code(dt.date(1980, 1, 1), "F")  # a valid code for a woman born 1 Jan 1980

CF_LENGTH = "Il codice fiscale di una persona ha 16 caratteri (ne sono stati inseriti {n})."
CF_CHECKSUM = (
    "Il carattere di controllo del codice fiscale non è corretto: verificare di "
    "averlo trascritto bene."
)
CF_FORMAT = (
    "Il codice fiscale non ha il formato corretto (6 lettere, 2 cifre, 1 lettera, "
    "2 cifre, 1 lettera, 3 cifre, 1 lettera)."
)
VAT_FORMAT = "La partita IVA o il codice fiscale dell'ente è composto da 11 cifre."
VAT_CHECKSUM = "La cifra di controllo della partita IVA non è corretta."
VAT_OFFICE = "La partita IVA non è valida (codice dell'ufficio o formato errato)."
CUP_LENGTH = "Il CUP è composto da 15 caratteri (ne sono stati inseriti {n})."
CUP_FORMAT = (
    "Il CUP non ha il formato corretto: una lettera, due cifre, una lettera e undici "
    "cifre (es. E41H17000080009)."
)


def with_check(body: str) -> str:
    return body + calc_check_digit(body)


def wrong_check(code: str, shift: int = 1) -> str:
    return code[:15] + chr((ord(code[15]) - 65 + shift) % 26 + 65)


def omocodic(code: str, positions) -> str:
    body = list(code[:15])
    for i in positions:
        body[i] = OMOCODIA[body[i]]
    return with_check("".join(body))


def messages(validator, value) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        validator(value)
    return refused.value.messages


BAD_PERSON_CODES = [
    pytest.param(MARIA[:15], CF_LENGTH.format(n=15), id="too-short"),
    pytest.param(MARIA + "X", CF_LENGTH.format(n=17), id="too-long"),
    pytest.param("", CF_LENGTH.format(n=0), id="empty"),
    pytest.param(wrong_check(MARIA), CF_CHECKSUM, id="wrong-check-letter"),
    pytest.param(wrong_check(MARIA, 13), CF_CHECKSUM, id="other-wrong-check-letter"),
    pytest.param(with_check("R55MRA80A41F205"), CF_FORMAT, id="digits-in-surname"),
    pytest.param(with_check("RSSMRA80Z41F205"), CF_FORMAT, id="month-letter-Z"),
    pytest.param(with_check("RSSMRAXYA41F205"), CF_FORMAT, id="letters-not-omocodia-in-year"),
    pytest.param(with_check("RSSMRA80B70F205"), CF_FORMAT, id="30-february"),
    pytest.param(MARIA[:15] + "1", CF_FORMAT, id="digit-as-check"),
]
BAD_VAT = [
    pytest.param("00835500159", VAT_CHECKSUM, id="wrong-check-digit"),
    pytest.param("0083550015A", VAT_FORMAT, id="letter"),
    pytest.param("0083550015", VAT_FORMAT, id="10-digits"),
    pytest.param("008355001580", VAT_FORMAT, id="12-digits"),
    pytest.param("12345672005", VAT_OFFICE, id="unknown-office-200"),
    pytest.param("00000000000", VAT_OFFICE, id="all-zeros"),
    pytest.param(wrong_check(MARIA), CF_CHECKSUM, id="sole-trader-code-wrong-check"),
]
BAD_CUP = [
    pytest.param("E41H1700008000", CUP_LENGTH.format(n=14), id="14-chars"),
    pytest.param("E41H170000800091", CUP_LENGTH.format(n=16), id="16-chars"),
    pytest.param("141H17000080009", CUP_FORMAT, id="digit-first"),
    pytest.param("E4AH17000080009", CUP_FORMAT, id="letter-in-year"),
    pytest.param("E411170000800A9", CUP_FORMAT, id="letter-in-tail"),
]


# the validators ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "message"), BAD_PERSON_CODES)
def test_person_tax_code_validator_refuses(value, message):
    assert messages(validate_person_tax_code, value) == [message]


@pytest.mark.parametrize(
    "value",
    [
        MARIA,
        MARIA.lower(),
        f" {MARIA[:6]} {MARIA[6:11]} {MARIA[11:]} ",
        b.tax_code(dt.date(1975, 12, 31), "M", place="Z404"),  # born abroad (USA)
        omocodic(MARIA, [14]),  # omocodia: the last digit becomes a letter
        omocodic(MARIA, DIGIT_POSITIONS),  # every digit replaced
    ],
    ids=["plain", "lowercase", "with-spaces", "born-abroad", "omocodia-1", "omocodia-7"],
)
def test_person_tax_code_validator_accepts(value):
    validate_person_tax_code(value)


@pytest.mark.parametrize(("value", "message"), BAD_VAT)
def test_organisation_tax_code_validator_refuses(value, message):
    assert messages(validate_organisation_tax_code, value) == [message]


@pytest.mark.parametrize(
    "value",
    ["00835500158", "008 355 001 58", "008.355.001-58", b.vat(4242), MARIA],
    ids=["comune-di-canegrate", "with-spaces", "with-dots", "built", "sole-trader"],
)
def test_organisation_tax_code_validator_accepts(value):
    validate_organisation_tax_code(value)


@pytest.mark.parametrize(("value", "message"), BAD_CUP)
def test_cup_validator_refuses(value, message):
    assert messages(validate_cup, value) == [message]


@pytest.mark.parametrize("value", ["E41H17000080009", "e41h17000080009", "E41H 1700 0080 009"])
def test_cup_validator_accepts(value):
    validate_cup(value)


# full_clean puts the message on the right field ------------------------------------------


def field_errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


def new_person(**kw) -> Person:
    kw = {
        "first_name": "Maria",
        "last_name": "Rossi",
        "birth_date": dt.date(1980, 1, 1),
        "sex": "F",
        "tax_code": MARIA,
    } | kw
    return Person(**kw)


def new_project(**kw) -> Project:
    kw = {
        "programme": b.programme(),
        "lead_organisation": b.organisation(),
        "title": "Laboratorio sociale Stadera",
        "short_name": "Stadera",
        "slug": "stadera",
        "cup": "E41H17000080009",
        "start_date": dt.date(2018, 1, 1),
        "end_date": dt.date(2020, 12, 31),
    } | kw
    return Project(**kw)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [p for p in BAD_PERSON_CODES if p.id != "empty"],  # blank is allowed
)
def test_person_full_clean_refuses_tax_code(value, message):
    errors = field_errors(new_person(tax_code=value))
    assert list(errors) == ["tax_code"]
    assert message in errors["tax_code"]


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "message"), BAD_VAT)
def test_organisation_full_clean_refuses_tax_code(value, message):
    errors = field_errors(
        Organisation(name="Cooperativa Lotta", kind="cooperativa", tax_code=value)
    )
    assert errors == {"tax_code": [message]}


@pytest.mark.django_db
@pytest.mark.parametrize(("value", "message"), BAD_CUP)
def test_project_full_clean_refuses_cup(value, message):
    errors = field_errors(new_project(cup=value))
    assert list(errors) == ["cup"]
    assert message in errors["cup"]


@pytest.mark.django_db
def test_valid_rows_pass_full_clean():
    new_person().full_clean()
    new_person(tax_code=None).full_clean()
    new_person(tax_code=omocodic(MARIA, [12, 13, 14])).full_clean()
    Organisation(name="Comune di Canegrate", kind="comune", tax_code="00835500158").full_clean()
    Organisation(name="Associazione senza codice", kind="associazione").full_clean()
    new_project().full_clean()


# Person.clean: the code must match the birth date and sex --------------------------------


@pytest.mark.django_db
def test_person_code_for_another_birth_date_is_refused():
    errors = field_errors(new_person(birth_date=dt.date(1980, 1, 2)))
    assert errors == {
        "tax_code": [
            "Il codice fiscale indica la nascita il 01/01/1980, diversa dalla data inserita."
        ]
    }


@pytest.mark.django_db
def test_person_code_for_another_sex_is_refused():
    errors = field_errors(new_person(sex="M"))
    assert errors == {"tax_code": ["Il codice fiscale non corrisponde al sesso indicato."]}


@pytest.mark.django_db
def test_person_code_of_a_man_matches_his_data():
    new_person(
        first_name="Mario", sex="M", tax_code=b.tax_code(dt.date(1980, 1, 1), "M")
    ).full_clean()


@pytest.mark.django_db
def test_non_binary_person_is_not_checked_on_the_sex_of_the_code():
    new_person(sex="X").full_clean()


@pytest.mark.django_db
@pytest.mark.parametrize("born", [dt.date(2021, 5, 4), dt.date(1915, 5, 4)])
def test_person_born_outside_1920_2019_with_right_code_passes(born):
    """The code's year has two digits: the century comes from the birth date typed in."""
    new_person(birth_date=born, tax_code=b.tax_code(born, "F")).full_clean()


@pytest.mark.django_db
def test_person_omocodic_code_for_another_birth_date_is_refused():
    code = omocodic(MARIA, [9, 10])
    errors = field_errors(new_person(birth_date=dt.date(1980, 1, 2), tax_code=code))
    assert list(errors) == ["tax_code"]


# property: any well-built code validates, any other check letter does not -----------------

names = st.text(string.ascii_uppercase, min_size=6, max_size=6)
places = st.tuples(st.sampled_from(string.ascii_uppercase), st.integers(0, 999)).map(
    lambda p: f"{p[0]}{p[1]:03d}"
)


@settings(database=None)
@given(
    name=names,
    born=st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)),
    sex=st.sampled_from("MF"),
    place=places,
    swapped=st.sets(st.sampled_from(DIGIT_POSITIONS)),
    shift=st.integers(1, 25),
)
def test_any_well_built_code_validates_and_its_check_letter_matters(
    name, born, sex, place, swapped, shift
):
    day = born.day + (40 if sex == "F" else 0)
    code = with_check(f"{name}{born.year % 100:02d}{MONTHS[born.month - 1]}{day:02d}{place}")
    if swapped:
        code = omocodic(code, swapped)
    validate_person_tax_code(code)
    assert messages(validate_person_tax_code, wrong_check(code, shift)) == [CF_CHECKSUM]


@settings(database=None)
@given(number=st.integers(1, 9_999_999), office=st.integers(1, 100), shift=st.integers(1, 9))
def test_any_well_built_partita_iva_validates_and_its_check_digit_matters(number, office, shift):
    body = f"{number:07d}{office:03d}"
    check = int(luhn.calc_check_digit(body))
    validate_organisation_tax_code(f"{body}{check}")
    wrong = f"{body}{(check + shift) % 10}"
    assert messages(validate_organisation_tax_code, wrong) == [VAT_CHECKSUM]
