"""Scoped querysets for people's data. Every read of a person, household, path or consent
goes through ``visible_to(user)``; the rules come from labs.access."""

from django.db import models
from django.db.models import Q

from labs import access


def _partner_q(user, project_id: int | None) -> Q:
    """People a partner operator may see: enrolled in an activity their organisation runs,
    or on the register of one of its sessions, in that project."""
    q = Q(pk__in=[])
    for pid, org_id in access.partner_scopes(user).items():
        if project_id is not None and pid != project_id:
            continue
        q |= Q(activity_enrolments__activity__project_id=pid,
               activity_enrolments__activity__organisation_id=org_id)
        q |= Q(attendances__session__activity__project_id=pid,
               attendances__session__activity__organisation_id=org_id)
    return q


def _staff_q(user, project_id: int | None) -> Q:
    staff = access.project_ids_for(user, "people.view_sensitive")
    if project_id is not None:
        staff = [p for p in staff if p == project_id]
    return (
        Q(registrations__project_id__in=staff)
        | Q(household_memberships__household__project_id__in=staff)
        | Q(paths__project_id__in=staff)
    )


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, project_id: int | None = None):
        q = _staff_q(user, project_id) | _partner_q(user, project_id)
        return self.filter(pk__in=self.model._default_manager.filter(q).values("pk"))

    def in_project(self, project_id: int):
        """People known to the project: registered in it, enrolled in one of its
        activities, on one of its paths or in one of its households."""
        q = (
            Q(registrations__project_id=project_id)
            | Q(activity_enrolments__activity__project_id=project_id)
            | Q(paths__project_id=project_id)
            | Q(household_memberships__household__project_id=project_id)
        )
        return self.filter(pk__in=self.model._default_manager.filter(q).values("pk"))

    def with_sensitive_access(self, user, project_id: int | None = None):
        """People whose sensitive data the user may read (leads and social workers)."""
        q = _staff_q(user, project_id)
        return self.filter(pk__in=self.model._default_manager.filter(q).values("pk"))


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(project_id__in=access.project_ids_for(user, "people.view_sensitive"))


class PathQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(project_id__in=access.project_ids_for(user, "people.view_sensitive"))

    def open(self):
        return self.filter(exit_date__isnull=True)


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .models import Person

        return self.filter(person__in=Person.objects.with_sensitive_access(user))

    def valid_on(self, day):
        return self.filter(signed_on__lte=day).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=day)
        ).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
