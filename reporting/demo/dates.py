"""Dates of the demo: ages, the labs' calendar (holidays and closures) and session rules."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_DOWN, Decimal
from zoneinfo import ZoneInfo

from . import loader

TZ = ZoneInfo("Europe/Rome")
_HOLIDAYS = loader.read("calendar")["holidays"]
FIXED_HOLIDAYS = [tuple(day) for day in _HOLIDAYS["fixed"]]
EASTER_MONDAYS = {day.year: day for day in _HOLIDAYS["easter_mondays"]}

# Birth dates must stay in the century the codice fiscale decodes to (see the report):
# stdnum reads a two-digit year in 1920-2019.
BIRTH_MIN = dt.date(1920, 1, 1)
BIRTH_MAX = dt.date(2019, 12, 31)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def years_before(day: dt.date, years: float) -> dt.date:
    return day - dt.timedelta(days=round(years * 365.25))


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def clamp_birth(day: dt.date) -> dt.date:
    return min(max(day, BIRTH_MIN), BIRTH_MAX)


def hours_of(minutes: int) -> Decimal:
    """Hours as stored on a register line, never above the session's length."""
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def time_of(text: str) -> dt.time:
    hour, minute = text.split(":")
    return dt.time(int(hour), int(minute))


def is_closed(day: dt.date) -> bool:
    """Public holidays (Milan's 7 December included), summer and Christmas closures."""
    if (day.month, day.day) in FIXED_HOLIDAYS or EASTER_MONDAYS.get(day.year) == day:
        return True
    if day.month == 8 and 5 <= day.day <= 30:
        return True
    return (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 6)


def weekly(start: dt.date, end: dt.date, weekday: int, every: int = 1) -> list[dt.date]:
    """Dates of a weekday (0 = Monday) from start to end, every n weeks, closures skipped."""
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    days = []
    while day <= end:
        if not is_closed(day):
            days.append(day)
        day += dt.timedelta(weeks=every)
    return days


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth weekday of a month (nth = -1: the last one; past the end: the last one)."""
    first = dt.date(year, month, 1)
    candidates = []
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    while day.month == month:
        candidates.append(day)
        day += dt.timedelta(weeks=1)
    return candidates[nth] if nth < 0 or nth < len(candidates) else candidates[-1]


def monthly(start: dt.date, end: dt.date, weekday: int, nth: int) -> list[dt.date]:
    """The nth weekday of every month (nth = -1: the last one), closures skipped."""
    days = []
    year, month = start.year, start.month
    while dt.date(year, month, 1) <= end:
        day = nth_weekday(year, month, weekday, nth)
        if start <= day <= end and not is_closed(day):
            days.append(day)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return days


def semesters(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Half-year reporting periods (calendar semesters) covering start..end."""
    periods = []
    year, half = start.year, 1 if start.month <= 6 else 2
    while True:
        first = dt.date(year, 1 if half == 1 else 7, 1)
        last = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
        if first > end:
            return periods
        periods.append((f"{half}° semestre {year}", max(first, start), min(last, end)))
        year, half = (year, 2) if half == 1 else (year + 1, 1)


def session_days(spec: dict, activity_start: dt.date, today: dt.date) -> list[dt.date]:
    """The dates of a session block of a data file.

    ``dates``: listed; or ``days``: rules ``{weekly = weekday, every = n}`` or
    ``{monthly = weekday, nth = n}``, each ``from`` the project's activity start ``to`` its
    demo date unless given, joined in order; then ``sort``, ``step`` and ``take``.
    """
    if "dates" in spec:
        days = list(spec["dates"])
    else:
        days = []
        for rule in spec["days"]:
            start, end = rule.get("from", activity_start), rule.get("to", today)
            if "weekly" in rule:
                days += weekly(start, end, rule["weekly"], rule.get("every", 1))
            else:
                days += monthly(start, end, rule["monthly"], rule["nth"])
    if spec.get("sort"):
        days.sort()
    days = days[:: spec.get("step", 1)]
    return days[: spec["take"]] if "take" in spec else days
