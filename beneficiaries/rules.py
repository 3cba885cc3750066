"""Object permissions for people's data, as `rules` predicates over labs.access."""

import rules

from beneficiaries.models import Person
from labs import access
from labs.rules import capability, runs_the_activity


@rules.predicate
def may_change_person(user, person=None) -> bool:
    if person is None:
        return bool(access.project_ids_for(user, "people.change"))
    projects = access.project_ids_for(user, "people.change")
    return any(
        Person.objects.with_sensitive_access(user, pid).filter(pk=person.pk).exists()
        for pid in projects
    )


rules.add_perm("beneficiaries.change_person", may_change_person)
rules.add_perm("beneficiaries.change_household", capability("people.change"))
rules.add_perm("beneficiaries.change_path", capability("people.change"))
rules.add_perm("beneficiaries.add_casenote", capability("casenotes.change"))
rules.add_perm("beneficiaries.change_attendance", capability("sessions.change") & runs_the_activity)
