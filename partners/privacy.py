"""How the personal data of each model is classified, for the register of processing
(GDPR art. 30) and the DPIA in docs/dpia.md, written by ``manage.py privacy_register``.

Each app declares its models in its own ``privacy.py`` (``REGISTER``, by model label),
next to the models: every stored field is either personal, special (GDPR art. 9 data,
the ESF's sensitive items, and the data of economic and social hardship: ISEE, arrears,
the diario sociale) or declared not personal. Relations to other rows are not listed:
what they point to is described there. ``tests/portal/test_privacy_register.py`` fails
when a field of a model of beneficiaries or partners is in none of the three lists.

Who may see the fields is named by a capability of labs.access (``seen_with``), turned
into roles when the register is written; "" means the administrator only (Django admin).
"""

from dataclasses import dataclass

# How long the data are kept (docs/dpia.md, "Conservazione").
PROJECT_RETENTION = (
    "fino alla data di conservazione del progetto (retention_until, o gli anni di "
    "conservazione del programma dopo la conclusione); poi anonimizzati da "
    "`manage.py apply_retention`"
)
PROJECT_DOCUMENTS = (
    "con i documenti del progetto fino alla sua data di conservazione; poi cancellabili "
    "dall'amministratore (non anonimizzati in automatico)"
)
ACCOUNT = "finché l'utente o l'ente è attivo nel portale; l'amministratore li disattiva o cancella"


@dataclass(frozen=True)
class Record:
    purpose: str
    subjects: str
    personal: tuple[str, ...] = ()
    special: tuple[str, ...] = ()
    not_personal: tuple[str, ...] = ()
    seen_with: str = "people.view_sensitive"
    special_seen_with: str = "people.view_sensitive"
    restriction: str = ""
    retention: str = PROJECT_RETENTION

    @property
    def classified(self) -> set[str]:
        return set(self.personal) | set(self.special) | set(self.not_personal)


REGISTER = {
    "partners.Organisation": Record(
        purpose="Anagrafica degli enti del partenariato",
        subjects="titolari di ditte individuali, referenti degli enti",
        personal=("tax_code", "pec", "email", "phone"),
        not_personal=(
            "name",
            "short_name",
            "kind",
            "address",
            "city",
            "accredited_labour",
            "accredited_training",
            "accreditation_notes",
        ),
        seen_with="project.view",
        restriction="Dati personali solo delle ditte individuali (codice fiscale di 16 caratteri).",
        retention=ACCOUNT,
    ),
    "partners.Membership": Record(
        purpose="Gestione degli utenti e dei loro enti",
        subjects="utenti del portale",
        personal=("job_title", "is_active"),
        seen_with="",
        retention=ACCOUNT,
    ),
    "auth.User": Record(
        purpose="Autenticazione e tracciamento delle modifiche",
        subjects="utenti del portale",
        personal=(
            "username",
            "first_name",
            "last_name",
            "email",
            "password",
            "last_login",
            "date_joined",
        ),
        not_personal=("is_staff", "is_active", "is_superuser"),
        seen_with="",
        restriction="La password è conservata solo come hash.",
        retention=ACCOUNT,
    ),
}
