"""The attendance register (registro presenze) of a session: fill, validate, correct, and
the hours attended that the progress report counts.

A register is the session's attendances (a person and their hours) plus a head count of
unnamed attendees. It is saved whole from one form: the form carries a one-time token (a
second POST of the same form saves nothing more) and the session's version (a save from
an outdated page is refused instead of overwriting someone else's). Once validated, a
register changes only through ``register_correct``, which records who, when, why, and the
register before and after.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from beneficiaries.models import (
    ActivityEnrolment,
    Attendance,
    Person,
    RegisterCorrection,
    RegisterSubmission,
)
from labs import access
from labs.models import Project, Session
from labs.services import SessionError, session_bump_version, session_check_editable


class RegisterError(SessionError):
    """A register the rules refuse; the message is for the user."""


@dataclass(frozen=True)
class RegisterResult:
    session: Session
    added: int = 0
    removed: int = 0
    changed: int = 0
    duplicate: bool = False


def _hours(value: Decimal) -> str:
    return formats.number_format(value, 2)


# ---- Reading a register --------------------------------------------------------------


def register_lines(session: Session) -> dict[int, Decimal]:
    """Person id -> hours on the session's register."""
    return dict(session.attendances.values_list("person_id", "hours"))


REGISTER_SEARCH_LIMIT = 50


def register_pool(*, user, session: Session) -> QuerySet[Person]:
    """Everyone the user may put on the session's register: the people of its project the
    user may see (a partner operator: people of their own organisation's activities)."""
    project_id = session.activity.project_id
    return access.scoped(Person, user, project_id).in_project(project_id)


def register_search(*, user, session: Session, search: str, pool=None) -> list[int]:
    """Ids of the people of the pool (``register_pool``, or ``pool`` when the caller has
    it already) whose names contain every word searched, by name, at most
    REGISTER_SEARCH_LIMIT + 1 (one more tells the page that there are more)."""
    if not search.split():
        return []
    if pool is None:
        pool = register_pool(user=user, session=session)
    people = pool.matching(search)
    return list(
        people.order_by("last_name", "first_name", "pk").values_list("pk", flat=True)[
            : REGISTER_SEARCH_LIMIT + 1
        ]
    )


def register_candidates(
    *,
    user,
    session: Session,
    include: Iterable[int] = (),
    everyone: bool = False,
    pool: QuerySet[Person] | None = None,
) -> QuerySet[Person]:
    """The rows of the register form: the people already on the register, the activity's
    usual participants and the people in ``include`` (ticked on the page, or found by a
    search); with ``everyone``, the whole pool. Only people of the pool, and only their
    names: that is all a register shows. On the register first, then the usual
    participants, then the others by name. ``pool``: the user's ``register_pool``, when
    the caller has it already (composing it is most of this function's work)."""
    people = pool if pool is not None else register_pool(user=user, session=session)
    on_register = Attendance.objects.filter(session=session)
    usual = ActivityEnrolment.objects.filter(activity_id=session.activity_id)
    if not everyone:
        # One semi-join on a UNION (an OR of three IN would read every person).
        wanted = (
            on_register.order_by()
            .values("person_id")
            .union(
                usual.order_by().values("person_id"),
                Person.objects.filter(pk__in=list(include)).order_by().values("pk"),
            )
        )
        people = people.filter(pk__in=wanted)
    return (
        people.annotate(
            on_register=Exists(on_register.filter(person=OuterRef("pk"))),
            usual=Exists(usual.filter(person=OuterRef("pk"))),
        )
        .only("pk", "first_name", "last_name")
        .order_by("-on_register", "-usual", "last_name", "first_name", "pk")
    )


def register_snapshot(session: Session) -> dict:
    """The register as data: head count and hours per person id (strings)."""
    return _snapshot(session)


def _snapshot(session: Session) -> dict:
    return {
        "head_count": session.head_count,
        "people": {str(pid): str(hours) for pid, hours in register_lines(session).items()},
    }


# ---- Writing a register --------------------------------------------------------------


def _check_people(*, session: Session, actor, lines: Mapping[Person, Decimal]) -> None:
    """Everyone on the register is known to the project and visible to the actor, and
    attended for more than nothing and no longer than the session."""
    project_id = session.activity.project_id
    known = set(
        access.scoped(Person, actor, project_id)
        .in_project(project_id)
        .filter(pk__in=[p.pk for p in lines])
        .values_list("pk", flat=True)
    )
    strangers = sorted(str(p) for p in lines if p.pk not in known)
    if strangers:
        raise RegisterError(
            _("Non sono iscritte al progetto: %(names)s.") % {"names": ", ".join(strangers)}
        )
    for person, hours in lines.items():
        if hours is None or hours <= 0:
            raise RegisterError(
                _("Indicare le ore di presenza di %(name)s.") % {"name": person.full_name}
            )
        if hours * 60 > session.duration_minutes:
            raise RegisterError(
                _("%(name)s: %(hours)s ore superano la durata dell'incontro (%(length)s ore).")
                % {
                    "name": person.full_name,
                    "hours": _hours(hours),
                    "length": _hours(session.hours),
                }
            )


def _apply(*, session: Session, actor, lines: Mapping[Person, Decimal]) -> RegisterResult:
    wanted = {person.pk: hours for person, hours in lines.items()}
    existing = {a.person_id: a for a in session.attendances.all()}
    removed = [a.pk for pid, a in existing.items() if pid not in wanted]
    changed = [a for pid, a in existing.items() if pid in wanted and a.hours != wanted[pid]]
    added = [
        Attendance(session=session, person_id=pid, hours=hours)
        for pid, hours in wanted.items()
        if pid not in existing
    ]
    if removed:
        # A queryset delete still sends the signals that write the history.
        Attendance.objects.filter(pk__in=removed).delete()
    for attendance in changed:
        attendance.hours = wanted[attendance.person_id]
        attendance.full_clean()
        attendance.save(update_fields=["hours"])
    for attendance in added:
        # Fields and hours only: uniqueness is certain here, and the database keeps it.
        attendance.clean_fields()
        attendance.clean()
    if added:
        bulk_create_with_history(added, Attendance, default_user=actor)
    return RegisterResult(
        session=session, added=len(added), removed=len(removed), changed=len(changed)
    )


def _enrol(*, session: Session, actor, people) -> None:
    """Make the people usual participants of the session's activity."""
    enrolled = set(
        ActivityEnrolment.objects.filter(
            activity_id=session.activity_id, person__in=people
        ).values_list("person_id", flat=True)
    )
    new = [
        ActivityEnrolment(activity_id=session.activity_id, person=person, since=session.date)
        for person in people
        if person.pk not in enrolled
    ]
    if new:
        bulk_create_with_history(new, ActivityEnrolment, default_user=actor)


def _claim_token(*, session: Session, actor, token: uuid.UUID) -> bool:
    """Record the form's one-time token; False if a save with it already happened. The
    unique constraint decides: a second request waits for the first to commit, then fails
    on the token and saves nothing."""
    try:
        with transaction.atomic():
            RegisterSubmission.objects.create(token=token, session=session, submitted_by=actor)
    except IntegrityError:
        return False
    return True


def _locked_session(session: Session) -> Session:
    """The session row, locked until the end of the transaction (PostgreSQL), so that two
    saves of one register run one after the other."""
    return (
        Session.objects.select_for_update(of=("self",))
        .select_related("activity__project")
        .get(pk=session.pk)
    )


def _check_recordable(session: Session) -> None:
    session_check_editable(session)
    if session.starts_at > timezone.now():
        raise RegisterError(
            _(
                "L'incontro non è ancora iniziato (%(day)s alle %(time)s): il registro si "
                "compila durante o dopo l'incontro."
            )
            % {
                "day": session.date.strftime("%d/%m/%Y"),
                "time": session.start_time.strftime("%H:%M"),
            }
        )


def _write(
    *,
    session: Session,
    actor,
    lines: Mapping[Person, Decimal],
    head_count: int,
    expected_version: int,
    token: uuid.UUID,
    enrol_present: bool,
    correction_reason: str | None,
    change_reason: str | None = None,
) -> RegisterResult:
    if not _claim_token(session=session, actor=actor, token=token):
        return RegisterResult(session=session, duplicate=True)
    session = _locked_session(session)
    _check_recordable(session)
    if correction_reason is None and session.validated_at:
        raise RegisterError(
            _("Il registro è già validato: si può cambiare solo con una correzione motivata.")
        )
    if correction_reason is not None and not session.validated_at:
        raise RegisterError(_("Il registro non è validato: modificarlo senza correzione."))
    if head_count is None or head_count < 0:
        raise RegisterError(_("Il numero di presenti senza nome non può essere negativo."))
    session_bump_version(
        session=session,
        expected_version=expected_version,
    )
    _check_people(session=session, actor=actor, lines=lines)
    before = _snapshot(session)
    result = _apply(session=session, actor=actor, lines=lines)
    if enrol_present:
        _enrol(session=session, actor=actor, people=list(lines))
    session.head_count = head_count
    session.state = Session.State.HELD
    session.cancel_reason = ""
    session.full_clean()
    if change_reason:
        session._change_reason = change_reason  # the audit trail's row says why
    session._history_user = actor  # also outside a request (commands, services)
    session.save()
    if correction_reason is not None:
        correction = RegisterCorrection(
            session=session,
            corrected_by=actor,
            reason=correction_reason,
            before=before,
            after=_snapshot(session),
        )
        correction.full_clean()
        correction.save()
    return RegisterResult(
        session=session, added=result.added, removed=result.removed, changed=result.changed
    )


@transaction.atomic
def register_save(
    *,
    session: Session,
    actor,
    lines: Mapping[Person, Decimal],
    head_count: int,
    expected_version: int,
    token: uuid.UUID,
    enrol_present: bool = False,
    change_reason: str | None = None,
) -> RegisterResult:
    """Save the register of a session that has begun: the people in ``lines`` with their
    hours (anyone else is taken off), the head count of unnamed attendees; the session
    becomes held. Refused in a closed period, for a validated register, for a session not
    yet begun, for people not known to the project, for hours above the session's length,
    and from an outdated form. A repeated token saves nothing (``duplicate``)."""
    return _write(
        session=session,
        actor=actor,
        lines=lines,
        head_count=head_count,
        expected_version=expected_version,
        token=token,
        enrol_present=enrol_present,
        correction_reason=None,
        change_reason=change_reason,
    )


@transaction.atomic
def register_correct(
    *,
    session: Session,
    actor,
    lines: Mapping[Person, Decimal],
    head_count: int,
    expected_version: int,
    token: uuid.UUID,
    reason: str,
) -> RegisterResult:
    """Change a validated register, recording who, when, why and the register before and
    after (RegisterCorrection). The register stays validated. The same rules as
    ``register_save`` apply."""
    if not (reason or "").strip():
        raise RegisterError(_("Indicare il motivo della correzione."))
    return _write(
        session=session,
        actor=actor,
        lines=lines,
        head_count=head_count,
        expected_version=expected_version,
        token=token,
        enrol_present=False,
        correction_reason=reason.strip(),
    )


@transaction.atomic
def register_validate(*, session: Session, actor, expected_version: int) -> Session:
    """Validate the register of a held session: from now on it changes only through a
    recorded correction."""
    session = _locked_session(session)
    _check_recordable(session)
    if session.validated_at:
        raise RegisterError(_("Il registro è già validato."))
    if session.state != Session.State.HELD:
        raise RegisterError(
            _("Si valida il registro di un incontro svolto; questo risulta «%(state)s».")
            % {"state": session.get_state_display()}
        )
    session_bump_version(
        session=session,
        expected_version=expected_version,
    )
    session.validated_at = timezone.now()
    session.validated_by = actor
    session.save()
    return session


# ---- Hours attended, for the progress report -----------------------------------------


def _held_attendances(project: Project, start: dt.date, end: dt.date) -> QuerySet[Attendance]:
    return Attendance.objects.filter(
        session__activity__project=project,
        session__state=Session.State.HELD,
        session__date__range=(start, end),
    )


def attended_hours_by_person(*, project: Project, start: dt.date, end: dt.date) -> list[dict]:
    """Per person: hours attended and sessions attended in held sessions of the period,
    by person id (the report pseudonymises; the allowance follows the hours). One
    aggregate query."""
    return list(
        _held_attendances(project, start, end)
        .values("person_id")
        .annotate(hours=Sum("hours"), sessions=Count("pk"))
        .order_by("person_id")
    )


def attended_hours_by_activity(*, project: Project, start: dt.date, end: dt.date) -> list[dict]:
    """Per activity: named attendees' hours, attendances and distinct people in held
    sessions of the period. One aggregate query."""
    return list(
        _held_attendances(project, start, end)
        .values(
            activity_id=F("session__activity_id"),
            activity_name=F("session__activity__name"),
            axis_id=F("session__activity__axis_id"),
        )
        .annotate(
            hours=Sum("hours"), attendances=Count("pk"), people=Count("person_id", distinct=True)
        )
        .order_by("activity_name", "activity_id")
    )
