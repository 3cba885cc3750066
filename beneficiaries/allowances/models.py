"""Participation allowance payments (indennità di partecipazione), imported at the end of
``beneficiaries.models``. What is due is computed from the registers in
``beneficiaries.allowances``; here only what was paid, and when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class AllowancePayment(models.Model):
    path = models.ForeignKey(
        "beneficiaries.Path",
        on_delete=models.CASCADE,
        related_name="allowance_payments",
        verbose_name=_("percorso"),
    )
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
        verbose_name = _("pagamento dell'indennità")
        verbose_name_plural = _("pagamenti delle indennità")
        ordering = ["path", "paid_on"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allowance_payment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.path} – {self.paid_on:%d/%m/%Y}: {self.amount}"
