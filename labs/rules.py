"""Object permissions for labs' models, as `rules` predicates over labs.access.

Views ask ``user.has_perm("<app>.<action>_<model>", obj)``; the answer comes from the
user's grant in the object's project. Nothing here looks at a role name: roles are bundles
of capabilities in labs.access.
"""

import rules

from . import access


def _project_id(obj) -> int | None:
    for attr in ("project_id", "activity__project_id"):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    if hasattr(obj, "activity"):
        return obj.activity.project_id
    if hasattr(obj, "session"):
        return obj.session.activity.project_id
    if hasattr(obj, "household"):
        return obj.household.project_id
    return None


def capability(cap: str):
    @rules.predicate(name=f"has {cap}")
    def predicate(user, obj=None) -> bool:
        if obj is None:
            return bool(access.project_ids_for(user, cap))
        project_id = _project_id(obj)
        return project_id is not None and access.can(user, cap, project_id)

    return predicate


@rules.predicate
def runs_the_activity(user, obj=None) -> bool:
    """A partner operator changes only what their own organisation runs."""
    if obj is None:
        return True
    activity = obj if hasattr(obj, "organisation_id") else obj.activity
    grant = access.grant_for(user, activity.project_id)
    if grant is None:
        return False
    return not grant.organisation_scoped or grant.organisation_id == activity.organisation_id


rules.add_perm("labs.change_project", capability("project.change"))
rules.add_perm("labs.change_activity", capability("activities.change_all"))
rules.add_perm("labs.change_session", capability("sessions.change") & runs_the_activity)
# The project lead validates every register; a partner coordinator their organisation's.
rules.add_perm("labs.validate_session", capability("registers.validate") & runs_the_activity)
rules.add_perm("labs.change_reportingperiod", capability("periods.close"))
rules.add_perm("labs.change_residentreport", capability("resident_reports.change"))
