"""The register of host companies (banca dati delle aziende): companies, cooperatives
and other workplaces of the project's territory that take trainees and work grants.

It holds data about companies, not people: the contact is the company's office. The
placements hosted are in ``beneficiaries.placements``."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partners.validators import normalise_code, validate_organisation_tax_code

ATECO_RE = r"^\d{2}(\.\d{1,2}(\.\d{1,2})?)?$"


class HostCompany(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Impresa")
        COOPERATIVE = "cooperative", _("Cooperativa sociale")
        PUBLIC = "public", _("Ente pubblico")
        NONPROFIT = "nonprofit", _("Associazione o ente del terzo settore")
        OTHER = "other", _("Altra realtà lavorativa")

    project = models.ForeignKey(
        "labs.Project",
        on_delete=models.PROTECT,
        related_name="host_companies",
        verbose_name=_("progetto"),
    )
    name = models.CharField(_("ragione sociale"), max_length=200)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    vat_number = models.CharField(
        _("partita IVA"), max_length=16, validators=[validate_organisation_tax_code]
    )
    ateco_code = models.CharField(
        _("codice ATECO"),
        max_length=8,
        validators=[
            RegexValidator(
                ATECO_RE,
                _("Il codice ATECO si scrive come 88.10 o 56.10.11 (sezione, divisione, classe)."),
            )
        ],
        help_text=_("es. 56.10.11"),
    )
    sector = models.CharField(_("settore"), max_length=200, blank=True)
    municipality = models.CharField(_("comune"), max_length=100, blank=True)
    address = models.CharField(_("indirizzo"), max_length=200, blank=True)
    contact_office = models.CharField(
        _("referente o ufficio"),
        max_length=200,
        blank=True,
        help_text=_("L'ufficio o il ruolo da contattare, es. «Ufficio personale»."),
    )
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    availability = models.TextField(
        _("disponibilità"),
        blank=True,
        help_text=_("Quanti tirocini o borse può accogliere, in quali mansioni e periodi."),
    )
    active = models.BooleanField(_("disponibile ad accogliere"), default=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("azienda ospitante")
        verbose_name_plural = _("aziende ospitanti")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "vat_number"], name="host_company_unique_vat_in_project"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self):
        self.vat_number = normalise_code(self.vat_number)
