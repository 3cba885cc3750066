"""Writes and reads of the équipe's case reviews."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from beneficiaries.paths.models import Path
from beneficiaries.reviews.models import CaseReview
from labs.governance.models import Body


@transaction.atomic
def case_review_record(
    *, path: Path, body: Body, date: dt.date, participants, decisions: str, actor, **extra
) -> CaseReview:
    """Record a review of a path by an équipe of its project; the participants must be
    members of that équipe (ValidationError otherwise)."""
    review = CaseReview(
        path=path,
        body=body,
        date=date,
        decisions=decisions,
        next_review_on=extra.get("next_review_on"),
        created_by=actor,
    )
    review.full_clean()
    participants = list(participants)
    if not participants:
        raise ValidationError({"participants": _("Indica chi ha partecipato alla verifica.")})
    if any(p.body_id != body.pk for p in participants):
        raise ValidationError(
            {"participants": _("Hanno partecipato solo componenti dell'équipe scelta.")}
        )
    review.save()
    review.participants.set(participants)
    return review


def reviews_due(reviews: QuerySet, today: dt.date) -> QuerySet:
    """Of ``reviews`` (already scoped), the latest of each open path whose next review
    date is today or past: the paths the équipe must look at again. One query."""
    later = CaseReview.objects.filter(path=OuterRef("path")).filter(
        Q(date__gt=OuterRef("date")) | Q(date=OuterRef("date"), pk__gt=OuterRef("pk"))
    )
    return (
        reviews.filter(next_review_on__lte=today, path__exit_date__isnull=True)
        .exclude(Exists(later))
        .select_related("path__person", "path__axis", "body")
        .order_by("next_review_on", "path__person__last_name", "pk")
    )
