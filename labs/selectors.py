"""Read-side queries on activities, sessions and residents' reports. Each takes the acting
user (or a project already scoped by the view), so that scoping cannot be forgotten."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from . import access
from .models import Project, ResidentReport, Session, SessionEvidence

INBOX_SIZE = 10


@dataclass
class Inbox:
    """A few items to act on and how many there are in all."""

    items: list
    total: int


def sessions_for(user, project: Project) -> QuerySet[Session]:
    """The project's sessions the user may see, to filter, count and paginate: no
    per-row figure, so counting and paging read the sessions only (``with_list_figures``
    adds them to the rows shown)."""
    return access.scoped(Session, user, project).order_by("date", "start_time", "pk")


def with_list_figures(sessions: QuerySet[Session]) -> QuerySet[Session]:
    """The rows of one page of ``sessions`` (already filtered, ordered and sliced) with
    what the list shows of each: activity, axis, organisation, place, lock, and the size
    of the register and of the evidence. One query; the counts and the lock are computed
    for these rows only, not for every session of the project before the LIMIT. The rows
    are those of the page (``pk IN`` the scoped, sliced queryset), so nothing outside the
    user's scope can appear."""
    return (
        Session.objects.filter(pk__in=sessions.values("pk"))
        .select_related("activity__axis", "activity__organisation", "lab")
        .with_lock()
        .annotate(
            attendance_count=Count("attendances", distinct=True),
            evidence_count=Count("evidence", distinct=True),
        )
        .order_by(*sessions.query.order_by)
    )


def _inbox(sessions: QuerySet[Session]) -> Inbox:
    sessions = sessions.select_related("activity__project", "activity__organisation", "lab")
    return Inbox(
        items=list(sessions.order_by("date", "start_time")[:INBOX_SIZE]), total=sessions.count()
    )


def sessions_to_record(user, today: dt.date | None = None) -> Inbox:
    """Past sessions the user may record whose register (or reason for not taking place)
    is still missing: all of a project for its staff, their organisation's for a partner."""
    today = today or timezone.localdate()
    projects = access.project_ids_for(user, "sessions.change")
    return _inbox(access.scoped(Session, user, tuple(projects)).to_record(today))


def registers_to_validate(user, today: dt.date | None = None) -> Inbox:
    """Registers of held sessions that wait for the user's validation: every one of the
    projects they lead, their organisation's for a partner coordinator."""
    today = today or timezone.localdate()
    projects = access.project_ids_for(user, "registers.validate")
    return _inbox(access.scoped(Session, user, tuple(projects)).to_validate(today))


def calendar_default_month(project: Project, today: dt.date) -> dt.date:
    """The month a calendar opens on: this month while the project runs, otherwise its
    last month (a finished project) or its first (one not yet started)."""
    day = min(max(today, project.start_date), project.end_date)
    return day.replace(day=1)


def sessions_for_annex(project: Project, start: dt.date, end: dt.date) -> QuerySet[Session]:
    """The report's annex: sessions held in the period with their evidence files (names
    and types, never the content). Two queries whatever the number of sessions."""
    return (
        Session.objects.filter(
            activity__project=project, state=Session.State.HELD, date__range=(start, end)
        )
        .select_related("activity__axis", "activity__organisation", "lab")
        .prefetch_related(
            Prefetch("evidence", SessionEvidence.objects.order_by("uploaded_at", "pk"))
        )
        .order_by("date", "start_time", "pk")
    )


def resident_report_figures(
    project: Project, start: dt.date | None = None, end: dt.date | None = None
) -> dict:
    """Reports opened and solved in the period (or ever), still open at its end, and the
    average days from opening to solution. One aggregate query."""
    start = start or dt.date(1900, 1, 1)
    end = end or dt.date(2999, 12, 31)
    solved = Q(status=ResidentReport.Status.SOLVED, solved_on__range=(start, end))
    figures = ResidentReport.objects.filter(project=project).aggregate(
        opened=Count("pk", filter=Q(opened_on__range=(start, end))),
        solved=Count("pk", filter=solved),
        still_open=Count(
            "pk",
            filter=Q(opened_on__lte=end)
            & ~Q(status__in=[ResidentReport.Status.SOLVED, ResidentReport.Status.REJECTED]),
        ),
        average_time_to_solve=Avg(
            ExpressionWrapper(F("solved_on") - F("opened_on"), output_field=DurationField()),
            filter=solved,
        ),
    )
    average = figures.pop("average_time_to_solve")
    figures["average_days_to_solve"] = (
        None if average is None else round(average.total_seconds() / 86400, 1)
    )
    return figures


def session_or_404(user, project: Project, pk: int, *, perm: str | None = None) -> Session:
    """One session of the project that the user may see, and change when ``perm`` is given
    (e.g. "labs.change_session"); 404 otherwise, like every scope check."""
    session = access.get_scoped_or_404(
        Session,
        user,
        queryset=access.scoped(Session, user, project).select_related(
            "activity__project", "activity__axis", "activity__organisation", "lab"
        ),
        pk=pk,
    )
    if perm and not user.has_perm(perm, session):
        raise Http404
    return session
