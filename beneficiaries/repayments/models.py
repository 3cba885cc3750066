"""Repayment plans (piani di rientro) for rent arrears, imported at the end of
``beneficiaries.models``.

A plan is agreed by a household with a creditor (usually the ALER owning the flat, or
another organisation) and followed by a housing desk (the partner organisation that
runs the sportello). It covers ``debt`` euros, paid back in monthly instalments of
``instalment_amount`` from ``start_date`` (the first instalment is due that day, the
next ones on the same day of the following months; the last one is smaller if needed).
Payments are cash (bank transfer, PagoPA, at the desk) or hours of community work, each
hour credited at the plan's ``hourly_rate``; the credited euros are stored with the
payment, so a later change of the rate does not rewrite the past.

Status on a day D (``RepaymentPlanQuerySet.with_status``, computed by the database):

- **closed**: the credited total (cash + hours × rate, paid up to D) covers the debt;
- otherwise an instalment is *missed* when it fell due more than ``GRACE_DAYS`` days
  before D and the credited total does not reach the cumulative amount due up to it;
- **broken**: ``BROKEN_AFTER`` missed instalments or more;
- **late**: one missed instalment or more (fewer than ``BROKEN_AFTER``);
- **on track**: none missed.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, Count, DecimalField, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

GRACE_DAYS = 10
BROKEN_AFTER = 3
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=12, decimal_places=2)


class PlanStatus(models.TextChoices):
    ON_TRACK = "on_track", _("in regola")
    LATE = "late", _("in ritardo")
    BROKEN = "broken", _("interrotto")
    CLOSED = "closed", _("estinto")


def _sum_subquery(queryset, field: str):
    total = queryset.order_by().values("plan").annotate(t=Sum(field)).values("t")
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def status_day(project) -> dt.date:
    """The day the pages give a plan's status on: today, or the project's last day once
    the project has ended (nobody follows its plans any more)."""
    from django.utils import timezone

    return min(timezone.localdate(), project.end_date)


class RepaymentPlanQuerySet(models.QuerySet):
    def with_status(self, on: dt.date | None = None, *, breakdown: bool = True):
        """Annotate ``credited`` (cash + hours, in euros, paid up to ``on``), ``missed``
        (instalments missed as the module docstring says), ``status`` and
        ``outstanding`` (debt not yet credited); with ``breakdown``, also
        ``credited_cash``, ``credited_hours`` and ``hours_worked`` (the plan pages show
        them; the figures of the dashboard and the report do not need them, and Django
        takes a few milliseconds to compose each). A constant number of queries."""
        from django.utils import timezone

        on = on or timezone.localdate()
        cutoff = on - dt.timedelta(days=GRACE_DAYS)
        payments = RepaymentPayment.objects.filter(plan=OuterRef("pk"), paid_on__lte=on)
        missed = (
            RepaymentInstalment.objects.filter(
                plan=OuterRef("pk"), due_on__lte=cutoff, cumulative__gt=OuterRef("credited")
            )
            .order_by()
            .values("plan")
            .annotate(n=Count("pk"))
            .values("n")
        )
        plans = self.annotate(credited=_sum_subquery(payments, "value"))
        if breakdown:
            plans = plans.annotate(
                credited_cash=_sum_subquery(payments.filter(hours__isnull=True), "value"),
                credited_hours=_sum_subquery(payments.filter(hours__isnull=False), "value"),
                hours_worked=_sum_subquery(payments, "hours"),
            )
        return plans.annotate(
            missed=Coalesce(Subquery(missed, output_field=models.IntegerField()), Value(0)),
            outstanding=Case(
                When(credited__gte=F("debt"), then=Value(ZERO)),
                default=F("debt") - F("credited"),
                output_field=MONEY,
            ),
            status=Case(
                When(credited__gte=F("debt"), then=Value(PlanStatus.CLOSED.value)),
                When(missed__gte=BROKEN_AFTER, then=Value(PlanStatus.BROKEN.value)),
                When(missed__gte=1, then=Value(PlanStatus.LATE.value)),
                default=Value(PlanStatus.ON_TRACK.value),
                output_field=models.CharField(),
            ),
        )


class RepaymentPlan(models.Model):
    project = models.ForeignKey(
        "labs.Project",
        on_delete=models.PROTECT,
        related_name="repayment_plans",
        verbose_name=_("progetto"),
    )
    household = models.ForeignKey(
        "beneficiaries.Household",
        on_delete=models.PROTECT,
        related_name="repayment_plans",
        verbose_name=_("nucleo"),
    )
    creditor = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("ente creditore"),
        help_text=_("Di solito l'ALER proprietaria dell'alloggio."),
    )
    desk = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sportello che segue il piano"),
        help_text=_(
            "L'ente partner che gestisce lo sportello casa: i suoi operatori registrano i "
            "pagamenti di questo piano."
        ),
    )
    debt = models.DecimalField(_("debito coperto dal piano (€)"), max_digits=10, decimal_places=2)
    start_date = models.DateField(_("data della prima rata"))
    instalment_amount = models.DecimalField(_("rata mensile (€)"), max_digits=8, decimal_places=2)
    hourly_rate = models.DecimalField(
        _("valore di un'ora di lavoro comunitario (€)"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vuoto se il piano non prevede restituzione in ore."),
    )
    notes = models.CharField(_("note"), max_length=250, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrato da"),
    )
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True)
    history = HistoricalRecords()

    objects = RepaymentPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("piano di rientro")
        verbose_name_plural = _("piani di rientro")
        ordering = ["project", "-start_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(debt__gt=0), name="repayment_plan_debt_positive"),
            models.CheckConstraint(
                condition=Q(instalment_amount__gt=0), name="repayment_plan_instalment_positive"
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__isnull=True) | Q(hourly_rate__gt=0),
                name="repayment_plan_rate_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} – {self.creditor}: € {self.debt}"

    @property
    def status_display(self) -> str:
        status = getattr(self, "status", None)
        return PlanStatus(status).label if status else ""


class RepaymentInstalment(models.Model):
    """One due instalment of a plan's schedule, written when the plan is created."""

    plan = models.ForeignKey(
        RepaymentPlan,
        on_delete=models.CASCADE,
        related_name="instalments",
        verbose_name=_("piano"),
    )
    number = models.PositiveSmallIntegerField(_("rata n."))
    due_on = models.DateField(_("scadenza"))
    amount = models.DecimalField(_("importo (€)"), max_digits=8, decimal_places=2)
    # The amount due up to and including this instalment: the status compares it with
    # what was credited, in the database.
    cumulative = models.DecimalField(
        _("dovuto fino a questa rata (€)"), max_digits=10, decimal_places=2
    )

    class Meta:
        verbose_name = _("rata del piano")
        verbose_name_plural = _("rate del piano")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="repayment_instalment_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} #{self.number} {self.due_on:%d/%m/%Y}"


class RepaymentPayment(models.Model):
    class Channel(models.TextChoices):
        TRANSFER = "bonifico", _("Bonifico")
        PAGOPA = "pagopa", _("Bollettino / PagoPA")
        DESK = "sportello", _("Allo sportello (contanti o POS)")
        COMMUNITY_WORK = "lavoro_comunitario", _("Ore di lavoro comunitario")

    plan = models.ForeignKey(
        RepaymentPlan,
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name=_("piano"),
    )
    paid_on = models.DateField(_("data"))
    channel = models.CharField(_("canale"), max_length=30, choices=Channel.choices)
    amount = models.DecimalField(
        _("importo versato (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(
        _("ore di lavoro comunitario"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    # The euros credited to the plan: the amount, or hours × the plan's rate then.
    value = models.DecimalField(_("accreditato (€)"), max_digits=10, decimal_places=2)
    notes = models.CharField(_("note"), max_length=250, blank=True)
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
        verbose_name = _("pagamento del piano di rientro")
        verbose_name_plural = _("pagamenti dei piani di rientro")
        ordering = ["plan", "paid_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="repayment_payment_positive"),
            models.CheckConstraint(
                condition=(
                    Q(channel="lavoro_comunitario", hours__gt=0, amount__isnull=True)
                    | (~Q(channel="lavoro_comunitario") & Q(hours__isnull=True, amount__gt=0))
                ),
                name="repayment_payment_cash_or_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.paid_on:%d/%m/%Y}: € {self.value}"
