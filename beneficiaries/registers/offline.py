"""The offline register (issue #18): what a tablet keeps, and how what it sends back is
accepted, refused, or held as a conflict.

- ``offline_set`` is the device copy: the sessions of the week of the user's activities,
  each with its register and version, and the names of the people the user may register
  (names only: no codice fiscale, birth date or sensitive field), read through
  ``labs.access.scoped``.
- ``offline_submit`` saves one register sent by the tablet with the version it had. If
  somebody saved the register since, nothing is overwritten: the tablet's register is
  kept as an ``OfflineConflict`` and the operator decides (``conflict_keep_server`` or
  ``conflict_send_device``), in the portal. Either way the tablet's register stays
  recorded, and the register's own history (django-simple-history) says what happened.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beneficiaries.models import ActivityEnrolment, Attendance, OfflineConflict, Person
from beneficiaries.registers import services as registers
from labs import access
from labs.models import Project, Session
from labs.services import SessionError, StaleEditError

# At most this many people per project on the device, and on one register sent.
OFFLINE_MAX_PEOPLE = 2000


class OfflineRefused(Exception):
    """A register the server refuses; the message is for the operator."""

    def __init__(self, message: str, status: int = 422):
        super().__init__(message)
        self.status = status


class OfflineConflictError(Exception):
    """Somebody saved the register after the version the tablet had."""

    def __init__(self, conflict: OfflineConflict):
        super().__init__(str(STALE_MESSAGE))
        self.conflict = conflict


STALE_MESSAGE = gettext_lazy(
    "Qualcun altro ha salvato questo registro dopo la versione che avevi sul dispositivo: "
    "il tuo registro non è stato salvato ma è conservato. Confronta le due versioni e scegli."
)


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The days the device keeps: the day's week, Monday to Sunday, and always the day
    before (on a Monday, Sunday's sessions can still be filled)."""
    monday = day - dt.timedelta(days=day.weekday())
    return min(monday, day - dt.timedelta(days=1)), monday + dt.timedelta(days=6)


def offline_projects(user) -> list[int]:
    """Ids of the projects where the user fills registers."""
    return access.project_ids_for(user, "sessions.change")


def _hours(value) -> str:
    return f"{Decimal(value):.2f}"


def offline_set(user, *, today: dt.date | None = None) -> dict:
    """The device copy for ``user``: this week's (and yesterday's) sessions of their
    activities (not the cancelled ones), each with its register, version and usual
    participants, and the names of the people they may put on a register. A handful of
    queries, whatever the number of sessions."""
    today = today or timezone.localdate()
    start, end = week_of(today)
    project_ids = offline_projects(user)
    if not project_ids:
        return {"sessions": [], "people": {}, "open_conflicts": [], "week": [start, end]}
    within = tuple(project_ids)
    sessions = list(
        access.scoped(Session, user, within)
        .filter(date__range=(start, end))
        .exclude(state=Session.State.CANCELLED)
        .select_related("activity__project", "lab")
        .order_by("date", "start_time", "pk")
    )
    ids = [s.pk for s in sessions]
    lines: dict[int, dict[str, str]] = {}
    for session_id, person_id, hours in (
        access.scoped(Attendance, user, within)
        .filter(session_id__in=ids)
        .values_list("session_id", "person_id", "hours")
    ):
        lines.setdefault(session_id, {})[str(person_id)] = _hours(hours)
    usual: dict[int, list[int]] = {}
    activity_ids = {s.activity_id for s in sessions}
    for activity_id, person_id in (
        access.scoped(ActivityEnrolment, user, within)
        .filter(activity_id__in=activity_ids)
        .values_list("activity_id", "person_id")
    ):
        usual.setdefault(activity_id, []).append(person_id)
    # People: those on the registers and the usual participants; for a partner operator,
    # everyone they may register in the project (their own activities' people).
    wanted: dict[int, set[int]] = {}
    for s in sessions:
        pid = s.activity.project_id
        wanted.setdefault(pid, set()).update(map(int, lines.get(s.pk, {})))
        wanted[pid].update(usual.get(s.activity_id, []))
    partner_projects = access.partner_scopes(user)
    people: dict[str, list[dict]] = {}
    for pid, person_ids in wanted.items():
        rows = access.scoped(Person, user, pid).in_project(pid)
        if pid not in partner_projects:
            rows = rows.filter(pk__in=person_ids)
        people[str(pid)] = [
            {"id": pk, "name": f"{last} {first}".strip()}
            for pk, last, first in rows.order_by("last_name", "first_name", "pk").values_list(
                "pk", "last_name", "first_name"
            )[:OFFLINE_MAX_PEOPLE]
        ]
    open_conflicts = list(
        access.scoped(OfflineConflict, user, within)
        .filter(submitted_by=user, resolution=OfflineConflict.Resolution.OPEN)
        .values_list("pk", flat=True)
    )
    return {
        "week": [start, end],
        "sessions": [_session_data(s, lines.get(s.pk, {}), usual) for s in sessions],
        "people": people,
        "open_conflicts": open_conflicts,
    }


def _session_data(session: Session, register: dict[str, str], usual: dict) -> dict:
    project: Project = session.activity.project
    place = session.lab.name if session.lab else session.place
    return {
        "id": session.pk,
        "project": project.slug,
        "project_id": project.pk,
        "project_title": project.title,
        "activity": session.activity.name,
        "date": session.date.isoformat(),
        "day": session.date.strftime("%d/%m/%Y"),
        "start": session.start_time.strftime("%H:%M"),
        "end": session.end_time.strftime("%H:%M"),
        "starts_at": session.starts_at.isoformat(),
        "place": place,
        "hours": _hours(session.hours),
        "state": session.state,
        "validated": session.validated_at is not None,
        "version": session.version,
        "head_count": session.head_count,
        "register": register,
        "usual": sorted(usual.get(session.activity_id, [])),
    }


# ---- Receiving a register from a tablet ---------------------------------------------


@dataclass(frozen=True)
class OfflineRegister:
    """A register as the tablet sends it, checked for shape."""

    version: int
    token: uuid.UUID
    head_count: int
    people: dict[int, Decimal] = field(default_factory=dict)
    saved_at: dt.datetime | None = None


def _integer(value, message: str, *, minimum: int = 0, maximum: int = 10**9) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise OfflineRefused(message, 400)
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or not minimum <= int(text) <= maximum:
        raise OfflineRefused(message, 400)
    return int(text)


def parse_register(data) -> OfflineRegister:
    """The tablet's JSON as an OfflineRegister; OfflineRefused (400) for anything else."""
    if not isinstance(data, dict):
        raise OfflineRefused(_("Il registro inviato non è leggibile."), 400)
    try:
        token = uuid.UUID(str(data.get("token", "")))
    except ValueError:
        raise OfflineRefused(_("Il registro inviato non ha un codice valido."), 400) from None
    version = _integer(data.get("version"), _("Il registro inviato non ha una versione valida."))
    head_count = _integer(
        data.get("head_count", 0),
        _("Il numero di presenti senza nome deve essere un numero intero da 0 a 10000."),
        maximum=10000,
    )
    raw_people = data.get("people", {})
    if not isinstance(raw_people, dict) or len(raw_people) > OFFLINE_MAX_PEOPLE:
        raise OfflineRefused(_("L'elenco dei presenti inviato non è leggibile."), 400)
    people: dict[int, Decimal] = {}
    for key, value in raw_people.items():
        person_id = _integer(key, _("L'elenco dei presenti inviato non è leggibile."))
        try:
            hours = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            hours = None
        if hours is None or not hours.is_finite() or hours <= 0 or hours >= 1000:
            raise OfflineRefused(
                _("Le ore di presenza devono essere un numero maggiore di zero."), 422
            )
        people[person_id] = hours.quantize(Decimal("0.01"))
    saved_at = None
    if isinstance(data.get("saved_at"), str):
        try:
            saved_at = dt.datetime.fromisoformat(data["saved_at"].replace("Z", "+00:00"))
        except ValueError:
            saved_at = None
        if saved_at is not None and timezone.is_naive(saved_at):
            saved_at = None
    return OfflineRegister(
        version=version, token=token, head_count=head_count, people=people, saved_at=saved_at
    )


def _lines(*, user, session: Session, people: dict[int, Decimal]) -> dict[Person, Decimal]:
    """The register's people as Person rows of the user's pool; refused if one is not."""
    pool = registers.register_pool(user=user, session=session).only("pk", "first_name", "last_name")
    found = {p.pk: p for p in pool.filter(pk__in=list(people))}
    if len(found) != len(people):
        raise OfflineRefused(
            _(
                "Una delle persone del registro non è tra quelle che puoi registrare in "
                "questo progetto: il registro non è stato salvato."
            ),
            422,
        )
    return {found[pk]: hours for pk, hours in people.items()}


def offline_submit(*, user, session: Session, register: OfflineRegister) -> dict:
    """Save a register sent from a tablet, only if the register is still at the version
    the tablet had. Returns the new version; raises OfflineConflictError (the tablet's
    register kept as a conflict), or OfflineRefused with the reason."""
    lines = _lines(user=user, session=session, people=register.people)
    try:
        result = registers.register_save(
            session=session,
            actor=user,
            lines=lines,
            head_count=register.head_count,
            expected_version=register.version,
            token=register.token,
            change_reason=_("registro compilato offline"),
        )
    except StaleEditError:
        raise OfflineConflictError(_record_conflict(user, session, register)) from None
    except SessionError as error:
        raise OfflineRefused(str(error), 422) from None
    session.refresh_from_db(fields=["version"])
    return {"version": session.version, "duplicate": result.duplicate}


def _record_conflict(user, session: Session, register: OfflineRegister) -> OfflineConflict:
    """Keep the tablet's register; the same register sent again finds its conflict."""
    session.refresh_from_db()
    try:
        with transaction.atomic():
            conflict, _created = OfflineConflict.objects.get_or_create(
                session=session,
                token=register.token,
                defaults={
                    "submitted_by": user,
                    "saved_on_device_at": register.saved_at,
                    "device_version": register.version,
                    "server_version": session.version,
                    "device_register": {
                        "head_count": register.head_count,
                        "people": {str(pk): _hours(h) for pk, h in register.people.items()},
                    },
                    "server_register": registers.register_snapshot(session),
                },
            )
    except IntegrityError:  # sent twice at the same moment: the other request made it
        conflict = OfflineConflict.objects.get(session=session, token=register.token)
    return conflict


# ---- The conflict: both versions, and the operator's choice --------------------------


@dataclass
class Difference:
    name: str
    device: str  # hours, or "" when absent
    server: str


@dataclass
class ConflictView:
    conflict: OfflineConflict
    last_change_by: object
    last_change_at: dt.datetime | None
    differences: list[Difference]
    head_count_device: int
    head_count_server: int
    current_version: int


def conflict_view(*, user, conflict: OfflineConflict) -> ConflictView:
    """Both versions of a conflicting register, and who last changed the server's: the
    people whose presence or hours differ, by name (of the people the user may see)."""
    session = conflict.session
    session.refresh_from_db()
    current = registers.register_snapshot(session)
    server = (
        current if conflict.resolution == conflict.Resolution.OPEN else conflict.server_register
    )
    device = conflict.device_register
    ids = {int(pk) for pk in (*device["people"], *server["people"])}
    project_id = session.activity.project_id
    names = {
        p.pk: p.full_name
        for p in access.scoped(Person, user, project_id)
        .filter(pk__in=ids)
        .only("pk", "first_name", "last_name")
    }
    differences = []
    for pk in sorted(ids, key=lambda pk: names.get(pk, "")):
        d, s = device["people"].get(str(pk), ""), server["people"].get(str(pk), "")
        if d != s:
            differences.append(
                Difference(
                    name=names.get(pk, _("persona non visibile")),
                    device=formats.number_format(Decimal(d), 2) if d else "",
                    server=formats.number_format(Decimal(s), 2) if s else "",
                )
            )
    last = (
        session.history.exclude(history_user=conflict.submitted_by)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
    ) or session.history.select_related("history_user").order_by("-history_date").first()
    return ConflictView(
        conflict=conflict,
        last_change_by=last.history_user if last else None,
        last_change_at=last.history_date if last else None,
        differences=differences,
        head_count_device=device["head_count"],
        head_count_server=server["head_count"],
        current_version=session.version,
    )


def _check_open(conflict: OfflineConflict) -> None:
    if conflict.resolution != OfflineConflict.Resolution.OPEN:
        raise OfflineRefused(_("Per questo registro hai già scelto quale versione tenere."))


def _resolve(conflict: OfflineConflict, actor, resolution: str, reason: str) -> None:
    conflict.resolution = resolution
    conflict.resolved_by = actor
    conflict.resolved_at = timezone.now()
    conflict._change_reason = reason
    conflict._history_user = actor
    conflict.save()


@transaction.atomic
def conflict_keep_server(*, conflict: OfflineConflict, actor) -> OfflineConflict:
    """Keep the server's register; the tablet's stays recorded in the conflict."""
    conflict = OfflineConflict.objects.select_for_update().get(pk=conflict.pk)
    _check_open(conflict)
    _resolve(conflict, actor, conflict.Resolution.KEPT_SERVER, _("tenuta la versione del server"))
    return conflict


@transaction.atomic
def conflict_send_device(
    *, conflict: OfflineConflict, actor, expected_version: int
) -> OfflineConflict:
    """Save the tablet's register over the server's, explicitly: a new version of the
    register, from the server version the operator saw on the comparison page (a newer
    one is refused again). The register's history records it with its reason."""
    conflict = OfflineConflict.objects.select_for_update().get(pk=conflict.pk)
    _check_open(conflict)
    session = conflict.session
    device = conflict.device_register
    people = {int(pk): Decimal(hours) for pk, hours in device["people"].items()}
    lines = _lines(user=actor, session=session, people=people)
    reason = _("registro offline inviato sopra la versione %(v)s del server") % {
        "v": expected_version
    }
    try:
        registers.register_save(
            session=session,
            actor=actor,
            lines=lines,
            head_count=device["head_count"],
            expected_version=expected_version,
            token=uuid.uuid4(),
            change_reason=reason,
        )
    except StaleEditError:
        raise OfflineRefused(
            _(
                "Il registro è cambiato ancora mentre confrontavi le versioni: ricarica la "
                "pagina e confronta di nuovo."
            ),
            409,
        ) from None
    except SessionError as error:
        raise OfflineRefused(str(error)) from None
    _resolve(conflict, actor, conflict.Resolution.OVERRODE, reason)
    return conflict
