"""Row rules of reports and of the audit trail, registered with ``labs.access.scoped``."""

from django.db.models import Q

from beneficiaries.models import Person
from labs import access
from reporting.audit import TRACKED
from reporting.models import FiguresChange, ProgressReport, ProjectFigures


@access.row_rule("reporting.progressreport")
def progress_reports(user, project_id=None):
    """Every version for the project's staff; only submitted ones for the Region."""
    full = access.projects_with(user, "reports.view", project_id)
    submitted = access.projects_with(user, "reports.view_submitted", project_id)
    return ProgressReport.objects.filter(
        Q(project_id__in=full) | Q(project_id__in=submitted, status=ProgressReport.Status.SUBMITTED)
    )


@access.row_rule("reporting.projectfigures")
def project_figures(user, project_id=None):
    """A project's running totals, for whoever sees it in the programme view: aggregates,
    no personal data."""
    ids = access.projects_with(user, "programme.view", project_id)
    return ProjectFigures.objects.filter(project_id__in=ids)


@access.row_rule("reporting.figureschange")
def figures_changes(user, project_id=None):
    """The log of changes is the database's own bookkeeping: no page shows it."""
    return FiguresChange.objects.none()


def _history_rule(model, lookup):
    """History rows of a tracked model, for those who read the project's audit trail."""

    def rule(user, project_id=None):
        history = model.history.all()
        ids = access.projects_with(user, "audit.view", project_id)
        if lookup is not None:
            return history.filter(**{f"{lookup}__in": ids})
        person_ids = Person.objects.filter(
            Q(registrations__project_id__in=ids)
            | Q(household_memberships__household__project_id__in=ids)
            | Q(paths__project_id__in=ids)
        ).values("pk")
        if model is Person:
            return history.filter(id__in=person_ids)
        return history.filter(person_id__in=person_ids)

    return rule


for _model, _lookup in TRACKED:
    access.row_rule(_model.history.model._meta.label)(_history_rule(_model, _lookup))
