"""What a user may see and do. The one place that answers it.

A user's power comes from two sources:
- a ProjectRole (lead, social worker, partner operator) in a project, held on behalf of
  one organisation;
- a Membership of the Region's organisation, which makes a regional officer: aggregates
  and submitted reports of every project, never a person's data.
Superusers are the portal's operators and use the admin.

Every read of a row goes through one function, ``scoped(model, user, project)``: views
(through ``ProjectScopedMixin``), form choices, filters, exports, file downloads and
selectors. It answers from the row rule registered for the model; each app registers the
rules of its own models in its ``scopes.py`` (labs never imports beneficiaries), and a
model without a rule cannot be read at all (``ImproperlyConfigured``). Outside the scope
the answer is 404 (``get_scoped_or_404``), so a user of project A never learns that a
record of B exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

LEAD = "lead"
SOCIAL_WORKER = "social_worker"
PARTNER_OPERATOR = "partner_operator"
# A partner operator who also validates their own organisation's registers.
PARTNER_COORDINATOR = "partner_coordinator"
REGIONAL_OFFICER = "regional_officer"

ROLE_LABELS = {
    LEAD: _("Responsabile di progetto"),
    SOCIAL_WORKER: _("Assistente sociale / operatore comunale"),
    PARTNER_OPERATOR: _("Operatore di ente partner"),
    PARTNER_COORDINATOR: _("Coordinatore di ente partner"),
    REGIONAL_OFFICER: _("Funzionario regionale"),
}

# Roles whose grant reaches only what their own organisation runs in the project.
ORGANISATION_SCOPED = {PARTNER_OPERATOR, PARTNER_COORDINATOR}

# Capabilities are strings a view declares; roles are bundles of them.
CAPABILITIES: dict[str, set[str]] = {
    LEAD: {
        "project.view",
        "project.change",
        "territory.view",
        "territory.change",
        "people.view",
        "people.view_sensitive",
        "people.change",
        "casenotes.view",
        "casenotes.change",
        "activities.view",
        "activities.change_all",
        "sessions.change",
        "registers.validate",
        "resident_reports.change",
        "reports.view",
        "reports.generate",
        "periods.close",
        "audit.view",
        "budget.view",
        "budget.change_all",
        "budget.change_lines",
        "budget.change_staff",
        "budget.view_pay",
        "budget.view_totals",
        "allowances.change",
        "followups.view",
        "followups.change",
        "programme.view",
        "repayments.view",
        "repayments.change",
        "repayments.record_payment",
        "governance.view",
        "governance.change",
        "casereviews.change",
        "companies.view",
        "companies.change",
        "placements.view",
        "placements.change",
        "placements.attendance",
    },
    SOCIAL_WORKER: {
        "project.view",
        "territory.view",
        "territory.change",
        "people.view",
        "people.view_sensitive",
        "people.change",
        "casenotes.view",
        "casenotes.change",
        "activities.view",
        "sessions.change",
        "resident_reports.change",
        "followups.view",
        "followups.change",
        "repayments.view",
        "repayments.change",
        "repayments.record_payment",
        "governance.view",
        "casereviews.change",
        "companies.view",
        "companies.change",
        "placements.view",
        "placements.change",
        "placements.attendance",
    },
    PARTNER_OPERATOR: {
        "project.view",
        "people.view",
        "activities.view",
        "sessions.change",
        "resident_reports.change",
        "budget.view",
        "budget.change_own",
        # Only the repayment plans their organisation's housing desk follows.
        "repayments.view",
        "repayments.record_payment",
        "governance.view",
        # The company register holds no personal data; of placements, only those their
        # organisation promotes, without the sensitive fields.
        "companies.view",
        "companies.change",
        "placements.view",
        "placements.attendance",
    },
    REGIONAL_OFFICER: {
        "project.view",
        "reports.view_submitted",
        "budget.view_totals",
        "programme.view",
    },
}
# The coordinator also keeps their organisation's staff records, pay included.
CAPABILITIES[PARTNER_COORDINATOR] = CAPABILITIES[PARTNER_OPERATOR] | {
    "registers.validate",
    "budget.change_staff",
    "budget.view_pay",
}


@dataclass(frozen=True)
class Grant:
    project_id: int
    role: str
    organisation_id: int | None

    def can(self, capability: str) -> bool:
        return capability in CAPABILITIES[self.role]

    @property
    def capabilities(self) -> set[str]:
        return CAPABILITIES[self.role]

    @property
    def organisation_scoped(self) -> bool:
        """The grant reaches only the activities of the user's own organisation."""
        return self.role in ORGANISATION_SCOPED

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])


def _is_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def grants_for(user) -> dict[int, Grant]:
    """The user's grants by project id, computed once per request (cached on the user)."""
    if not _is_user(user):
        return {}
    cached = getattr(user, "_quartieri_grants", None)
    if cached is not None:
        return cached
    from .models import Project, ProjectRole

    grants: dict[int, Grant] = {}
    if is_regional_officer(user):
        for pid in Project.objects.values_list("pk", flat=True):
            grants[pid] = Grant(pid, REGIONAL_OFFICER, None)
    # A project role is more specific than the regional view and wins over it. It counts
    # only while its organisation is in the partnership and the user still works there.
    for pid, role, org_id in (
        ProjectRole.objects.filter(
            user=user,
            project__partnerships__organisation_id=F("organisation_id"),
            user__memberships__organisation_id=F("organisation_id"),
            user__memberships__is_active=True,
        )
        .values_list("project_id", "role", "organisation_id")
        .distinct()
    ):
        grants[pid] = Grant(pid, role, org_id)
    user._quartieri_grants = grants
    return grants


def is_regional_officer(user) -> bool:
    if not _is_user(user):
        return False
    cached = getattr(user, "_quartieri_regional", None)
    if cached is None:
        from partners.models import Organisation

        cached = user.memberships.filter(
            is_active=True, organisation__kind=Organisation.Kind.REGION
        ).exists()
        user._quartieri_regional = cached
    return cached


def grant_for(user, project_id: int) -> Grant | None:
    return grants_for(user).get(project_id)


def can(user, capability: str, project_id: int) -> bool:
    grant = grant_for(user, project_id)
    return grant is not None and grant.can(capability)


def project_ids_for(user, capability: str = "project.view") -> list[int]:
    return [pid for pid, g in grants_for(user).items() if g.can(capability)]


def partner_scopes(user) -> dict[int, int]:
    """Project id -> organisation id, for the projects where the user works for a partner
    (operator or coordinator) and so sees only their organisation's activities."""
    return {pid: g.organisation_id for pid, g in grants_for(user).items() if g.organisation_scoped}


def require(user, capability: str | tuple[str, ...], project_id: int) -> Grant:
    """The user's grant in the project if it includes the capability (any of them, for a
    tuple), else 404."""
    wanted = (capability,) if isinstance(capability, str) else capability
    grant = grant_for(user, project_id)
    if grant is None or not any(grant.can(c) for c in wanted):
        raise Http404
    return grant


def may_see_pay(user, project_id: int, organisation_id: int) -> bool:
    """A staff member's pay (yearly gross cost, hourly rate, cost of their hours): the
    project lead, and the partner coordinator of the staff member's own organisation.
    Never a plain partner operator, another organisation or the Region."""
    grant = grant_for(user, project_id)
    if grant is None or not grant.can("budget.view_pay"):
        return False
    return not grant.organisation_scoped or grant.organisation_id == organisation_id


# ---- Row rules: the one choke point for reads ---------------------------------------
# A rule takes (user, project_id or None) and returns the queryset of rows the user may
# see, in that project only when a project is given.
RowRule = Callable[..., QuerySet]
_ROW_RULES: dict[str, RowRule] = {}


def row_rule(*labels: str):
    """Register the function below as the row rule of the models ``app_label.Model``."""

    def register(rule: RowRule) -> RowRule:
        for label in labels:
            _ROW_RULES[label.lower()] = rule
        return rule

    return register


def has_row_rule(model) -> bool:
    return model._meta.label_lower in _ROW_RULES


def scoped(model, user, project=None) -> QuerySet:
    """The rows of ``model`` that ``user`` may see, in ``project`` when given: a Project,
    its id, or a tuple of ids (the home page's inbox across projects). The only way into
    a model's rows for views, forms, filters, exports and selectors."""
    try:
        rule = _ROW_RULES[model._meta.label_lower]
    except KeyError:
        raise ImproperlyConfigured(f"{model._meta.label} has no row rule in a scopes.py") from None
    if isinstance(project, list | tuple | set | frozenset):
        project = tuple(project)
    return rule(user, getattr(project, "pk", project))


def get_scoped_or_404(model, user, project=None, *, queryset=None, **lookup):
    """One row of ``model`` within the user's scope (narrowed by ``queryset``, a queryset
    built on ``scoped()``, when given); 404 if it is outside it or does not exist."""
    rows = queryset if queryset is not None else scoped(model, user, project)
    try:
        return rows.get(**lookup)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def projects_with(user, capability: str, project_id: int | None = None) -> list[int]:
    """Ids of the projects where the user has the capability (only ``project_id``, when
    given): the building block of most row rules."""
    ids = project_ids_for(user, capability)
    if project_id is None:
        return ids
    wanted = set(project_id) if isinstance(project_id, tuple) else {project_id}
    return [pid for pid in ids if pid in wanted]


def project_list(project_id) -> list[int] | None:
    """A rule's ``project_id`` (None, an id or a tuple of ids) as a list, or None."""
    if project_id is None:
        return None
    return list(project_id) if isinstance(project_id, tuple) else [project_id]


def organisation_in(user, project_id: int) -> int | None:
    """The organisation a partner operator works for in the project; None for staff."""
    grant = grant_for(user, project_id)
    return grant.organisation_id if grant is not None and grant.organisation_scoped else None


def forget(user) -> None:
    """Drop cached grants, after roles change within one request (tests, admin actions)."""
    for attr in ("_quartieri_grants", "_quartieri_regional"):
        if hasattr(user, attr):
            delattr(user, attr)
