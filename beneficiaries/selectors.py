"""Read-side queries on people, each taking the acting user so scoping cannot be forgotten."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import Consent, Person


def people_for(user, project, search: str = "", sensitive: bool = False):
    """People of a project the user may see, flagged when their privacy notice is
    missing, expired or withdrawn. One query for the page whatever the row count."""
    today = timezone.localdate()
    notice = Consent.objects.valid_on(today).filter(
        person=OuterRef("pk"), purpose=Consent.Purpose.PRIVACY_NOTICE
    )
    people = Person.objects.visible_to(user, project.pk).annotate(has_privacy_notice=Exists(notice))
    if search:
        terms = Q()
        for word in search.split():
            word_q = Q(first_name__icontains=word) | Q(last_name__icontains=word)
            if sensitive:
                word_q |= Q(tax_code__iexact=word)
            terms &= word_q
        people = people.filter(terms)
    return people.order_by("last_name", "first_name", "pk")


def privacy_notice_state(person) -> str:
    """'valid', 'expired', 'withdrawn' or 'missing' for today."""
    today = timezone.localdate()
    notices = [c for c in person.consents.all() if c.purpose == Consent.Purpose.PRIVACY_NOTICE]
    if any(c.is_valid_on(today) for c in notices):
        return "valid"
    if any(c.withdrawn_on and c.withdrawn_on <= today for c in notices):
        return "withdrawn"
    if notices:
        return "expired"
    return "missing"
