"""The partnership's governance: its bodies (cabina di regia, coordinamento, équipe
multidisciplinare), their members and their meetings with minutes and decisions.

Members are people of the partner organisations (operators, officers), never
beneficiaries: a member names an organisation of the project's partnership and, when
they have an account, the user.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from labs.models import Project
from partners.models import Organisation


class Body(models.Model):
    class Kind(models.TextChoices):
        STEERING = "cabina_regia", _("Cabina di regia")
        COORDINATION = "coordinamento", _("Coordinamento")
        TEAM = "equipe", _("Équipe multidisciplinare")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("progetto")
    )
    kind = models.CharField(_("livello"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nome"), max_length=150)
    remit = models.TextField(_("compiti"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organo del partenariato")
        verbose_name_plural = _("organi del partenariato")
        ordering = ["project", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"],
                name="body_name_unique_in_project",
                violation_error_message=_("Il progetto ha già un organo con questo nome."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="members", verbose_name=_("organo")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("ente")
    )
    full_name = models.CharField(_("nome e cognome"), max_length=150)
    position = models.CharField(_("ruolo nell'organo"), max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utente del portale"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("componente di un organo")
        verbose_name_plural = _("componenti degli organi")
        ordering = ["body", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "full_name", "organisation"],
                name="body_member_unique",
                violation_error_message=_("Questa persona fa già parte dell'organo."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.organisation})"

    def clean(self):
        if self.body_id and self.organisation_id:
            partners = self.body.project.partnerships.values_list("organisation_id", flat=True)
            if self.organisation_id not in set(partners):
                raise ValidationError(
                    {"organisation": _("L'ente non fa parte del partenariato del progetto.")}
                )


class Meeting(models.Model):
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("organo")
    )
    date = models.DateField(_("data"))
    place = models.CharField(_("luogo"), max_length=200, blank=True)
    agenda = models.TextField(_("ordine del giorno"), blank=True)
    decisions = models.TextField(_("decisioni"), blank=True)
    attendees = models.ManyToManyField(
        BodyMember, related_name="meetings", blank=True, verbose_name=_("presenti")
    )
    minutes = models.FileField(_("verbale"), upload_to="private/minutes/%Y/", blank=True)
    minutes_name = models.CharField(_("nome del file del verbale"), max_length=200, blank=True)
    minutes_type = models.CharField(_("tipo di file del verbale"), max_length=50, blank=True)
    minutes_size = models.PositiveIntegerField(_("dimensione del verbale (byte)"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("riunione")
        verbose_name_plural = _("riunioni")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.body} – {self.date:%d/%m/%Y}"
