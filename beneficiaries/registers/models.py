"""Attendance registers: who came to a session, who submitted it, and corrections."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import Person
from labs.models import Session


class Attendance(models.Model):
    """A line of a session's register. The database refuses hours above the session's
    length (trigger in migration 0002)."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("incontro")
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="attendances", verbose_name=_("persona")
    )
    hours = models.DecimalField(_("ore di presenza"), max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presenza")
        verbose_name_plural = _("presenze")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"],
                name="attendance_once_per_session",
                violation_error_message=_("La persona è già nel registro di questo incontro."),
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="attendance_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.session}"

    def clean(self):
        if self.session_id and self.hours is not None:
            if self.hours * 60 > self.session.duration_minutes:
                raise ValidationError(
                    {
                        "hours": _("Le ore di presenza superano la durata dell'incontro (%(h)s).")
                        % {"h": self.session.hours}
                    }
                )


class RegisterSubmission(models.Model):
    """The one-time token of a register form. A second POST of the same form (double
    click, resent request) finds its token here and saves nothing more."""

    token = models.UUIDField(_("codice del modulo"), unique=True)
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="register_submissions",
        verbose_name=_("incontro"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inviato da"),
    )
    submitted_at = models.DateTimeField(_("inviato il"), auto_now_add=True)

    class Meta:
        verbose_name = _("invio del registro")
        verbose_name_plural = _("invii dei registri")

    def __str__(self) -> str:
        return f"{self.session} ({self.submitted_at:%d/%m/%Y %H:%M})"


class RegisterCorrection(models.Model):
    """A change to a validated register: who, when, why, and the register before and
    after (head count and hours per person id)."""

    session = models.ForeignKey(
        Session,
        on_delete=models.PROTECT,
        related_name="register_corrections",
        verbose_name=_("incontro"),
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("corretto da"),
    )
    corrected_at = models.DateTimeField(_("corretto il"), auto_now_add=True)
    reason = models.TextField(_("motivo della correzione"))
    before = models.JSONField(_("registro prima"))
    after = models.JSONField(_("registro dopo"))

    class Meta:
        verbose_name = _("correzione del registro")
        verbose_name_plural = _("correzioni dei registri")
        ordering = ["session", "-corrected_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="register_correction_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.session} ({self.corrected_at:%d/%m/%Y %H:%M})"


class OfflineConflict(models.Model):
    """A register sent from a tablet that had an older version of it than the server:
    refused, and kept here whole (who, when, the version the tablet had, its register and
    the server's) until the operator chooses. Nothing is lost either way: choosing the
    server's keeps this row; sending theirs over it saves a new version of the register."""

    class Resolution(models.TextChoices):
        OPEN = "open", _("Da decidere")
        KEPT_SERVER = "kept_server", _("Tenuta la versione del server")
        OVERRODE = "overrode", _("Inviata la versione del dispositivo")

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="offline_conflicts",
        verbose_name=_("incontro"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("inviato da"),
    )
    submitted_at = models.DateTimeField(_("inviato il"), auto_now_add=True)
    # The register's one-time token: the same register sent twice (by the page and by
    # the background sync at once) makes one conflict.
    token = models.UUIDField(_("codice del registro"), null=True, blank=True)
    saved_on_device_at = models.DateTimeField(
        _("salvato sul dispositivo il"), null=True, blank=True
    )
    device_version = models.PositiveIntegerField(_("versione sul dispositivo"))
    server_version = models.PositiveIntegerField(_("versione sul server"))
    # {"head_count": n, "people": {"<person id>": "<hours>"}}, as ``_snapshot`` writes it.
    device_register = models.JSONField(_("registro del dispositivo"))
    server_register = models.JSONField(_("registro del server"))
    resolution = models.CharField(
        _("decisione"), max_length=20, choices=Resolution.choices, default=Resolution.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deciso da"),
    )
    resolved_at = models.DateTimeField(_("deciso il"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("conflitto di un registro offline")
        verbose_name_plural = _("conflitti dei registri offline")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "token"], name="offline_conflict_once_per_register"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} ({self.submitted_at:%d/%m/%Y %H:%M})"
