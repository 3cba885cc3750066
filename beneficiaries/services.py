"""Writes on people's data. Keyword-only, atomic, validated."""

import datetime as dt

from django.db import transaction

from labs.models import Project

from .models import Attendance, Consent, Person, SensitiveAccess


def sensitive_access_record(
    *, user, person: Person, project: Project, what: str
) -> SensitiveAccess:
    """Log that the user opened the person's sensitive data (GDPR art. 9 accountability)."""
    return SensitiveAccess.objects.create(user=user, person=person, project=project, what=what)


@transaction.atomic
def consent_record(
    *,
    person: Person,
    actor,
    purpose: str,
    signed_on: dt.date,
    expires_on: dt.date | None = None,
    withdrawn_on: dt.date | None = None,
    notes: str = "",
) -> Consent:
    consent = Consent(
        person=person,
        purpose=purpose,
        signed_on=signed_on,
        expires_on=expires_on,
        withdrawn_on=withdrawn_on,
        notes=notes,
        recorded_by=actor,
    )
    consent.full_clean()
    consent.save()
    return consent


@transaction.atomic
def attendance_add(*, session, person: Person, hours, actor) -> Attendance:
    """Put a person on a session's register."""
    attendance = Attendance(session=session, person=person, hours=hours)
    attendance.full_clean()
    attendance.save()
    return attendance


class ConcurrentEditError(Exception):
    """The record changed since the form was opened: the save is refused."""


@transaction.atomic
def versioned_save(*, instance, expected_version: int):
    """Save an edited record only if nobody saved it since the form showed
    ``expected_version``; bump the version. The check and the bump are one UPDATE, so
    two simultaneous saves cannot both pass."""
    model = type(instance)
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=expected_version + 1
    )
    if not updated:
        raise ConcurrentEditError
    instance.version = expected_version + 1
    instance.save()
    return instance


def _name_key(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name or "")
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def person_duplicates(
    *,
    people,
    first_name: str,
    last_name: str,
    birth_date,
    tax_code: str,
    exclude_pk: int | None = None,
) -> list[Person]:
    """Records among ``people`` that may be the same person: the same codice fiscale, or
    the same birth date with the same names, ignoring accents and case, possibly swapped."""
    from django.db.models import Q

    from partners.validators import normalise_code

    code = normalise_code(tax_code or "")
    query = Q(birth_date=birth_date) if birth_date else Q(pk__in=[])
    if code:
        query |= Q(tax_code=code)
    candidates = people.filter(query)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    names = {_name_key(first_name), _name_key(last_name)}
    return [
        p
        for p in candidates[:50]
        if (code and p.tax_code == code)
        or {_name_key(p.first_name), _name_key(p.last_name)} == names
    ]


@transaction.atomic
def person_create(*, project: Project, actor, data: dict, registered_on: dt.date) -> Person:
    """Register a new person in a project."""
    from .models import Registration

    person = Person(**data)
    person.full_clean()
    person.save()
    Registration.objects.create(project=project, person=person, registered_on=registered_on)
    return person
