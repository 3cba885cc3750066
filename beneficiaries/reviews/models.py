"""Équipe case reviews (verifiche del progetto personalizzato) of a person's path.

A review says who of the équipe took part, what was decided and when the path is
reviewed next. It is about the person's situation, so it is read like case notes: only
by the roles that see a path's sensitive data (project lead, social worker).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.paths.models import Path
from labs.governance.models import Body, BodyMember


class CaseReview(models.Model):
    path = models.ForeignKey(
        Path, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("percorso")
    )
    body = models.ForeignKey(
        # A project's deletion takes its paths' reviews with it; a body alone is kept.
        Body,
        on_delete=models.RESTRICT,
        related_name="case_reviews",
        verbose_name=_("équipe"),
    )
    date = models.DateField(_("data della verifica"))
    participants = models.ManyToManyField(
        BodyMember, related_name="case_reviews", verbose_name=_("hanno partecipato")
    )
    decisions = models.TextField(_("decisioni"))
    next_review_on = models.DateField(_("prossima verifica"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrata da"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("verifica dell'équipe")
        verbose_name_plural = _("verifiche dell'équipe")
        ordering = ["path", "-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=F("date")),
                name="case_review_next_after_date",
                violation_error_message=_("La prossima verifica deve seguire questa."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.path} – {self.date:%d/%m/%Y}"

    def clean(self):
        errors = {}
        if self.date and self.next_review_on and self.next_review_on <= self.date:
            errors["next_review_on"] = _("La prossima verifica deve seguire questa.")
        if self.body_id and self.path_id:
            if self.body.project_id != self.path.project_id:
                errors["body"] = _("L'équipe non è di questo progetto.")
            elif self.body.kind != Body.Kind.TEAM:
                errors["body"] = _("Le verifiche dei percorsi spettano a un'équipe.")
        if self.date and self.path_id and self.date < self.path.entry_date:
            errors["date"] = _("La verifica non può precedere l'ingresso nel percorso.")
        if errors:
            raise ValidationError(errors)
