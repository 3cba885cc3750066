"""Placements (tirocini extracurricolari, borse lavoro, work experiences): a person on a
path at a host company of the project's register, imported at the end of
``beneficiaries.models``.

Monthly attendance and the grant paid each month are rows of their own; the grant paid is
spending of the sub-project's allowances, like the participation allowance. The
interruption's reason and the notes may speak of health or family: only staff who read
sensitive data see them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Placement(models.Model):
    class Kind(models.TextChoices):
        TRAINEESHIP = "traineeship", _("Tirocinio extracurricolare")
        WORK_GRANT = "work_grant", _("Borsa lavoro")
        WORK_EXPERIENCE = "work_experience", _("Esperienza di lavoro retribuita")

    class Outcome(models.TextChoices):
        HIRED = "hired", _("Assunto/a")
        NOT_HIRED = "not_hired", _("Concluso senza assunzione")
        INTERRUPTED = "interrupted", _("Interrotto")

    class Contract(models.TextChoices):
        PERMANENT = "permanent", _("Tempo indeterminato")
        FIXED_TERM = "fixed_term", _("Tempo determinato")
        APPRENTICESHIP = "apprenticeship", _("Apprendistato")
        AGENCY = "agency", _("Somministrazione")
        OTHER = "other", _("Altro contratto")

    # Fields a partner operator never receives (removed on the server).
    SENSITIVE_FIELDS = ("interruption_reason", "notes")

    path = models.ForeignKey(
        "beneficiaries.Path",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("percorso"),
    )
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    host = models.ForeignKey(
        "labs.HostCompany",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("azienda ospitante"),
    )
    promoter = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ente promotore"),
        help_text=_("L'ente della partnership che promuove e segue l'inserimento."),
    )
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tutor"),
    )
    start_date = models.DateField(_("inizio"))
    end_date = models.DateField(_("fine prevista"))
    weekly_hours = models.DecimalField(
        _("ore settimanali"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("1")), MaxValueValidator(Decimal("40"))],
    )
    monthly_grant = models.DecimalField(
        _("indennità mensile (€)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("5000"))],
    )
    outcome = models.CharField(_("esito"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_date = models.DateField(_("data dell'esito"), null=True, blank=True)
    contract_type = models.CharField(
        _("tipo di contratto"), max_length=20, choices=Contract.choices, blank=True
    )
    interruption_reason = models.TextField(_("motivo dell'interruzione"), blank=True)
    notes = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tirocinio o borsa lavoro")
        verbose_name_plural = _("tirocini e borse lavoro")
        ordering = ["-start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="placement_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(outcome="hired") | Q(contract_type=""),
                name="placement_contract_only_if_hired",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.host}"

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("La fine non può precedere l'inizio.")
        if self.start_date and self.path_id and self.start_date < self.path.entry_date:
            errors["start_date"] = _(
                "L'inserimento non può iniziare prima dell'ingresso nel percorso."
            )
        if self.outcome == self.Outcome.HIRED and not self.contract_type:
            errors["contract_type"] = _("Indicare il tipo di contratto dell'assunzione.")
        if self.outcome != self.Outcome.HIRED and self.contract_type:
            errors["contract_type"] = _("Il tipo di contratto si indica solo per un'assunzione.")
        if self.outcome == self.Outcome.INTERRUPTED and not self.interruption_reason.strip():
            errors["interruption_reason"] = _("Indicare perché l'inserimento è stato interrotto.")
        if self.outcome and not self.outcome_date:
            errors["outcome_date"] = _("Indicare la data dell'esito.")
        if self.outcome_date and self.start_date and self.outcome_date < self.start_date:
            errors["outcome_date"] = _("L'esito non può precedere l'inizio.")
        if self.outcome_date and self.outcome_date > timezone.localdate():
            errors["outcome_date"] = _("La data dell'esito non può essere nel futuro.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return not self.outcome


class PlacementMonth(models.Model):
    """The hours attended in one month (the host's monthly sheet)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="months", verbose_name=_("inserimento")
    )
    month = models.DateField(_("mese"), help_text=_("Il primo giorno del mese."))
    hours = models.DecimalField(
        _("ore svolte"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("250"))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrate da"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("presenze del mese")
        verbose_name_plural = _("presenze mensili")
        ordering = ["placement", "month"]
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="placement_month_unique"),
            models.CheckConstraint(condition=Q(month__day=1), name="placement_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.placement} – {self.month:%m/%Y}: {self.hours}"


class PlacementPayment(models.Model):
    """The grant paid for one month of a placement: spending of allowances."""

    placement = models.ForeignKey(
        Placement,
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name=_("inserimento"),
    )
    month = models.DateField(_("mese di competenza"))
    paid_on = models.DateField(_("pagata il"))
    amount = models.DecimalField(_("importo (€)"), max_digits=10, decimal_places=2)
    reference = models.CharField(_("riferimento del pagamento"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    recorded_at = models.DateTimeField(_("registrata il"), auto_now_add=True)

    class Meta:
        verbose_name = _("pagamento dell'indennità di tirocinio")
        verbose_name_plural = _("pagamenti delle indennità di tirocinio")
        ordering = ["placement", "month"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="placement_payment_positive"),
            models.UniqueConstraint(fields=["placement", "month"], name="placement_payment_month"),
        ]

    def __str__(self) -> str:
        return f"{self.placement} – {self.month:%m/%Y}: {self.amount}"
