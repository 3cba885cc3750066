"""The call's rules on the partnership, stored with the programme as data
(``Programme.partnership_rules``), and their check on a project's partnership.

The rules are a small JSON object; each key is optional and a programme without rules
(an empty object) gives no warnings:

- ``min_members``: how many members the partnership has at least;
- ``lead_kinds``: the kinds of organisation (``partners.Organisation.Kind`` values) the
  lead (capofila) may be;
- ``min_accredited``: how many members are accredited for labour or training services
  at least (the accreditation flags of the organisation);
- ``member_roles``: which partnership roles count as members (default: lead and
  partners; network members are supporters, not members of the agreement).

The Lombardy call of 2017 (DGR X/6912/2017) asks for
``{"min_members": 3, "lead_kinds": ["comune", "ente_erp"], "min_accredited": 1}``.
The rules do not stop anything from being saved: they are warnings for the lead and
the Region, on the project page and in the progress report.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from partners.models import Organisation

DEFAULT_MEMBER_ROLES = ("capofila", "partner")
LEAD_ROLE = "capofila"
KNOWN_KEYS = {"min_members", "lead_kinds", "min_accredited", "member_roles"}
ROLES = {"capofila", "partner", "rete"}


@dataclass(frozen=True)
class Member:
    """What the rules read of one row of the partnership."""

    name: str
    role: str
    kind: str
    accredited: bool


def rules_errors(rules) -> list[str]:
    """What is wrong with a programme's rules as stored (empty list: they are valid)."""
    if rules in (None, {}):
        return []
    if not isinstance(rules, dict):
        return [_("Le regole del partenariato devono essere un oggetto JSON.")]
    errors = []
    unknown = sorted(set(rules) - KNOWN_KEYS)
    if unknown:
        errors.append(_("Regole sconosciute: %(keys)s.") % {"keys": ", ".join(unknown)})
    for key in ("min_members", "min_accredited"):
        value = rules.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or value < 0
        ):
            errors.append(_("%(key)s deve essere un numero intero non negativo.") % {"key": key})
    kinds = rules.get("lead_kinds")
    if kinds is not None and (
        not isinstance(kinds, list) or not set(kinds) <= set(Organisation.Kind.values)
    ):
        errors.append(_("lead_kinds deve essere un elenco di tipi di ente."))
    roles = rules.get("member_roles")
    if roles is not None and (not isinstance(roles, list) or not set(roles) <= ROLES):
        errors.append(_("member_roles deve essere un elenco di ruoli nel partenariato."))
    return errors


def check_partnership(rules, members: list[Member]) -> list[str]:
    """The warnings for a partnership against the call's rules, in the reader's
    language. Rules that are malformed give no warning (the admin refuses them)."""
    if not rules or rules_errors(rules):
        return []
    warnings: list[str] = []
    counted = [m for m in members if m.role in rules.get("member_roles", DEFAULT_MEMBER_ROLES)]
    minimum = rules.get("min_members")
    if minimum and len(counted) < minimum:
        warnings.append(
            _("Il partenariato ha %(count)d membri: il bando ne chiede almeno %(min)d.")
            % {"count": len(counted), "min": minimum}
        )
    kinds = rules.get("lead_kinds")
    if kinds:
        lead = next((m for m in members if m.role == LEAD_ROLE), None)
        allowed = _(" o ").join(str(Organisation.Kind(k).label) for k in kinds)
        if lead is None:
            warnings.append(
                _("Il partenariato non ha un capofila: il bando chiede %(kinds)s.")
                % {"kinds": allowed}
            )
        elif lead.kind not in kinds:
            warnings.append(
                _("Il capofila %(name)s è di tipo «%(kind)s»: il bando chiede %(kinds)s.")
                % {
                    "name": lead.name,
                    "kind": Organisation.Kind(lead.kind).label,
                    "kinds": allowed,
                }
            )
    minimum = rules.get("min_accredited")
    if minimum:
        accredited = sum(1 for m in counted if m.accredited)
        if accredited < minimum:
            warnings.append(
                _(
                    "Membri accreditati per i servizi al lavoro e alla formazione: "
                    "%(count)d; il bando ne chiede almeno %(min)d."
                )
                % {"count": accredited, "min": minimum}
            )
    return warnings


def members_of(partnerships) -> list[Member]:
    """The partnership rows (a queryset the caller scoped) as rule inputs, in one query."""
    rows = partnerships.values_list(
        "organisation__name",
        "role",
        "organisation__kind",
        "organisation__accredited_labour",
        "organisation__accredited_training",
    )
    return [
        Member(name=name, role=role, kind=kind, accredited=bool(labour or training))
        for name, role, kind, labour, training in rows
    ]


def frozen_check(project, partnerships) -> dict:
    """The inputs of the check as plain data, for a report's frozen snapshot: the
    warnings are worded when the report is shown, in the reader's language."""
    return {
        "rules": project.programme.partnership_rules or {},
        "members": [
            {"name": m.name, "role": m.role, "kind": m.kind, "accredited": m.accredited}
            for m in members_of(partnerships)
        ],
    }


def warnings_from_frozen(check: dict | None) -> list[str]:
    """The warnings of a check stored by ``frozen_check`` (none for older snapshots)."""
    if not check:
        return []
    return check_partnership(check.get("rules"), [Member(**m) for m in check.get("members", [])])


def project_partnership_warnings(project, partnerships) -> list[str]:
    """The warnings of a project (its programme loaded) for its partnership rows."""
    rules = project.programme.partnership_rules
    if not rules:
        return []
    return check_partnership(rules, members_of(partnerships))
