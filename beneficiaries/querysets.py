"""Scoped querysets for people's data. Every read of a person, household, path or consent
goes through ``visible_to(user)``; the rules come from labs.access."""

from django.db import models
from django.db.models import Q

from labs import access

# Each rule is one semi-join on a UNION of person ids read by project index
# (``pk IN (SELECT person_id ... UNION ...)``), never an OR across LEFT JOINs: PostgreSQL
# then looks people up by primary key instead of hashing every person of the region.


def _person_ids(model_name: str, **lookups):
    from django.apps import apps

    model = apps.get_model("beneficiaries", model_name)
    return model._default_manager.filter(**lookups).order_by().values("person_id")


def _people_in(*subqueries) -> Q:
    """``pk IN (SELECT person_id ... UNION SELECT person_id ...)``: one semi-join."""
    if not subqueries:
        return Q(pk__in=[])
    first, *rest = subqueries
    return Q(pk__in=first.union(*rest) if rest else first)


def _partner_q(user, project_id: int | None) -> list:
    """People a partner operator may see: enrolled in an activity their organisation runs,
    or on the register of one of its sessions, in that project."""
    subqueries = []
    wanted = access.projects_with(user, "people.view", project_id)
    for pid, org_id in access.partner_scopes(user).items():
        if pid not in wanted:
            continue
        subqueries.append(
            _person_ids(
                "ActivityEnrolment", activity__project_id=pid, activity__organisation_id=org_id
            )
        )
        subqueries.append(
            _person_ids(
                "Attendance",
                session__activity__project_id=pid,
                session__activity__organisation_id=org_id,
            )
        )
    return subqueries


def _staff_q(user, project_id: int | None) -> list:
    staff = access.projects_with(user, "people.view_sensitive", project_id)
    if not staff:
        return []
    return [
        _person_ids("Registration", project_id__in=staff),
        _person_ids("HouseholdMember", household__project_id__in=staff),
        _person_ids("Path", project_id__in=staff),
    ]


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user, project_id: int | None = None):
        return self.filter(_people_in(*_staff_q(user, project_id), *_partner_q(user, project_id)))

    def in_project(self, project_id: int):
        """People known to the project: registered in it, enrolled in one of its
        activities, on one of its paths or in one of its households."""
        return self.filter(
            _people_in(
                _person_ids("Registration", project_id=project_id),
                _person_ids("ActivityEnrolment", activity__project_id=project_id),
                _person_ids("Path", project_id=project_id),
                _person_ids("HouseholdMember", household__project_id=project_id),
            )
        )

    def matching(self, search: str, *, tax_code: bool = False, birth_year: bool = False):
        """People whose first or last name contains every word searched (or whose codice
        fiscale is a word, with ``tax_code``: only for those who may read it; or, with
        ``birth_year``, who were born in the year a four-digit word names)."""
        terms = Q()
        for word in search.split():
            word_q = Q(first_name__icontains=word) | Q(last_name__icontains=word)
            if tax_code:
                word_q |= Q(tax_code__iexact=word)
            if birth_year and len(word) == 4 and word.isascii() and word.isdigit():
                word_q |= Q(birth_date__year=int(word))
            terms &= word_q
        return self.filter(terms)

    def with_sensitive_access(self, user, project_id: int | None = None):
        """People whose sensitive data the user may read (leads and social workers)."""
        return self.filter(_people_in(*_staff_q(user, project_id)))


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
        return (
            self.filter(signed_on__lte=day)
            .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
            .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        )
