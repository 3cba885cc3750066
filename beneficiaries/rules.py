"""Object permissions for people's data, as `rules` predicates over labs.access."""

import rules

from beneficiaries.models import Person
from labs import access
from labs.rules import capability, runs_the_activity


@rules.predicate
def may_change_person(user, person=None) -> bool:
    if person is None:
        return bool(access.project_ids_for(user, "people.change"))
    # One query whatever the number of projects: the person is among those whose
    # sensitive data the user reads in a project where they may change people.
    projects = tuple(access.project_ids_for(user, "people.change"))
    return Person.objects.with_sensitive_access(user, projects).filter(pk=person.pk).exists()


rules.add_perm("beneficiaries.change_person", may_change_person)
rules.add_perm("beneficiaries.change_household", capability("people.change"))
rules.add_perm("beneficiaries.change_path", capability("people.change"))
rules.add_perm("beneficiaries.add_casenote", capability("casenotes.change"))
rules.add_perm("beneficiaries.change_attendance", capability("sessions.change") & runs_the_activity)
