"""Writes of the governance records: bodies, their members, meetings with minutes."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from labs import services as lab_services
from labs.concurrency import save_if_unchanged
from labs.governance.models import Body, BodyMember, Meeting
from labs.models import Project


@transaction.atomic
def body_create(*, project: Project, kind: str, name: str, remit: str = "") -> Body:
    body = Body(project=project, kind=kind, name=name, remit=remit)
    body.full_clean()
    body.save()
    return body


@transaction.atomic
def body_member_add(
    *, body: Body, organisation, full_name: str, position: str = "", user=None
) -> BodyMember:
    """A person of a partner organisation joins the body (never a beneficiary: the
    organisation must be in the project's partnership)."""
    member = BodyMember(
        body=body, organisation=organisation, full_name=full_name, position=position, user=user
    )
    member.full_clean()
    member.save()
    return member


def minutes_file_type(upload) -> str:
    """The content type of a minutes file (PDF, JPEG or PNG, read from its first bytes);
    ValidationError otherwise."""
    try:
        return lab_services.evidence_file_type(upload)
    except lab_services.SessionError as error:
        raise ValidationError({"minutes_upload": str(error)}) from None


@transaction.atomic
def meeting_save(
    *,
    meeting: Meeting,
    attendees,
    actor,
    upload=None,
    expected_version: int | None = None,
) -> Meeting:
    """Create (no pk) or update a meeting of a body, with its attendees and, when given,
    a new minutes file stored under a random name in private storage. An update made on
    an outdated page raises ConcurrentEditError."""
    outsiders = [a for a in attendees if a.body_id != meeting.body_id]
    if outsiders:
        raise ValidationError({"attendees": _("I presenti devono essere componenti dell'organo.")})
    meeting.full_clean(exclude=["minutes"])
    if upload is not None:
        content_type = minutes_file_type(upload)
        original = PurePath(upload.name).name[:200]
        meeting.minutes_name, meeting.minutes_type = original, content_type
        meeting.minutes_size = upload.size
        meeting.minutes.save(
            f"{uuid.uuid4().hex}{PurePath(original).suffix.lower()}", upload, save=False
        )
    if meeting.pk is None:
        meeting.created_by = actor
        meeting.save()
    else:
        save_if_unchanged(meeting, expected_version=expected_version or 0)
    meeting.attendees.set(attendees)
    return meeting
