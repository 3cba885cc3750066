"""The call's partnership rules, stored with the programme, checked on hand-built
partnerships, and shown as warnings on the project page and in the report."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from labs.governance.partnership_rules import Member, check_partnership, rules_errors
from labs.models import Partnership
from partners.models import Organisation
from reporting.pdf import render_report_html
from reporting.report_data import build_report_data
from tests import factories as f


@pytest.fixture(autouse=True)
def italian():
    with translation.override("it"):
        yield


LOMBARDY = {"min_members": 3, "lead_kinds": ["comune", "ente_erp"], "min_accredited": 1}


def member(role="partner", kind="cooperativa", accredited=False, name="Coop"):
    return Member(name=name, role=role, kind=kind, accredited=accredited)


def good_partnership():
    return [
        member("capofila", "comune", name="Comune di Melzo"),
        member("partner", "operatore_lavoro", accredited=True, name="AFOL"),
        member("partner", "cooperativa", name="Coop Aurora"),
    ]


def test_a_partnership_that_keeps_the_rules_gets_no_warning():
    assert check_partnership(LOMBARDY, good_partnership()) == []


def test_an_aler_may_lead():
    members = good_partnership()
    members[0] = member("capofila", "ente_erp", name="ALER Milano")
    assert check_partnership(LOMBARDY, members) == []


def test_two_members_are_too_few_and_network_members_do_not_count():
    members = good_partnership()[:2] + [member("rete", "associazione", name="Auser")]
    warnings = check_partnership(LOMBARDY, members)
    assert warnings == ["Il partenariato ha 2 membri: il bando ne chiede almeno 3."]


def test_a_cooperative_may_not_lead():
    members = good_partnership()
    members[0] = member("capofila", "cooperativa", name="Coop Capo")
    (warning,) = check_partnership(LOMBARDY, members)
    assert "Coop Capo" in warning and "Cooperativa sociale" in warning
    assert "Comune o Ente gestore ERP (ALER)" in warning


def test_a_partnership_without_a_lead_is_warned():
    members = [m for m in good_partnership() if m.role != "capofila"] + [member()]
    (warning,) = check_partnership(LOMBARDY, members)
    assert warning.startswith("Il partenariato non ha un capofila")


def test_without_an_accredited_member_the_rule_fails():
    members = good_partnership()
    members[1] = member("partner", "operatore_lavoro", accredited=False, name="AFOL")
    assert check_partnership(LOMBARDY, members) == [
        "Membri accreditati per i servizi al lavoro e alla formazione: 0; "
        "il bando ne chiede almeno 1."
    ]


def test_an_accredited_network_member_does_not_satisfy_the_rule():
    members = good_partnership()
    members[1] = member("partner", "operatore_lavoro", name="AFOL")
    members.append(member("rete", "operatore_lavoro", accredited=True, name="Ente rete"))
    assert len(check_partnership(LOMBARDY, members)) == 1


def test_every_rule_failing_gives_three_warnings():
    members = [member("capofila", "associazione", name="Auser")]
    assert len(check_partnership(LOMBARDY, members)) == 3


def test_a_programme_without_rules_shows_none():
    assert check_partnership({}, [member("capofila", "associazione")]) == []
    assert check_partnership(None, []) == []


@pytest.mark.parametrize(
    "rules",
    [
        {"min_members": "3"},
        {"min_members": -1},
        {"min_members": True},
        {"lead_kinds": ["castello"]},
        {"lead_kinds": "comune"},
        {"member_roles": ["sponsor"]},
        {"minimum": 3},
        ["min_members"],
    ],
)
def test_malformed_rules_are_refused_by_the_programme(rules):
    assert rules_errors(rules)
    programme = f.ProgrammeFactory.build(partnership_rules=rules)
    with pytest.raises(ValidationError) as refused:
        programme.clean()
    assert "partnership_rules" in refused.value.message_dict


def test_the_lombardy_rules_are_valid():
    assert rules_errors(LOMBARDY) == []


def _rules_on(project, rules):
    project.programme.partnership_rules = rules
    project.programme.save()


def test_the_project_page_warns_about_the_partnership(client, world):
    """Valle: Comune di Valle (lead) and Coop Aurora, none accredited: two warnings."""
    _rules_on(world.a, LOMBARDY)
    client.force_login(world.rita)
    page = client.get(reverse("reporting:dashboard", args=["valle"])).content.decode()
    assert "Il partenariato ha 2 membri: il bando ne chiede almeno 3." in page
    assert "Membri accreditati per i servizi al lavoro e alla formazione: 0" in page


def test_the_project_page_shows_no_warning_once_the_rules_are_kept(client, world):
    _rules_on(world.a, LOMBARDY)
    afol = f.OrganisationFactory(
        name="AFOL Valle", kind=Organisation.Kind.LABOUR_OPERATOR, accredited_labour=True
    )
    Partnership.objects.create(project=world.a, organisation=afol, role="partner")
    client.force_login(world.alice)
    page = client.get(reverse("reporting:dashboard", args=["valle"])).content.decode()
    assert "Avvertenze sul partenariato" not in page


def test_a_project_whose_programme_has_no_rules_shows_no_warning(client, world):
    _rules_on(world.a, {})
    client.force_login(world.alice)
    page = client.get(reverse("reporting:dashboard", args=["valle"])).content.decode()
    assert "Avvertenze sul partenariato" not in page


def test_the_report_partnership_section_carries_the_warnings(world):
    _rules_on(world.a, LOMBARDY)
    data = build_report_data(world.a, _Period(world.a))
    assert data["partnership_check"]["rules"] == LOMBARDY
    html = render_report_html(data)
    assert "Avvertenze sul partenariato (regole del bando)" in html
    assert "Il partenariato ha 2 membri" in html
    english = render_report_html(data, language="en")
    assert "The partnership has 2 members" in english


def test_the_report_of_a_programme_without_rules_has_no_warnings(world):
    _rules_on(world.a, {})
    html = render_report_html(build_report_data(world.a, _Period(world.a)))
    assert "Avvertenze sul partenariato" not in html


class _Period:
    def __init__(self, project):
        self.start_date, self.end_date, self.name = project.start_date, project.end_date, "P"
