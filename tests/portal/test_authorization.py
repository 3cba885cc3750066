"""Every URL of the portal, for every role, against a declared matrix.

The URL list comes from the resolver: a new URL without a rule here fails
``test_every_url_has_a_rule``. Expected answers: 200 (allowed), 404 (outside the user's
scope: never 403, never the object), "login" (anonymous: redirect to the login page),
405 (method not allowed on GET).
"""

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from labs.models import Building, Neighbourhood
from tests import budget_builders as money
from tests import conftest
from tests import governance_builders as gov
from tests import placement_builders as placements
from tests import repayment_builders as repay

USERS = ["anonymous", "olga", "alice", "sofia", "paolo", "rita", "bruno", "admin"]
SIGNED_IN = [u for u in USERS if u != "anonymous"]


def allowed(*names, anonymous="login", others=404):
    """200 for the named users, `others` for the rest of the signed-in, `anonymous` for
    visitors."""
    rule = {u: (200 if u in names else others) for u in SIGNED_IN}
    rule["anonymous"] = anonymous
    return rule


def valle_building(w):
    """The building where Maria's household lives, in a neighbourhood of Valle."""
    w.unit.building.neighbourhood.projects.add(w.a)
    return {"project": "valle", "pk": w.unit.building.pk}


def borgo_building(w):
    """A building in a neighbourhood of Borgo only."""
    neighbourhood, _ = Neighbourhood.objects.get_or_create(
        municipality=w.unit.building.neighbourhood.municipality, name="Borgo centro"
    )
    neighbourhood.projects.add(w.b)
    building, _ = Building.objects.get_or_create(
        neighbourhood=neighbourhood,
        address="Via del Borgo 1",
        defaults={"name": "Case del Borgo", "owner": w.borgo},
    )
    return {"project": "valle", "pk": building.pk}


def _report(project, building, **extra):
    from labs.models import ResidentReport

    report, _ = ResidentReport.objects.get_or_create(
        project=project,
        building=building,
        defaults={
            "category": "maintenance",
            "description": "Perdita d'acqua in cantina",
            "opened_on": project.start_date,
            **extra,
        },
    )
    return report


def valle_report(w):
    """A residents' report on the building where Maria lives."""
    valle_building(w)
    return {"project": "valle", "pk": _report(w.a, w.unit.building).pk}


def borgo_report(w):
    """A report of Borgo, reached through Valle's URL."""
    building = Building.objects.get(pk=borgo_building(w)["pk"])
    return {"project": "valle", "pk": _report(w.b, building).pk}


def valle_period(w):
    return {"project": "valle", "pk": w.a.periods.get().pk}


def borgo_period(w):
    from labs.models import ReportingPeriod

    period, _ = ReportingPeriod.objects.get_or_create(
        project=w.b, start_date=w.b.start_date, defaults={"name": "I", "end_date": w.b.end_date}
    )
    return {"project": "valle", "pk": period.pk}


def borgo_path(w):
    """Carla's path in Borgo, reached through Valle's URL."""
    from beneficiaries.models import Path
    from tests import factories as f

    path = Path.objects.filter(project=w.b, person=w.carla).first()
    path = path or f.PathFactory(project=w.b, person=w.carla)
    return {"project": "valle", "pk": path.pk}


def other_programme(w):
    """A call none of the world's projects belongs to."""
    from tests import factories as f

    return {"code": f.ProgrammeFactory(code="altro-bando", name="Altro bando").code}


def borgo_link(w):
    """Two of Borgo's people linked as the same person, reached through Valle's URL."""
    from beneficiaries.models import PersonLink
    from tests import factories as f

    twin = f.PersonFactory(first_name="Carla", last_name="Verdi")
    w.b_household.members.create(person=twin, relation="other", start_date=w.b.start_date)
    link = PersonLink.objects.create(person=w.carla, same_as=twin, linked_by=w.bruno)
    return {"project": "valle", "pk": link.pk}


def borgo_member(w):
    """Carla's membership of her Borgo household."""
    member = w.b_household.members.get(person=w.carla)
    return {"project": "valle", "pk": w.b_household.pk, "member_pk": member.pk}


def borgo_member_under_valle_household(w):
    """A Valle household's URL with the id of a Borgo household's member."""
    member = w.b_household.members.get(person=w.carla)
    return {"project": "valle", "pk": w.household.pk, "member_pk": member.pk}


def valle_session(w):
    return {"project": "valle", "pk": w.session.pk}


STAFF_AND_PARTNER = allowed("alice", "sofia", "paolo")

SPID_RP = "http://testserver/oidc/rp"
_SPID_KEYS = []


def spid_relying_party(w):
    """Quartieri configured as SPID/CIE relying party (config/spid.py): its entity
    configuration and keys are public, for the federation to read."""
    from partners.relying_party import new_private_jwk, relying_party_configure

    _SPID_KEYS[:] = _SPID_KEYS or [new_private_jwk(u) for u in ("sig", "sig", "enc")]
    relying_party_configure(
        entity_id=SPID_RP,
        authority_hints=["https://registry.spid.gov.it"],
        federation_jwk=_SPID_KEYS[0],
        core_signing_jwk=_SPID_KEYS[1],
        core_encryption_jwk=_SPID_KEYS[2],
    )
    return {}


def _conflict(session, user):
    from beneficiaries.models import OfflineConflict

    conflict, _ = OfflineConflict.objects.get_or_create(
        session=session,
        submitted_by=user,
        defaults={
            "device_version": 1,
            "server_version": 2,
            "device_register": {"head_count": 0, "people": {}},
            "server_register": {"head_count": 0, "people": {}},
        },
    )
    return conflict


def valle_conflict(w):
    """A register paolo's tablet sent over a newer version of Cucito's session."""
    return {"project": "valle", "pk": _conflict(w.session, w.paolo).pk}


def borgo_conflict(w):
    """A conflict of Borgo's session, reached through Valle's URL."""
    return {"project": "valle", "pk": _conflict(w.b_session, w.bruno).pk}


def desk_conflict(w):
    """A conflict on the Comune's desk session: not an activity of paolo's Aurora."""
    return {"project": "valle", "pk": _conflict(w.desk_session, w.sofia).pk}


PUBLIC = {u: 200 for u in USERS}
SIGNED_IN_ONLY = allowed(*SIGNED_IN)

# url name -> (kwargs builder, expected per user)
MATRIX = {
    "home": (lambda w: {}, SIGNED_IN_ONLY),
    "accessibility": (lambda w: {}, PUBLIC),
    "privacy": (lambda w: {}, PUBLIC),
    "health": (lambda w: {}, PUBLIC),
    "set_language": (lambda w: {}, {u: 302 for u in USERS}),  # GET: back to the page
    "login": (lambda w: {}, PUBLIC),
    "logout": (lambda w: {}, allowed(anonymous="login", others=405)),  # POST only
    # SPID/CIE, public: the login starts only for a configured provider (none here: 404);
    # the callback refuses a state this browser did not start (400); the entity
    # configuration answers at the entity id's .well-known (here /oidc/rp, not the root).
    "spid_cie_rp_begin": (lambda w: {}, {u: 404 for u in USERS}),
    "spid_cie_rp_callback": (lambda w: {}, {u: 400 for u in USERS}),
    "rp_entity_configuration": (spid_relying_party, PUBLIC),
    "entity_configuration": (spid_relying_party, {u: 404 for u in USERS}),
    "rp_jwks": (spid_relying_party, PUBLIC),
    "password_change": (lambda w: {}, SIGNED_IN_ONLY),
    "password_change_done": (lambda w: {}, SIGNED_IN_ONLY),
    "password_reset": (lambda w: {}, PUBLIC),
    "password_reset_done": (lambda w: {}, PUBLIC),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "set-password"}, PUBLIC),
    "password_reset_complete": (lambda w: {}, PUBLIC),
    # Two-factor pages (REQUIRE_TWO_FACTOR is off here; tests/portal/test_two_factor.py
    # has it on): nobody of the world has an app yet, so the code page sends to enrolment.
    "two_factor:verify": (lambda w: {}, allowed(others=302)),
    "two_factor:enrol": (lambda w: {}, SIGNED_IN_ONLY),
    "reporting:dashboard": (
        lambda w: {"project": "valle"},
        allowed("alice", "sofia", "paolo", "rita"),
    ),
    "reporting:audit-log": (lambda w: {"project": "valle"}, allowed("alice")),
    "reporting:report-list": (lambda w: {"project": "valle"}, allowed("alice", "rita")),
    "reporting:report-pdf": (
        lambda w: {"project": "valle", "pk": w.submitted_report.pk},
        allowed("alice", "rita"),
    ),
    "reporting:report-status": (
        lambda w: {"project": "valle", "pk": w.submitted_report.pk},
        allowed("alice", "rita"),
    ),
    "reporting:report-narrative": (
        lambda w: {"project": "valle", "pk": w.draft_report.pk},
        allowed("alice"),
    ),
    "reporting:report-submit": (
        lambda w: {"project": "valle", "pk": w.draft_report.pk},
        allowed("alice"),
    ),
    "reporting:report-period": (
        lambda w: {"project": "valle", "period": w.a.periods.get().pk},
        allowed("alice", "rita"),
    ),
    "reporting:report-generate": (
        lambda w: {"project": "valle", "period": w.a.periods.get().pk},
        {**allowed(), "alice": 405},
    ),
    "reporting:report-export": (
        lambda w: {"project": "valle", "period": w.a.periods.get().pk, "format": "xlsx"},
        allowed("alice"),
    ),
    "reporting:report-participants": (
        lambda w: {"project": "valle", "period": w.a.periods.get().pk},
        allowed("alice"),
    ),
    "labs:activity-list": (lambda w: {"project": "valle"}, allowed("alice", "sofia", "paolo")),
    "labs:session-detail": (
        lambda w: {"project": "valle", "pk": w.session.pk},
        allowed("alice", "sofia", "paolo"),
    ),
    "labs:session-register-pdf": (
        lambda w: {"project": "valle", "pk": w.session.pk},
        allowed("alice", "sofia", "paolo"),
    ),
    "labs:session-evidence": (
        lambda w: {"project": "valle", "pk": w.session.pk, "file_pk": w.evidence.pk},
        allowed("alice", "sofia", "paolo"),
    ),
    "people:person-list": (lambda w: {"project": "valle"}, allowed("alice", "sofia", "paolo")),
    "people:person-export": (
        lambda w: {"project": "valle", "fmt": "csv"},
        allowed("alice", "sofia", "paolo"),
    ),
    "people:person-create": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    "people:person-detail": (
        lambda w: {"project": "valle", "pk": w.maria.pk},
        allowed("alice", "sofia", "paolo"),
    ),
    "people:person-edit": (
        lambda w: {"project": "valle", "pk": w.maria.pk},
        allowed("alice", "sofia"),
    ),
    "people:consent-create": (
        lambda w: {"project": "valle", "pk": w.maria.pk},
        allowed("alice", "sofia"),
    ),
    "households:household-detail": (
        lambda w: {"project": "valle", "pk": w.household.pk},
        allowed("alice", "sofia"),
    ),
    "households:household-edit": (
        lambda w: {"project": "valle", "pk": w.household.pk},
        allowed("alice", "sofia"),
    ),
    "households:household-move": (
        lambda w: {"project": "valle", "pk": w.household.pk},
        allowed("alice", "sofia"),
    ),
    "households:member-add": (
        lambda w: {"project": "valle", "pk": w.household.pk},
        allowed("alice", "sofia"),
    ),
    "households:arrears-create": (
        lambda w: {"project": "valle", "pk": w.household.pk},
        allowed("alice", "sofia"),
    ),
    "households:household-note-create": (
        lambda w: {"project": "valle", "pk": w.household.pk},
        allowed("alice", "sofia"),
    ),
    "households:member-end": (
        lambda w: {
            "project": "valle",
            "pk": w.household.pk,
            "member_pk": w.household.members.first().pk,
        },
        allowed("alice", "sofia"),
    ),
    "paths:path-create": (
        lambda w: {"project": "valle", "pk": w.giulia.pk},
        allowed("alice", "sofia"),
    ),
    "paths:path-exit": (
        lambda w: {"project": "valle", "pk": w.path.pk},
        allowed("alice", "sofia"),
    ),
    "paths:path-followup": (
        lambda w: {"project": "valle", "pk": w.path.pk},
        allowed("alice", "sofia"),
    ),
    "people:duplicate-list": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    # POST-only actions: a GET is 405 for whoever reaches the view, 404 outside scope.
    "people:person-link": (
        lambda w: {"project": "valle"},
        {**allowed(), "alice": 405, "sofia": 405},
    ),
    "people:person-unlink": (
        lambda w: {"project": "valle", "pk": w.link.pk},
        {**allowed(), "alice": 405, "sofia": 405},
    ),
    "people:person-note-create": (
        lambda w: {"project": "valle", "pk": w.maria.pk},
        allowed("alice", "sofia"),
    ),
    "households:household-list": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    "households:household-create": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    "territory:territory": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    "imports:import-start": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    "imports:import-template": (
        lambda w: {"project": "valle", "kind": "persone"},
        allowed("alice", "sofia"),
    ),
    # Without an uploaded file the preview sends back to the upload page.
    "imports:import-preview": (
        lambda w: {"project": "valle", "kind": "persone"},
        {**allowed("alice", "sofia"), "alice": 302, "sofia": 302},
    ),
    "territory:building-detail": (valle_building, allowed("alice", "sofia")),
    # The printable records: staff only, never a partner operator (who may see Maria).
    "people:person-record-pdf": (
        lambda w: {"project": "valle", "pk": w.maria.pk},
        allowed("alice", "sofia"),
    ),
    "households:household-record-pdf": (
        lambda w: {"project": "valle", "pk": w.household.pk},
        allowed("alice", "sofia"),
    ),
    # Activities, sessions, registers, residents' reports, periods (issue 5).
    "labs:activity-create": (lambda w: {"project": "valle"}, allowed("alice")),
    "labs:activity-edit": (lambda w: {"project": "valle", "pk": w.sewing.pk}, allowed("alice")),
    "labs:session-list": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "labs:session-calendar": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "labs:session-create": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "labs:session-series": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "labs:session-edit": (valle_session, STAFF_AND_PARTNER),
    "labs:session-cancel": (valle_session, STAFF_AND_PARTNER),
    "labs:session-evidence-add": (valle_session, STAFF_AND_PARTNER),
    "registers:register-edit": (valle_session, STAFF_AND_PARTNER),
    # POST only: the lead validates (a partner coordinator too, not a plain operator).
    "registers:register-validate": (valle_session, {**allowed(), "alice": 405}),
    # The offline register (issue 18): the app and its copy for whoever fills registers
    # somewhere; the worker and the manifest are public (no personal data); the register
    # sent by a tablet is a POST of JSON.
    "offline:app": (lambda w: {}, allowed("alice", "sofia", "paolo", "bruno")),
    "offline:data": (lambda w: {}, allowed("alice", "sofia", "paolo", "bruno")),
    "offline:service-worker": (lambda w: {}, PUBLIC),
    "offline:manifest": (lambda w: {}, PUBLIC),
    "registers:offline-submit": (
        valle_session,
        {**allowed(), "alice": 405, "sofia": 405, "paolo": 405},
    ),
    "registers:offline-conflict": (valle_conflict, STAFF_AND_PARTNER),
    "labs:resident-report-list": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "labs:resident-report-create": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "labs:resident-report-detail": (valle_report, STAFF_AND_PARTNER),
    "labs:resident-report-edit": (valle_report, STAFF_AND_PARTNER),
    "labs:period-list": (lambda w: {"project": "valle"}, allowed("alice")),
    "labs:period-create": (lambda w: {"project": "valle"}, allowed("alice")),
    "labs:period-close": (valle_period, {**allowed(), "alice": 405}),
    "labs:period-reopen": (valle_period, allowed("alice")),
    # Money (issue 8): partners see their own rows, the lead all, the Region totals.
    "budget:budget": (lambda w: {"project": "valle"}, allowed("alice", "paolo", "rita")),
    "budget:budget-export": (lambda w: {"project": "valle"}, allowed("alice", "paolo", "rita")),
    # Budget lines: the lead only (issue 21); a partner reads their own.
    "budget:budget-line-create": (lambda w: {"project": "valle"}, allowed("alice")),
    "budget:budget-line-edit": (lambda w: money.valle(w, money.line), allowed("alice")),
    "budget:expense-list": (lambda w: {"project": "valle"}, allowed("alice", "paolo")),
    "budget:expense-create": (lambda w: {"project": "valle"}, allowed("alice", "paolo")),
    "budget:expense-edit": (lambda w: money.valle(w, money.expense), allowed("alice", "paolo")),
    "budget:expense-submit": (
        lambda w: money.valle(w, money.expense),
        {**allowed(), "alice": 405, "paolo": 405},
    ),
    "budget:expense-review": (lambda w: money.valle(w, money.expense), allowed("alice")),
    "budget:expense-document": (
        lambda w: money.valle(w, money.expense),
        allowed("alice", "paolo"),
    ),
    "budget:staff-list": (lambda w: {"project": "valle"}, allowed("alice", "paolo")),
    # Staff records hold the pay: the lead, and a partner coordinator for their own
    # organisation (test_staff_pay_is_given_only_to_the_lead_and_the_own_coordinator);
    # a plain partner operator fills the time sheets only.
    "budget:staff-create": (lambda w: {"project": "valle"}, allowed("alice")),
    "budget:staff-edit": (lambda w: money.valle(w, money.staff), allowed("alice")),
    "budget:timesheet": (money.timesheet, allowed("alice", "paolo")),
    "budget:timesheet-pdf": (money.timesheet, allowed("alice", "paolo")),
    "allowances:allowance-list": (lambda w: {"project": "valle"}, allowed("alice")),
    "allowances:allowance-payment": (money.eligible_path, allowed("alice")),
    # Six-month follow-ups: names and outcomes, lead and social worker only.
    "followups:followup-list": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    "followups:contact-create": (
        lambda w: {"project": "valle", "pk": w.path.pk},
        allowed("alice", "sofia"),
    ),
    # The Region's programme view: regional officers and project leads, aggregates only.
    "programmes:programme-list": (lambda w: {}, allowed("alice", "bruno", "rita")),
    **{
        name: (lambda w: {"code": w.a.programme.code}, allowed("alice", "bruno", "rita"))
        for name in ("programmes:programme", "programmes:programme-xlsx")
    },
    # Repayment plans (issue 15): staff; the partner whose desk follows the plan.
    "repayments:plan-list": (lambda w: {"project": "valle"}, allowed("alice", "sofia", "paolo")),
    "repayments:plan-detail": (repay.valle_plan, allowed("alice", "sofia", "paolo")),
    "repayments:payment-create": (repay.valle_plan, allowed("alice", "sofia", "paolo")),
    "repayments:plan-create": (
        lambda w: {"project": "valle", "pk": w.household.pk},
        allowed("alice", "sofia"),
    ),
    # Governance (issue 15): staff and partners; the Region sees no names of people.
    "governance:body-list": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "governance:body-create": (lambda w: {"project": "valle"}, allowed("alice")),
    "governance:body-detail": (gov.valle_body, STAFF_AND_PARTNER),
    "governance:member-add": (gov.valle_body, allowed("alice")),
    "governance:meeting-create": (gov.valle_body, allowed("alice")),
    "governance:meeting-detail": (gov.valle_meeting, STAFF_AND_PARTNER),
    "governance:meeting-edit": (gov.valle_meeting, allowed("alice")),
    "governance:meeting-minutes": (gov.valle_meeting, STAFF_AND_PARTNER),
    # Case reviews: only who sees the path's sensitive data (never paolo or rita).
    "reviews:path-reviews": (gov.valle_path, allowed("alice", "sofia")),
    "reviews:review-create": (gov.valle_path, allowed("alice", "sofia")),
    "reviews:review-due": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    # Host companies and placements (issue 15): the Region sees none of them.
    "companies:company-list": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "companies:company-create": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "companies:company-edit": (placements.valle_company, STAFF_AND_PARTNER),
    "placements:placement-list": (lambda w: {"project": "valle"}, STAFF_AND_PARTNER),
    "placements:placement-create": (lambda w: {"project": "valle"}, allowed("alice", "sofia")),
    "placements:placement-detail": (placements.valle_placement, STAFF_AND_PARTNER),
    "placements:placement-edit": (placements.valle_placement, allowed("alice", "sofia")),
    "placements:placement-outcome": (placements.valle_placement, allowed("alice", "sofia")),
    "placements:placement-hours": (placements.valle_placement, STAFF_AND_PARTNER),
    "placements:placement-payment": (placements.valle_placement, allowed("alice")),
}

# The same URLs pointed at objects each user must not reach although they are in the
# project named by the URL: another project's object, or another organisation's.
FOREIGN = {
    "imports:import-start": [(lambda w: {"project": "borgo"}, ["alice", "sofia", "paolo"])],
    "labs:session-detail": [
        (lambda w: {"project": "valle", "pk": w.b_session.pk}, SIGNED_IN),
        (lambda w: {"project": "valle", "pk": w.desk_session.pk}, ["paolo"]),
    ],
    "people:person-detail": [
        (lambda w: {"project": "valle", "pk": w.carla.pk}, SIGNED_IN),
        (lambda w: {"project": "valle", "pk": w.giulia.pk}, ["paolo"]),
    ],
    "households:household-detail": [
        (lambda w: {"project": "valle", "pk": w.b_household.pk}, SIGNED_IN)
    ],
    "households:household-edit": [
        (lambda w: {"project": "valle", "pk": w.b_household.pk}, SIGNED_IN)
    ],
    "households:member-add": [(lambda w: {"project": "valle", "pk": w.b_household.pk}, SIGNED_IN)],
    "households:arrears-create": [
        (lambda w: {"project": "valle", "pk": w.b_household.pk}, SIGNED_IN)
    ],
    "people:person-edit": [(lambda w: {"project": "valle", "pk": w.carla.pk}, SIGNED_IN)],
    "reporting:report-pdf": [(lambda w: {"project": "valle", "pk": w.draft_report.pk}, ["rita"])],
    "reporting:report-status": [
        (lambda w: {"project": "valle", "pk": w.draft_report.pk}, ["rita"])
    ],
    "reporting:report-narrative": [
        (lambda w: {"project": "valle", "pk": w.submitted_report.pk}, SIGNED_IN)
    ],
    "reporting:report-submit": [
        (lambda w: {"project": "valle", "pk": w.submitted_report.pk}, SIGNED_IN)
    ],
    "reporting:report-period": [
        (lambda w: {"project": "valle", "period": borgo_period(w)["pk"]}, SIGNED_IN)
    ],
    "reporting:report-generate": [
        (lambda w: {"project": "valle", "period": borgo_period(w)["pk"]}, SIGNED_IN)
    ],
    "reporting:report-export": [
        (
            lambda w: {"project": "valle", "period": borgo_period(w)["pk"], "format": "csv"},
            SIGNED_IN,
        )
    ],
    "reporting:report-participants": [
        (lambda w: {"project": "valle", "period": borgo_period(w)["pk"]}, SIGNED_IN)
    ],
    "reporting:dashboard": [(lambda w: {"project": "does-not-exist"}, SIGNED_IN)],
    "territory:building-detail": [
        (borgo_building, SIGNED_IN),
        # A building in no neighbourhood of Valle, reached by id.
        (lambda w: {"project": "valle", "pk": w.unit.building.pk}, SIGNED_IN),
    ],
    "people:person-record-pdf": [
        (lambda w: {"project": "valle", "pk": w.carla.pk}, SIGNED_IN),
        (lambda w: {"project": "valle", "pk": w.maria.pk}, ["paolo", "rita", "bruno"]),
    ],
    "households:household-record-pdf": [
        (lambda w: {"project": "valle", "pk": w.b_household.pk}, SIGNED_IN)
    ],
    "labs:activity-edit": [
        (lambda w: {"project": "valle", "pk": w.b_session.activity_id}, SIGNED_IN)
    ],
    **{
        name: [
            (lambda w: {"project": "valle", "pk": w.b_session.pk}, SIGNED_IN),
            (lambda w: {"project": "valle", "pk": w.desk_session.pk}, ["paolo"]),
        ]
        for name in (
            "labs:session-edit",
            "labs:session-cancel",
            "labs:session-evidence-add",
            "labs:session-register-pdf",
            "registers:register-edit",
            "registers:offline-submit",
        )
    },
    "registers:offline-conflict": [(borgo_conflict, SIGNED_IN), (desk_conflict, ["paolo"])],
    "labs:session-evidence": [
        (lambda w: {"project": "valle", "pk": w.b_session.pk, "file_pk": w.evidence.pk}, SIGNED_IN),
    ],
    "labs:resident-report-detail": [(borgo_report, SIGNED_IN)],
    "labs:resident-report-edit": [(borgo_report, SIGNED_IN)],
    "labs:period-reopen": [(borgo_period, SIGNED_IN)],
    # Money: another organisation's row (for the partner), another project's (for all).
    **{
        name: [
            (money.valle_own_org(builder), ["paolo"]),
            (money.borgo_object(builder), SIGNED_IN),
        ]
        for name, builder in [
            ("budget:budget-line-edit", money.line),
            ("budget:expense-edit", money.expense),
            ("budget:expense-document", money.expense),
            ("budget:expense-review", money.expense),
            ("budget:staff-edit", money.staff),
        ]
    },
    **{
        name: [
            (lambda w: money.timesheet(w, organisation=w.valle), ["paolo"]),
            (
                lambda w: money.timesheet(
                    w, project=w.b, organisation=money.borgo_partner(w), last_name="Borghi"
                ),
                SIGNED_IN,
            ),
        ]
        for name in ("budget:timesheet", "budget:timesheet-pdf")
    },
    "allowances:allowance-payment": [
        (lambda w: {"project": "valle", "pk": w.path.pk}, ["alice"]),  # not entitled
    ],
    # Pages about a person, a household or a path of another project.
    **{
        name: [(lambda w: {"project": "valle", "pk": w.carla.pk}, SIGNED_IN)]
        for name in ("people:consent-create", "people:person-note-create", "paths:path-create")
    },
    **{
        name: [(lambda w: {"project": "valle", "pk": w.b_household.pk}, SIGNED_IN)]
        for name in ("households:household-move", "households:household-note-create")
    },
    "households:member-end": [
        (borgo_member, SIGNED_IN),
        (borgo_member_under_valle_household, ["alice", "sofia"]),
    ],
    "paths:path-exit": [(borgo_path, SIGNED_IN)],
    "paths:path-followup": [(borgo_path, SIGNED_IN)],
    "followups:contact-create": [(borgo_path, SIGNED_IN)],
    # A call with no project of the user's.
    **{
        name: [(other_programme, SIGNED_IN)]
        for name in ("programmes:programme", "programmes:programme-xlsx")
    },
    "people:person-unlink": [(borgo_link, SIGNED_IN)],
    # POST-only buttons: 404, not 405, for an object outside the scope.
    "registers:register-validate": [
        (lambda w: {"project": "valle", "pk": w.b_session.pk}, SIGNED_IN),
        (lambda w: {"project": "valle", "pk": w.desk_session.pk}, ["paolo"]),
    ],
    "labs:period-close": [(borgo_period, SIGNED_IN)],
    **{
        name: [(repay.borgo_plan, SIGNED_IN), (repay.valle_plan_of_other_desk, ["paolo"])]
        for name in ("repayments:plan-detail", "repayments:payment-create")
    },
    "repayments:plan-create": [(lambda w: {"project": "valle", "pk": w.b_household.pk}, SIGNED_IN)],
    **{
        name: [(gov.borgo_body, SIGNED_IN)]
        for name in ("governance:body-detail", "governance:member-add", "governance:meeting-create")
    },
    **{
        name: [(gov.borgo_meeting, SIGNED_IN)]
        for name in (
            "governance:meeting-detail",
            "governance:meeting-edit",
            "governance:meeting-minutes",
        )
    },
    "reviews:path-reviews": [(gov.foreign_path, SIGNED_IN)],
    "reviews:review-create": [(gov.foreign_path, SIGNED_IN)],
    "budget:expense-submit": [
        (money.valle_own_org(money.expense), ["paolo"]),
        (money.borgo_object(money.expense), SIGNED_IN),
    ],
    "companies:company-edit": [(placements.borgo_company, SIGNED_IN)],
    **{
        name: [
            (placements.borgo_placement, SIGNED_IN),
            (placements.valle_own_placement, ["paolo"]),  # another organisation's
        ]
        for name in (
            "placements:placement-detail",
            "placements:placement-edit",
            "placements:placement-outcome",
            "placements:placement-hours",
            "placements:placement-payment",
        )
    },
}


def object_url_names(resolver=None, namespace=""):
    """Every portal URL that names an object (a path argument besides the project)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from object_url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            arguments = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
            if arguments - {"project", "fmt", "format", "kind", "uidb64", "token"}:
                yield f"{namespace}{pattern.name}"


def test_every_object_url_has_a_foreign_object_case():
    missing = sorted(set(object_url_names()) - set(FOREIGN))
    assert not missing, f"Object URLs without an other-project case in FOREIGN: {missing}"


def portal_url_names(resolver=None, namespace=""):
    """Every named URL pattern outside the Django admin, from the resolver itself."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from portal_url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_has_a_rule():
    missing = sorted(set(portal_url_names()) - set(MATRIX))
    assert not missing, f"URLs without an access rule in MATRIX: {missing}"


def _check(client, world, name, kwargs, user, expected):
    client.logout()
    if user != "anonymous":
        client.force_login(getattr(world, user))
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    if expected == "login":
        assert response.status_code == 302, (name, user, response.status_code)
        assert response["Location"].startswith("/accounts/login/"), (name, user)
    else:
        assert response.status_code == expected, (name, user, url, response.status_code)
    if response.get("Content-Type", "").startswith("text/html"):
        # Every HTML answer, error pages included, carries the strict policy.
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, (name, user)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The named world with its files and reports, written once for the module's ~200
    URL cases and rolled back when the module ends; each test runs in a savepoint, so
    what one URL's builder or request writes is gone before the next."""
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), django_db_blocker.unblock():
        with transaction.atomic():
            yield conftest.add_files_and_reports(conftest.build_world())
            transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_url_answers_as_declared_for_every_user(client, module_world, name):
    build, expected = MATRIX[name]
    for user in USERS:
        _check(client, module_world, name, build(module_world), user, expected[user])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_foreign_objects_answer_404(client, module_world, name):
    for build, users in FOREIGN[name]:
        for user in users:
            kwargs = build(module_world)
            _check(client, module_world, name, kwargs, user, 404)
            # A POST to it is refused the same way, before any method or form check.
            response = client.post(reverse(name, kwargs=kwargs))
            assert response.status_code == 404, (name, user, "POST", response.status_code)
