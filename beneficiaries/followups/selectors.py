"""The six-month follow-up worklist of a project and its response rate.

A closed path is *upcoming* until its window opens (six months after the exit), *due*
while the window is open, *overdue* once it has closed without a follow-up inside it. A
follow-up recorded outside its window (entered before this rule existed, or through the
admin) is *out of window*: listed, flagged, and counted in no indicator. Every figure is
computed by the database; the list is one query whatever the number of paths.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, CharField, Count, F, Max, Q, QuerySet, Value, When

from beneficiaries.models import FollowupContact, Path

UPCOMING_DAYS = 30  # how far ahead the worklist shows windows about to open

IN_WINDOW = Q(followup_date__gte=F("followup_due_date")) & Q(
    followup_date__lte=F("followup_window_end")
)


class Status:
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    OUT_OF_WINDOW = "out_of_window"
    DONE = "done"


def _status(today: dt.date) -> Case:
    return Case(
        When(followup_date__isnull=False, then=Case(
            When(IN_WINDOW, then=Value(Status.DONE)),
            default=Value(Status.OUT_OF_WINDOW),
        )),
        When(followup_window_end__lt=today, then=Value(Status.OVERDUE)),
        When(followup_due_date__lte=today, then=Value(Status.DUE)),
        default=Value(Status.UPCOMING),
        output_field=CharField(),
    )  # fmt: skip


def worklist(paths: QuerySet[Path], today: dt.date) -> QuerySet[Path]:
    """The closed paths needing a follow-up (due, overdue, opening within
    UPCOMING_DAYS) and those whose follow-up is out of its window, most urgent first,
    with the number of contact attempts and the last one. One query."""
    horizon = today + dt.timedelta(days=UPCOMING_DAYS)
    return (
        paths.filter(exit_date__isnull=False, followup_due_date__lte=horizon)
        .annotate(
            followup_status=_status(today),
            attempts=Count("followup_contacts"),
            reached_attempts=Count("followup_contacts", filter=Q(followup_contacts__reached=True)),
            last_attempt=Max("followup_contacts__contacted_on"),
        )
        .exclude(followup_status=Status.DONE)
        .select_related("person")
        .order_by(
            Case(
                When(followup_status=Status.OVERDUE, then=Value(0)),
                When(followup_status=Status.DUE, then=Value(1)),
                When(followup_status=Status.OUT_OF_WINDOW, then=Value(2)),
                default=Value(3),
            ),
            "followup_window_end",
            "pk",
        )
    )


def response_rate(paths: QuerySet[Path], today: dt.date) -> dict:
    """Of the paths whose window has closed, or which already have a follow-up inside
    it: how many have one (``responded``), out of ``expected``; ``percent`` is None when
    none is expected yet. One query."""
    row = paths.filter(exit_date__isnull=False).aggregate(
        responded=Count("pk", filter=IN_WINDOW),
        expected=Count("pk", filter=IN_WINDOW | Q(followup_window_end__lt=today)),
        out_of_window=Count("pk", filter=Q(followup_date__isnull=False) & ~IN_WINDOW),
    )
    expected = row["expected"]
    row["percent"] = round(100 * row["responded"] / expected) if expected else None
    return row


def contacts_of(contacts: QuerySet[FollowupContact]) -> QuerySet[FollowupContact]:
    return contacts.select_related("recorded_by").order_by("-contacted_on", "-pk")
