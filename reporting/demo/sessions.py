"""Activities, their dated sessions and the attendance registers."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from beneficiaries.models import Attendance, Person
from labs.models import Activity, Session, minutes_between

from . import loader
from .dates import at, hours_of, is_closed, time_of
from .state import Demo, ProjectBatch

CANCEL_REASONS: list[str] = loader.texts()["cancel_reasons"]
SLOTS = ["09:00", "10:30", "14:00", "15:30", "17:00"]


def new_activity(demo: Demo, batch: ProjectBatch, spec: dict) -> Activity:
    """An activity of a data file: axis, organisation, kind, name, planned hours..."""
    lab = spec.get("lab")
    return Activity.objects.create(
        project=batch.project,
        axis=batch.axes[spec["axis"]],
        organisation=demo.organisations[spec["organisation"]],
        kind=spec["kind"],
        name=spec["name"],
        description=spec.get("description", ""),
        planned_hours=Decimal(spec["planned_hours"]),
        is_open_event=spec.get("is_open_event", False),
        lab=batch.labs.get(lab) if lab else None,
    )


def session_state(
    rng: random.Random,
    batch: ProjectBatch,
    day: dt.date,
    *,
    cancel_rate: float,
    suspended_online: bool,
) -> tuple[str, str, str]:
    """State, cancel reason and place override of a session on ``day``."""
    for first, last, reason in batch.suspensions:
        if first <= day <= last:
            if suspended_online:
                return Session.State.HELD, "", "A distanza (videochiamata)"
            return Session.State.CANCELLED, reason, ""
    if day > batch.today - dt.timedelta(days=18) and rng.random() < 0.6:
        return Session.State.PLANNED, "", ""
    if rng.random() < cancel_rate:
        return Session.State.CANCELLED, rng.choice(CANCEL_REASONS), ""
    return Session.State.HELD, "", ""


def enrol_pool(demo: Demo, batch: ProjectBatch, activity, pool, days, active) -> None:
    """The usual participants are enrolled a few days before the first session (not
    before their path starts)."""
    first_day = days[0] if days else batch.activity_start
    for person in pool:
        since = first_day - dt.timedelta(days=demo.rng.randint(0, 10))
        if active is not None:
            since = max(since, active[person.pk][0])
        batch.enrol(activity, person, since)


def present_people(rng, day, pool, presence, walk_in, active) -> list[Person]:
    """Who came: each of the pool with ``presence`` (while active), plus a few walk-ins."""
    present: list[Person] = []
    if pool:
        present += [
            p
            for p in pool
            if rng.random() < presence
            and (active is None or active[p.pk][0] <= day <= active[p.pk][1])
        ]
    if walk_in:
        candidates, low, high = walk_in
        present += rng.sample(candidates, min(len(candidates), rng.randint(low, high)))
    return present


def write_register(rng, batch: ProjectBatch, session: Session, present, minutes: int) -> None:
    """One register line per person present; some left early."""
    full_hours = hours_of(minutes)
    seen = set()
    for person in present:
        if person.pk in seen:
            continue
        seen.add(person.pk)
        hours = full_hours
        if minutes > 60 and rng.random() < 0.1:
            hours = hours_of(minutes - rng.choice([30, 60]))
        batch.attendances.append(Attendance(session=session, person=person, hours=hours))
        batch.contact(person, session.date)


def new_session(demo, batch, activity, day, start, end, minutes, opts) -> Session:
    """One session, its state drawn, its operators linked (unsaved)."""
    rng = demo.rng
    state, reason, place_override = session_state(
        rng,
        batch,
        day,
        cancel_rate=opts.get("cancel_rate", 0.04),
        suspended_online=opts.get("suspended_online", False),
    )
    notes = opts.get("notes")
    lab = opts.get("lab")
    session = Session(
        activity=activity,
        lab=batch.labs.get(lab) if lab else None,
        date=day,
        start_time=start,
        end_time=end,
        duration_minutes=minutes,
        place=place_override or opts.get("place", ""),
        state=state,
        cancel_reason=reason,
        notes=rng.choice(notes) if notes and state == Session.State.HELD else "",
    )
    batch.sessions.append(session)
    for username in opts.get("operators", ()):
        batch.operator_links.append((session, demo.users[username]))
    return session


def add_sessions(
    demo: Demo,
    batch: ProjectBatch,
    activity: Activity,
    days: list[dt.date],
    opts: dict,
    *,
    pool: list[Person] | None = None,
    walk_in: tuple[list[Person], int, int] | None = None,
    active: dict[int, tuple[dt.date, dt.date]] | None = None,
) -> list[Session]:
    """Dated sessions of an activity with their registers.

    ``pool``: the usual participants (enrolled, each present with ``presence``);
    ``walk_in``: (candidates, min, max) people who drop in; ``head_count``: unnamed
    attendees of an open event; ``active``: person pk -> (from, to), days outside which
    a participant of the pool is not expected (before entry, after exit). Sessions after
    the project's demo date are not created; those of its last weeks are often still to
    be recorded. ``opts`` holds the other keys of the data file's session block.
    """
    rng = demo.rng
    start, end = time_of(opts["start"]), time_of(opts["end"])
    minutes = minutes_between(start, end)
    head_count = opts.get("head_count", (0, 0))
    if pool:
        enrol_pool(demo, batch, activity, pool, days, active)
    created = []
    for day in days:
        if day > batch.today:
            break
        session = new_session(demo, batch, activity, day, start, end, minutes, opts)
        created.append(session)
        if session.state != Session.State.HELD:
            continue
        if head_count[1]:
            session.head_count = rng.randint(*head_count)
        present = present_people(rng, day, pool, opts.get("presence", 0.8), walk_in, active)
        write_register(rng, batch, session, present, minutes)
    return created


def meeting_slot(rng, used: set, day: dt.date, weekdays) -> tuple[dt.date, str]:
    """The first free slot of the operator's agenda on or after ``day``."""
    while day.weekday() not in weekdays or is_closed(day):
        day += dt.timedelta(days=1)
    slot = rng.choice(SLOTS)
    tries = 0
    while (day, slot) in used:
        tries += 1
        slot = SLOTS[(SLOTS.index(slot) + 1) % len(SLOTS)]
        if tries % len(SLOTS) == 0:
            day += dt.timedelta(days=7)
    return day, slot


def add_meeting(demo, batch, activity, person, day, slot, opts) -> None:
    """One held (or not) one-to-one meeting with its register line."""
    minutes = opts.get("minutes", 60)
    start = time_of(slot)
    end_minutes = start.hour * 60 + start.minute + minutes
    end = dt.time(end_minutes // 60, end_minutes % 60)
    state, reason, place_override = session_state(
        demo.rng, batch, day, cancel_rate=0.05, suspended_online=True
    )
    lab = opts.get("lab")
    session = Session(
        activity=activity,
        lab=batch.labs.get(lab) if lab else None,
        date=day,
        start_time=start,
        end_time=end,
        duration_minutes=minutes,
        place=place_override or opts.get("place", ""),
        state=state,
        cancel_reason=reason,
    )
    batch.sessions.append(session)
    for username in opts.get("operators", ()):
        batch.operator_links.append((session, demo.users[username]))
    if state == Session.State.HELD:
        batch.attendances.append(
            Attendance(session=session, person=person, hours=hours_of(minutes))
        )


def add_individual_sessions(
    demo: Demo,
    batch: ProjectBatch,
    activity: Activity,
    people: list[tuple[Person, dt.date, dt.date]],
    opts: dict,
) -> None:
    """One-to-one meetings (tutoring, accompaniment): a few per person between the two
    dates (``per_person``), on the ``weekdays`` of the operator's agenda."""
    rng = demo.rng
    used: set[tuple[dt.date, str]] = set()
    weekdays = tuple(opts.get("weekdays", (3, 4)))
    for person, first, last in people:
        last = min(last, batch.today)
        if last < first:
            continue
        count = rng.randint(*opts.get("per_person", (3, 6)))
        span = (last - first).days
        for i in range(count):
            day = first + dt.timedelta(days=span * i // max(1, count))
            day, slot = meeting_slot(rng, used, day, weekdays)
            if day > batch.today:
                break
            used.add((day, slot))
            add_meeting(demo, batch, activity, person, day, slot, opts)
            batch.enrol(activity, person, first)


def validate_registers(batch: ProjectBatch, until: dt.date, user) -> None:
    """The lead validated the registers of the held sessions up to a date."""
    for session in batch.sessions:
        if session.state == Session.State.HELD and session.date <= until:
            session.validated_at = at(until + dt.timedelta(days=10), 11)
            session.validated_by = user
