"""Writes on activities, sessions, evidence files, residents' reports and reporting periods.

Keyword-only, typed, atomic, validated with ``full_clean``. A change the rules refuse
raises ``SessionError`` (or a subclass) whose message is for the user: views turn it into
a form error, so that what was typed stays on the screen.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .concurrency import ConcurrentEditError, claim_version
from .models import (
    Activity,
    Lab,
    Project,
    ReportingPeriod,
    ResidentReport,
    Session,
    SessionEvidence,
    minutes_between,
)

# Longest weekly series created in one step: two years of one weekday.
MAX_SERIES_SESSIONS = 104


class SessionError(Exception):
    """A change the rules refuse; the message is for the user."""


class PeriodClosedError(SessionError):
    """The day falls in a closed reporting period of the project."""


class StaleEditError(SessionError, ConcurrentEditError):
    """Someone saved the session (or its register) since the form was opened."""

    def __init__(self, message=None):
        ConcurrentEditError.__init__(self, message)


# ---- Closed periods and optimistic locking ------------------------------------------


def period_check_open(*, project_id: int, day: dt.date) -> None:
    """Refuse a change to a day of a closed reporting period."""
    period = ReportingPeriod.objects.closed_on(project_id, day).first()
    if period is not None:
        raise PeriodClosedError(
            _(
                "Il periodo di rendicontazione «%(period)s» è chiuso: gli incontri del "
                "%(day)s, i loro registri e i documenti non si possono più modificare. Solo "
                "il responsabile di progetto può riaprire il periodo."
            )
            % {"period": period.name, "day": day.strftime("%d/%m/%Y")}
        )


def session_check_editable(session: Session) -> None:
    period_check_open(project_id=session.activity.project_id, day=session.date)


def session_bump_version(*, session: Session, expected_version: int) -> None:
    """Move the session to the next version if nobody saved it since ``expected_version``
    (``labs.concurrency.claim_version``)."""
    try:
        session.version = claim_version(Session.objects, pk=session.pk, expected=expected_version)
    except ConcurrentEditError:
        raise StaleEditError from None


# ---- Activities ----------------------------------------------------------------------


def _check_organisation(activity: Activity) -> None:
    if not activity.project.partnerships.filter(organisation_id=activity.organisation_id).exists():
        raise ValidationError(
            {"organisation": _("L'ente non fa parte del partenariato del progetto.")}
        )


@transaction.atomic
def activity_create(*, project: Project, actor, data: dict) -> Activity:
    activity = Activity(project=project, **data)
    activity.full_clean()
    _check_organisation(activity)
    activity.save()
    return activity


@transaction.atomic
def activity_update(*, activity: Activity, actor, data: dict) -> Activity:
    for name, value in data.items():
        setattr(activity, name, value)
    activity.full_clean()
    _check_organisation(activity)
    activity.save()
    return activity


# ---- Sessions ------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    activity: Activity,
    actor,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    lab: Lab | None = None,
    place: str = "",
    notes: str = "",
    operators: Iterable = (),
) -> Session:
    """Plan a session of the activity (state: not yet recorded)."""
    period_check_open(project_id=activity.project_id, day=date)
    session = Session(
        activity=activity,
        date=date,
        start_time=start_time,
        end_time=end_time,
        lab=lab,
        place=place,
        notes=notes,
    )
    session.full_clean()
    session.save()
    session.operators.set(operators)
    return session


def series_dates(first_date: dt.date, last_date: dt.date, weekdays: Iterable[int]) -> list[dt.date]:
    """Every day from first to last (included) that falls on one of the weekdays
    (0 = Monday)."""
    wanted = set(weekdays)
    days = (last_date - first_date).days + 1
    return [
        day
        for day in (first_date + dt.timedelta(days=n) for n in range(max(days, 0)))
        if day.weekday() in wanted
    ]


@transaction.atomic
def session_series_create(
    *,
    activity: Activity,
    actor,
    first_date: dt.date,
    last_date: dt.date,
    weekdays: Iterable[int],
    start_time: dt.time,
    end_time: dt.time,
    lab: Lab | None = None,
    place: str = "",
    notes: str = "",
    operators: Iterable = (),
) -> list[Session]:
    """Plan a weekly series (e.g. a course every Monday and Wednesday) in one step: all
    sessions or none. Every refused day is named in the error."""
    dates = series_dates(first_date, last_date, weekdays)
    if not dates:
        raise SessionError(_("Nessun giorno della settimana scelto cade tra le due date."))
    if len(dates) > MAX_SERIES_SESSIONS:
        raise SessionError(
            _("Una serie può avere al massimo %(n)s incontri: accorciare il periodo.")
            % {"n": MAX_SERIES_SESSIONS}
        )
    sessions, problems = [], []
    for day in dates:
        session = Session(
            activity=activity,
            date=day,
            start_time=start_time,
            end_time=end_time,
            lab=lab,
            place=place,
            notes=notes,
        )
        try:
            period_check_open(project_id=activity.project_id, day=day)
            session.full_clean()
        except PeriodClosedError:
            problems.append(_("%(d)s: periodo chiuso") % {"d": day.strftime("%d/%m/%Y")})
        except ValidationError as error:
            reasons = "; ".join(str(m) for m in error.messages)
            problems.append(f"{day:%d/%m/%Y}: {reasons}")
        sessions.append(session)
    if problems:
        raise SessionError(
            _("Nessun incontro creato. Da correggere: %(list)s.") % {"list": " · ".join(problems)}
        )
    operators = list(operators)
    for session in sessions:
        session.save()
        session.operators.set(operators)
    return sessions


@transaction.atomic
def session_update(*, session: Session, actor, expected_version: int, data: dict) -> Session:
    """Change a session's details. Refused when its register is validated, when the old or
    the new day is in a closed period, and when someone saved it meanwhile."""
    old = Session.objects.select_related("activity").get(pk=session.pk)
    if old.validated_at:
        raise SessionError(
            _("Il registro di questo incontro è validato: l'incontro non si modifica più.")
        )
    session_check_editable(old)
    operators = data.pop("operators", None)
    for name, value in data.items():
        setattr(session, name, value)
    session_check_editable(session)
    session.full_clean()
    # The database refuses it too (trigger of beneficiaries 0002); say it in words first.
    longest = session.attendances.aggregate(longest=Max("hours"))["longest"]
    if longest is not None and longest * 60 > minutes_between(session.start_time, session.end_time):
        raise SessionError(
            _(
                "Nel registro ci sono ore di presenza superiori alla nuova durata: "
                "correggere prima il registro."
            )
        )
    session_bump_version(session=session, expected_version=expected_version)
    session.save()
    if operators is not None:
        session.operators.set(operators)
    return session


@transaction.atomic
def session_cancel(*, session: Session, actor, reason: str, expected_version: int) -> Session:
    """Record that the session did not take place, and why."""
    session_check_editable(session)
    if session.validated_at:
        raise SessionError(_("Il registro di questo incontro è già validato."))
    # A reverse relation, not an import: labs does not read beneficiaries' models.
    if session.attendances.exists():
        raise SessionError(
            _("Nel registro ci sono presenze: toglierle prima di segnare l'incontro non svolto.")
        )
    session_bump_version(session=session, expected_version=expected_version)
    session.state = Session.State.CANCELLED
    session.cancel_reason = reason.strip()
    session.head_count = 0
    session.full_clean()
    session.save()
    return session


# ---- Evidence files ------------------------------------------------------------------

# Magic bytes of the accepted types, and the extensions each may carry.
EVIDENCE_TYPES = {
    "application/pdf": (b"%PDF-", {".pdf"}),
    "image/jpeg": (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
    "image/png": (b"\x89PNG\r\n\x1a\n", {".png"}),
}


def evidence_max_bytes() -> int:
    return settings.EVIDENCE_MAX_BYTES


def evidence_file_type(upload) -> str:
    """The content type of an uploaded evidence file, read from its first bytes; refuses
    anything but PDF, JPEG and PNG, a name that lies about the content, and big files."""
    limit = evidence_max_bytes()
    if upload.size > limit:
        raise SessionError(
            _("Il file supera la dimensione massima di %(mb)s MB.") % {"mb": limit // 2**20}
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    extension = PurePath(upload.name or "").suffix.lower()
    for content_type, (magic, extensions) in EVIDENCE_TYPES.items():
        if head.startswith(magic):
            if extension not in extensions:
                raise SessionError(
                    _("L'estensione del file (%(ext)s) non corrisponde al suo contenuto.")
                    % {"ext": extension or "—"}
                )
            return content_type
    raise SessionError(_("Sono accettati solo file PDF, JPEG e PNG."))


@transaction.atomic
def evidence_add(*, session: Session, actor, kind: str, upload) -> SessionEvidence:
    """Attach a file to a session. The stored name is random (the original is kept in the
    record), under MEDIA_ROOT/private, which the web server never serves."""
    session_check_editable(session)
    content_type = evidence_file_type(upload)
    original = PurePath(upload.name).name[:200]
    evidence = SessionEvidence(
        session=session,
        kind=kind,
        original_name=original,
        content_type=content_type,
        size_bytes=upload.size,
        uploaded_by=actor,
    )
    evidence.full_clean(exclude=["file"])  # before writing the file: no orphan on refusal
    evidence.file.save(f"{uuid.uuid4().hex}{PurePath(original).suffix.lower()}", upload, save=False)
    evidence.save()
    return evidence


# ---- Reporting periods ---------------------------------------------------------------


@transaction.atomic
def period_create(
    *, project: Project, actor, name: str, start_date: dt.date, end_date: dt.date
) -> ReportingPeriod:
    overlapping = ReportingPeriod.objects.filter(
        project=project, start_date__lte=end_date, end_date__gte=start_date
    )
    if overlapping.exists():
        raise SessionError(_("Il periodo si sovrappone a un altro periodo del progetto."))
    period = ReportingPeriod(project=project, name=name, start_date=start_date, end_date=end_date)
    period.full_clean()
    period.save()
    return period


@transaction.atomic
def period_close(*, period: ReportingPeriod, actor) -> ReportingPeriod:
    """Close the period: its sessions, registers and evidence are locked."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise SessionError(_("Il periodo è già chiuso."))
    period.closed_at = timezone.now()
    period.closed_by = actor
    period._change_reason = "chiuso"
    period.save()
    return period


@transaction.atomic
def period_reopen(*, period: ReportingPeriod, actor, reason: str) -> ReportingPeriod:
    """Reopen a closed period. Who, when and why are kept on the period and, with every
    earlier closing and reopening, in its history."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_closed:
        raise SessionError(_("Il periodo non è chiuso."))
    if not reason.strip():
        raise SessionError(_("Indicare il motivo della riapertura."))
    period.closed_at = None
    period.closed_by = None
    period.reopened_at = timezone.now()
    period.reopened_by = actor
    period.reopen_reason = reason.strip()
    period._change_reason = f"riaperto: {reason.strip()}"
    period.full_clean()
    period.save()
    return period


# ---- Residents' reports --------------------------------------------------------------


def _report_apply(report: ResidentReport, data: dict) -> None:
    for name, value in data.items():
        setattr(report, name, value)
    in_project = report.project.neighbourhoods.filter(buildings=report.building_id).exists()
    if report.building_id and not in_project:
        raise ValidationError({"building": _("L'edificio non è in un quartiere del progetto.")})
    report.full_clean()


@transaction.atomic
def resident_report_create(*, project: Project, actor, data: dict) -> ResidentReport:
    """Record a residents' report (segnalazione) about a building or unit."""
    report = ResidentReport(project=project, created_by=actor)
    _report_apply(report, data)
    report.save()
    return report


@transaction.atomic
def resident_report_update(*, report: ResidentReport, actor, data: dict) -> ResidentReport:
    """Assign, follow and close a report (dates follow the status: ResidentReport.clean)."""
    _report_apply(report, data)
    report.save()
    return report
