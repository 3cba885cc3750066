"""Validators for Italian identifiers, with messages a municipal clerk understands.

Every app imports them from here (partners depends on no other app of ours).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.it import codicefiscale, iva

CUP_RE = re.compile(r"^[A-Z]\d{2}[A-Z]\d{11}$")


def normalise_code(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def validate_person_tax_code(value: str) -> None:
    """A person's codice fiscale: 16 characters, check letter right, omocodia accepted."""
    code = normalise_code(value)
    if len(code) != 16:
        raise ValidationError(
            _("Il codice fiscale di una persona ha 16 caratteri (ne sono stati inseriti %(n)d)."),
            code="cf_length",
            params={"n": len(code)},
        )
    try:
        codicefiscale.validate(code)
    except InvalidChecksum:
        raise ValidationError(
            _(
                "Il carattere di controllo del codice fiscale non è corretto: verificare di averlo "
                "trascritto bene."
            ),
            code="cf_checksum",
        ) from None
    except (InvalidFormat, InvalidComponent, InvalidLength):
        raise ValidationError(
            _(
                "Il codice fiscale non ha il formato corretto (6 lettere, 2 cifre, 1 lettera, "
                "2 cifre, 1 lettera, 3 cifre, 1 lettera)."
            ),
            code="cf_format",
        ) from None


def validate_organisation_tax_code(value: str) -> None:
    """An organisation's partita IVA or numeric codice fiscale (11 digits), or a sole
    trader's personal codice fiscale (16 characters)."""
    code = normalise_code(value)
    if len(code) == 16:
        validate_person_tax_code(code)
        return
    if len(code) != 11 or not (code.isascii() and code.isdigit()):
        raise ValidationError(
            _("La partita IVA o il codice fiscale dell'ente è composto da 11 cifre."),
            code="vat_format",
        )
    try:
        iva.validate(code)
    except InvalidChecksum:
        raise ValidationError(
            _("La cifra di controllo della partita IVA non è corretta."), code="vat_checksum"
        ) from None
    except (InvalidFormat, InvalidComponent, InvalidLength):
        raise ValidationError(
            _("La partita IVA non è valida (codice dell'ufficio o formato errato)."),
            code="vat_format",
        ) from None


def validate_cup(value: str) -> None:
    """CUP (Codice Unico di Progetto): 15 characters, e.g. E41H17000080009.

    The structure is letter, two digits, letter, eleven digits; the CIPE has not published
    a check-digit rule, so only the shape is checked.
    """
    code = normalise_code(value)
    if len(code) != 15:
        raise ValidationError(
            _("Il CUP è composto da 15 caratteri (ne sono stati inseriti %(n)d)."),
            code="cup_length",
            params={"n": len(code)},
        )
    if not CUP_RE.match(code):
        raise ValidationError(
            _(
                "Il CUP non ha il formato corretto: una lettera, due cifre, una lettera e undici "
                "cifre (es. E41H17000080009)."
            ),
            code="cup_format",
        )
