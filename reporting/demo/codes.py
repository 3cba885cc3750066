"""Codici fiscali of the synthetic people and partite IVA of the demo organisations."""

from __future__ import annotations

import datetime as dt
import unicodedata

from stdnum import luhn
from stdnum.it import codicefiscale

MONTH_LETTERS = "ABCDEHLMPRST"
OMOCODIA = "LMNPQRSTUV"
VOWELS = set("AEIOU")


def ascii_letters(text: str) -> str:
    """Upper-case A-Z letters of a name, accents removed ("D'Angelo" -> "DANGELO")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.upper() if "A" <= c <= "Z")


def surname_code(surname: str) -> str:
    """The three letters of the surname: consonants, then vowels, then X."""
    letters = ascii_letters(surname)
    consonants = [c for c in letters if c not in VOWELS]
    vowels = [c for c in letters if c in VOWELS]
    return ("".join(consonants + vowels) + "XXX")[:3]


def name_code(name: str) -> str:
    """The three letters of the first name: with four or more consonants the 1st, 3rd and
    4th; otherwise like the surname."""
    letters = ascii_letters(name)
    consonants = [c for c in letters if c not in VOWELS]
    if len(consonants) >= 4:
        return consonants[0] + consonants[2] + consonants[3]
    vowels = [c for c in letters if c in VOWELS]
    return ("".join(consonants + vowels) + "XXX")[:3]


def person_tax_code(
    last_name: str,
    first_name: str,
    birth: dt.date,
    sex: str,
    place_code: str,
    omocodia_level: int = 0,
) -> str:
    """A codice fiscale consistent with name, birth date, sex and birthplace.

    ``omocodia_level`` (0-3) replaces the digits of the cadastral code from the right with
    letters, as the Agenzia delle Entrate does when two people would get the same code.
    """
    day = birth.day + (40 if sex == "F" else 0)
    body = (
        surname_code(last_name)
        + name_code(first_name)
        + f"{birth.year % 100:02d}"
        + MONTH_LETTERS[birth.month - 1]
        + f"{day:02d}"
        + place_code
    )
    chars = list(body)
    for position in (14, 13, 12)[:omocodia_level]:
        chars[position] = OMOCODIA[int(chars[position])]
    body = "".join(chars)
    return body + codicefiscale.calc_check_digit(body)


def organisation_vat(sequence: int) -> str:
    """A formally valid partita IVA (office code 015, Milano) for a demo organisation."""
    body = f"{9100000 + sequence * 1237:07d}015"
    return body + luhn.calc_check_digit(body)
