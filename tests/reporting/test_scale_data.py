"""generate_scale_data: projects with the reference proportions, consistent, and never on
a database that is not meant for it."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from beneficiaries.models import Attendance, Household, HouseholdMember, Registration
from labs.models import Project, ProjectRole


def test_refuses_a_database_not_named_for_scale(db, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "NAME", "quartieri")
    with pytest.raises(CommandError, match="quartieri_scale"):
        call_command("generate_scale_data", projects=1, verbosity=0)
    assert not Project.objects.exists()


def test_one_project_has_the_reference_proportions(db, client):
    call_command("generate_scale_data", projects=1, force=True, verbosity=0)
    project = Project.objects.get(slug="scala-001")
    households = Household.objects.filter(project=project)
    assert households.count() == 400
    assert Registration.objects.filter(project=project).count() == 1000
    attendances = Attendance.objects.filter(session__activity__project=project)
    assert attendances.count() == 10_000
    # Every household has its one reference person; everyone attending is registered.
    assert (
        HouseholdMember.objects.filter(household__project=project, relation="reference")
        .values("household")
        .distinct()
        .count()
        == 400
    )
    registered = set(Registration.objects.filter(project=project).values_list("person", flat=True))
    assert set(attendances.values_list("person", flat=True)) <= registered
    # The template's lead leads the copy too and can open its dashboard.
    lead = ProjectRole.objects.filter(project=project, role="lead").first().user
    client.force_login(lead)
    assert client.get(f"/progetti/{project.slug}/").status_code == 200
