from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .validators import normalise_code, validate_organisation_tax_code, validate_person_tax_code


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "comune", _("Comune")
        MUNICIPAL_UNION = "azienda_consortile", _("Azienda consortile / unione di comuni")
        HOUSING_AGENCY = "ente_erp", _("Ente gestore ERP (ALER)")
        LABOUR_OPERATOR = "operatore_lavoro", _("Operatore accreditato lavoro / formazione")
        SOCIAL_COOPERATIVE = "cooperativa", _("Cooperativa sociale")
        ASSOCIATION = "associazione", _("Associazione")
        PARISH = "parrocchia", _("Parrocchia")
        SCHOOL = "scuola", _("Scuola")
        HEALTH_AGENCY = "asst_ats", _("ASST / ATS")
        COMPANY = "impresa", _("Impresa")
        REGION = "regione", _("Regione")
        OTHER = "altro", _("Altro")

    name = models.CharField(_("denominazione"), max_length=200, unique=True)
    short_name = models.CharField(_("nome breve"), max_length=60, blank=True)
    kind = models.CharField(_("tipo di ente"), max_length=30, choices=Kind.choices)
    tax_code = models.CharField(
        _("codice fiscale / partita IVA"),
        max_length=16,
        blank=True,
        validators=[validate_organisation_tax_code],
        help_text=_("11 cifre per enti e società; 16 caratteri per una ditta individuale."),
    )
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    city = models.CharField(_("comune della sede"), max_length=100, blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=40, blank=True)
    accredited_labour = models.BooleanField(_("accreditato per i servizi al lavoro"), default=False)
    accredited_training = models.BooleanField(
        _("accreditato per i servizi di formazione"), default=False
    )
    accreditation_notes = models.TextField(_("note sugli accreditamenti"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("enti")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~Q(tax_code=""),
                name="organisation_tax_code_unique",
                violation_error_message=_("Esiste già un ente con questo codice fiscale."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        self.tax_code = normalise_code(self.tax_code)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.tax_code = normalise_code(self.tax_code)
        super().clean_fields(exclude)

    @property
    def is_accredited_labour_and_training(self) -> bool:
        return self.accredited_labour or self.accredited_training


class Membership(models.Model):
    """A user works for an organisation. What they may do in each project is a
    labs.ProjectRole; a membership of the Region makes a regional officer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("utente"),
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("ente")
    )
    job_title = models.CharField(_("qualifica"), max_length=100, blank=True)
    is_active = models.BooleanField(_("attiva"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appartenenza a un ente")
        verbose_name_plural = _("appartenenze agli enti")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_user_organisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class UserIdentityQuerySet(models.QuerySet):
    def for_fiscal_number(self, fiscal_number: str) -> "UserIdentityQuerySet":
        """The identity whose codice fiscale is the one SPID or CIE asserted, as
        "TINIT-RSSMRA80A01F205X" (the fiscal_number claim) or bare; only active users."""
        code = normalise_code(fiscal_number)
        if len(code) == 21 and code.startswith("TINIT"):
            code = code.removeprefix("TINIT")
        return self.filter(tax_code=code, user__is_active=True)


class UserIdentity(models.Model):
    """The codice fiscale of a portal user, by which a login with SPID or CIE finds the
    account (config/spid.py). The administrator records it; no account is ever created
    from a SPID/CIE login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="identity",
        verbose_name=_("utente"),
    )
    tax_code = models.CharField(
        _("codice fiscale"),
        max_length=16,
        unique=True,
        validators=[validate_person_tax_code],
        help_text=_("Il codice fiscale della persona: con esso accede con SPID o CIE."),
        error_messages={"unique": _("Questo codice fiscale è già associato a un altro utente.")},
    )
    history = HistoricalRecords()

    objects = UserIdentityQuerySet.as_manager()

    class Meta:
        verbose_name = _("identità digitale dell'utente")
        verbose_name_plural = _("identità digitali degli utenti")

    def __str__(self) -> str:
        return f"{self.user} – {self.tax_code}"

    def save(self, *args, **kwargs):
        self.tax_code = normalise_code(self.tax_code)
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        self.tax_code = normalise_code(self.tax_code)
        super().clean_fields(exclude)
