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
