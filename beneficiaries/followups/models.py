"""Contact attempts for the six-month follow-up, imported at the end of
``beneficiaries.models``. The follow-up itself (date and outcome) is on the ``Path``."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FollowupContact(models.Model):
    """One attempt to reach a participant for the follow-up six months after leaving."""

    class Channel(models.TextChoices):
        PHONE = "phone", _("Telefono")
        EMAIL = "email", _("E-mail")
        MESSAGE = "message", _("Messaggio (SMS, chat)")
        VISIT = "visit", _("Visita o colloquio")
        LETTER = "letter", _("Lettera")

    path = models.ForeignKey(
        "beneficiaries.Path",
        on_delete=models.CASCADE,
        related_name="followup_contacts",
        verbose_name=_("percorso"),
    )
    contacted_on = models.DateField(_("data del tentativo"))
    channel = models.CharField(_("canale"), max_length=10, choices=Channel.choices)
    reached = models.BooleanField(_("persona raggiunta"), default=False)
    note = models.CharField(_("nota"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrato da"),
    )
    recorded_at = models.DateTimeField(_("registrato il"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tentativo di contatto per la rilevazione a 6 mesi")
        verbose_name_plural = _("tentativi di contatto per la rilevazione a 6 mesi")
        ordering = ["path", "-contacted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.path} – {self.contacted_on:%d/%m/%Y} ({self.get_channel_display()})"
