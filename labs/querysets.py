"""Querysets of labs' models, and the one definition of the hours a project held."""

import datetime as dt

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce

HELD = "held"  # Session.State.HELD


def held(prefix: str = "", within: tuple[dt.date, dt.date] | None = None) -> Q:
    """Sessions that took place (in the period ``within``, both days included), seen from
    a model ``prefix`` away (e.g. "activities__sessions__" from an axis)."""
    condition = Q(**{f"{prefix}state": HELD})
    if within is not None:
        condition &= Q(**{f"{prefix}date__range": within})
    return condition


def held_minutes(prefix: str = "", within: tuple[dt.date, dt.date] | None = None):
    """Minutes of activity held: the sessions that took place, for their scheduled
    duration. The one place "hours held" is defined (dashboard, report, indicators)."""
    return Coalesce(Sum(f"{prefix}duration_minutes", filter=held(prefix, within)), 0)


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user, capability: str = "project.view"):
        from .access import project_ids_for

        return self.filter(pk__in=project_ids_for(user, capability))


def _activity_scope(user, prefix: str = "", within=None) -> Q:
    """Activities a user may see: all of a project for its staff, only their own
    organisation's for a partner operator; with ``within``, only in those projects (one
    predicate on the project, so that PostgreSQL estimates the rows right)."""
    from . import access

    partners = access.partner_scopes(user)
    staff = [pid for pid in access.project_ids_for(user, "activities.view") if pid not in partners]
    if within is not None:
        within = set(within)
        staff = [pid for pid in staff if pid in within]
        partners = {pid: org for pid, org in partners.items() if pid in within}
    q = Q(**{f"{prefix}project_id__in": staff})
    for pid, org_id in partners.items():
        q |= Q(**{f"{prefix}project_id": pid, f"{prefix}organisation_id": org_id})
    return q


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(_activity_scope(user))


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user, within=None):
        """Sessions of the activities the user may see (in the projects ``within``)."""
        return self.filter(_activity_scope(user, "activity__", within))

    def with_lock(self):
        """Annotate ``locked``: the session falls in a closed reporting period of its
        project (one subquery, not a query per row)."""
        closed = apps.get_model("labs", "ReportingPeriod").objects.filter(
            project_id=OuterRef("activity__project_id"),
            closed_at__isnull=False,
            start_date__lte=OuterRef("date"),
            end_date__gte=OuterRef("date"),
        )
        return self.annotate(locked=Exists(closed))

    def to_record(self, today: dt.date):
        """Planned sessions whose day has passed: the register or the reason is missing."""
        return self.filter(state="planned", date__lt=today)

    def to_validate(self, today: dt.date):
        """Held sessions whose register nobody has validated yet."""
        return self.filter(state=HELD, validated_at__isnull=True, date__lte=today)


class ResidentReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .access import project_ids_for

        return self.filter(project_id__in=project_ids_for(user, "activities.view"))


class ReportingPeriodQuerySet(models.QuerySet):
    def closed_on(self, project_id: int, day: dt.date):
        """Closed periods of the project that contain the day."""
        return self.filter(
            project_id=project_id, closed_at__isnull=False, start_date__lte=day, end_date__gte=day
        )
