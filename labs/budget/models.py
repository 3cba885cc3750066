"""Money (rendicontazione): budget lines, expenses, staff and their time sheets.

Imported at the end of ``labs.models``, so these are models of the labs app. Every amount
is a Decimal with two places; nothing here ever holds a float.

The "sub-project" of the call is the project's Axis (sub-progetto / asse).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from labs.models import MONEY, Activity, Axis, Project
from partners.models import Organisation

CENT = Decimal("0.01")
# Reg. (EU) 1303/2013 art. 68a(2): annual gross employment cost / 1,720 hours, pro rata
# of 1,720 hours for people who work part time.
STANDARD_YEAR_HOURS = Decimal("1720")


def cents(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


class CostCategory(models.TextChoices):
    STAFF = "staff", _("Personale")
    EXTERNAL_SERVICES = "external_services", _("Servizi esterni")
    MATERIALS = "materials", _("Materiali")
    PREMISES = "premises", _("Spazi e utenze")
    ALLOWANCES = "allowances", _("Indennità ai partecipanti")
    INDIRECT = "indirect", _("Costi indiretti")


class BudgetQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Lines (or expenses, staff) a user may see in detail: every one of a project for
        whoever may change all of them, only their organisation's for a partner."""
        from labs import access

        q = Q(project_id__in=access.project_ids_for(user, "budget.change_all"))
        for pid, grant in access.grants_for(user).items():
            if grant.can("budget.view") and not grant.can("budget.change_all"):
                q |= Q(project_id=pid, organisation_id=grant.organisation_id)
        return self.filter(q)


class BudgetLine(models.Model):
    """What a partner may spend on a sub-project in a cost category, and how much of it
    the fund pays (the rest is co-financed by the partner)."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("progetto")
    )
    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("sub-progetto")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("ente")
    )
    category = models.CharField(_("categoria"), max_length=30, choices=CostCategory.choices)
    amount = models.DecimalField(_("importo (€)"), **MONEY)
    funded_amount = models.DecimalField(_("quota finanziata (€)"), **MONEY)
    notes = models.CharField(_("note"), max_length=250, blank=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("voce di budget")
        verbose_name_plural = _("voci di budget")
        ordering = ["project", "axis__order", "organisation__name", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "axis", "organisation", "category"],
                name="budget_line_unique",
                violation_error_message=_(
                    "Esiste già una voce per questo sub-progetto, ente e categoria."
                ),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(funded_amount__gte=0),
                name="budget_line_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(funded_amount__lte=F("amount")),
                name="budget_line_funded_within_amount",
                violation_error_message=_("La quota finanziata supera l'importo della voce."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.axis.code} – {self.organisation} – {self.get_category_display()}"

    @property
    def cofinanced_amount(self) -> Decimal:
        return self.amount - self.funded_amount


class Expense(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bozza")
        SUBMITTED = "submitted", _("Presentata")
        ACCEPTED = "accepted", _("Accettata")
        REJECTED = "rejected", _("Respinta")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="expenses", verbose_name=_("progetto")
    )
    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, related_name="expenses", verbose_name=_("sub-progetto")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="expenses", verbose_name=_("ente")
    )
    category = models.CharField(_("categoria"), max_length=30, choices=CostCategory.choices)
    date = models.DateField(_("data"))
    amount = models.DecimalField(_("importo (€)"), max_digits=12, decimal_places=2)
    supplier = models.CharField(_("fornitore"), max_length=200)
    document_number = models.CharField(_("numero del documento"), max_length=60)
    description = models.CharField(_("descrizione"), max_length=250, blank=True)
    document = models.FileField(_("documento"), upload_to="private/expenses/%Y/%m/", blank=True)
    document_name = models.CharField(_("nome originale"), max_length=200, blank=True)
    document_type = models.CharField(_("tipo di file"), max_length=50, blank=True)
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    rejection_reason = models.CharField(_("motivo del rifiuto"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("esaminata da"),
    )
    reviewed_at = models.DateTimeField(_("esaminata il"), null=True, blank=True)

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("spesa")
        verbose_name_plural = _("spese")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="rejected_expense_has_reason",
                violation_error_message=_("Indicare il motivo del rifiuto."),
            ),
        ]
        indexes = [models.Index(fields=["project", "date"], name="expense_project_date_idx")]

    def __str__(self) -> str:
        return f"{self.supplier} {self.document_number} ({self.date:%d/%m/%Y})"


class StaffMember(models.Model):
    """A person of a partner organisation whose time is charged (or co-financed) to the
    project."""

    class Contract(models.TextChoices):
        FULL_TIME = "full_time", _("Tempo pieno")
        PART_TIME_FIXED = "part_time_fixed", _("Part time a percentuale fissa")
        PART_TIME_VARIABLE = "part_time_variable", _("Part time a ore variabili")
        HOURLY = "hourly", _("Contratto a ore")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="staff", verbose_name=_("progetto")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="staff", verbose_name=_("ente")
    )
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    job_title = models.CharField(_("qualifica"), max_length=150, blank=True)
    contract_type = models.CharField(
        _("tipo di contratto"), max_length=30, choices=Contract.choices
    )
    annual_gross_cost = models.DecimalField(_("costo annuo lordo (€)"), **MONEY)
    share_percent = models.DecimalField(
        _("percentuale del part time"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Solo per il part time a percentuale fissa, es. 50."),
    )
    contract_annual_hours = models.DecimalField(
        _("ore annue da contratto"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Per il part time a ore variabili e i contratti a ore."),
    )
    daily_hours = models.DecimalField(
        _("ore massime al giorno"), max_digits=4, decimal_places=2, default=Decimal("8.00")
    )

    objects = BudgetQuerySet.as_manager()

    class Meta:
        verbose_name = _("persona del personale")
        verbose_name_plural = _("personale")
        ordering = ["project", "last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_gross_cost__gte=0), name="staff_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(contract_type="part_time_fixed")
                | (
                    Q(share_percent__isnull=False)
                    & Q(share_percent__gt=0)
                    & Q(share_percent__lt=100)
                ),
                name="staff_part_time_has_share",
                violation_error_message=_("Indicare la percentuale del part time (tra 0 e 100)."),
            ),
            models.CheckConstraint(
                condition=~Q(contract_type__in=["part_time_variable", "hourly"])
                | (Q(contract_annual_hours__isnull=False) & Q(contract_annual_hours__gt=0)),
                name="staff_hours_contract_has_hours",
                violation_error_message=_("Indicare le ore annue previste dal contratto."),
            ),
            models.CheckConstraint(
                condition=Q(daily_hours__gt=0) & Q(daily_hours__lte=24),
                name="staff_daily_hours_in_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.last_name} {self.first_name}"

    @property
    def annual_hours(self) -> Decimal:
        """The contract's hours in a year: 1,720 full time, its pro rata otherwise."""
        if self.contract_type == self.Contract.FULL_TIME:
            return STANDARD_YEAR_HOURS
        if self.contract_type == self.Contract.PART_TIME_FIXED:
            return STANDARD_YEAR_HOURS * Decimal(self.share_percent) / 100
        return Decimal(self.contract_annual_hours)

    @property
    def hourly_rate(self) -> Decimal:
        """Annual gross cost / 1,720 (pro rata of 1,720 for part time), to the cent."""
        hours = self.annual_hours
        if not hours:
            return Decimal("0.00")
        return cents(Decimal(self.annual_gross_cost) / hours)

    def cost_of(self, hours: Decimal) -> Decimal:
        return cents(Decimal(hours) * self.hourly_rate)


class TimesheetEntry(models.Model):
    """Hours a staff member worked on one day for a sub-project (and an activity)."""

    staff = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="entries", verbose_name=_("persona")
    )
    date = models.DateField(_("giorno"))
    axis = models.ForeignKey(
        Axis,
        on_delete=models.CASCADE,
        related_name="timesheet_entries",
        verbose_name=_("sub-progetto"),
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="timesheet_entries",
        verbose_name=_("attività"),
    )
    hours = models.DecimalField(_("ore"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("ore del foglio presenze")
        verbose_name_plural = _("ore dei fogli presenze")
        ordering = ["staff", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "date", "axis", "activity"], name="timesheet_entry_unique"
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="timesheet_hours_in_day"
            ),
        ]
        indexes = [models.Index(fields=["staff", "date"], name="timesheet_staff_date_idx")]

    def __str__(self) -> str:
        return f"{self.staff} {self.date:%d/%m/%Y}: {self.hours}"
