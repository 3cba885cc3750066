"""The named world every access test reads like prose.

Project A ("Valle"), led by the Comune di Valle:
- alice: project lead; sofia: social worker (both Comune di Valle);
- paolo: partner operator of Coop Aurora, which runs the "Cucito" workshop;
- maria: enrolled in Cucito, with sensitive data (path, household, arrears, case note);
- giulia: in a household of A, not enrolled in any partner activity.
Project B ("Borgo"): bruno leads it; carla is one of its people.
rita: regional officer (Regione Lombardia). olga: signed in, no role anywhere.
admin: superuser.
"""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from beneficiaries import models as b
from labs import models as labs
from partners.models import Membership, Organisation
from reporting.models import ProgressReport
from tests import factories as f
from tests import hypothesis_profiles  # noqa: F401  (loads the "ci" profile)

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser():
    """Headless Debian Chromium driven by Playwright, for tests with ``live_server``."""
    import os
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Browser tests need Debian's chromium: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are
    # synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--lang=it-IT",
            ],
        )
        yield chromium
        chromium.close()
        # ORM calls made while Playwright's loop runs open their own connection (Django
        # keeps one per async context); close it here, in that context, or PostgreSQL
        # cannot drop the test database at the end ("accessed by other users").
        from django.db import connections

        connections.close_all()


# The migrations whose operations the models do not declare: triggers, widened columns.
DATABASE_RULES = [
    "beneficiaries.migrations.0002_attendance_hours_trigger",
    "reporting.migrations.0003_submitted_report_trigger",
    "reporting.migrations.0005_figures_change_triggers",
    # Not a trigger: spid-cie-oidc 1.2.0's two columns widened on PostgreSQL.
    "partners.migrations.0003_spid_cie_oidc_column_lengths",
]


@pytest.fixture(scope="session")
def django_db_use_migrations():
    """Test databases are created from the models (Django's syncdb) and then given the
    operations of DATABASE_RULES: about 1 s per worker instead of 15 s of CPU replaying
    every migration's model states. tests/portal/test_migrations.py migrates a database for real
    and proves that its schema is this one, table by table."""
    return False


def install_database_rules(connection) -> None:
    """Run the forward operations of DATABASE_RULES on ``connection``."""
    from importlib import import_module

    from django.apps import apps as global_apps

    with connection.schema_editor() as editor:
        for name in DATABASE_RULES:
            for operation in import_module(name).Migration.operations:
                operation.code(global_apps, editor)


_rules_installed: set[str] = set()


@receiver(post_migrate)
def _install_rules_once(sender, using="default", **kwargs):
    """After syncdb built a test database (post_migrate of the last app); not again after
    the flush of a transactional test, which also sends post_migrate."""
    from django.conf import settings
    from django.db import connections

    connection = connections[using]
    name = connection.settings_dict["NAME"]
    if sender.label != "reporting" or name in _rules_installed:
        return
    if not isinstance(getattr(settings, "MIGRATION_MODULES", None), dict):  # disabled
        install_database_rules(connection)
    _rules_installed.add(name)


POSTGRESQL_ONLY = pytest.StashKey[tuple[str, int]]()
SQLITE_ONLY = pytest.StashKey[int]()
# The modules that take longest (seconds of test time on 2 cores, 02/12/2026: 60-80 for
# the first four, 15-50 for the rest); `make test` prints the slowest tests.
LONGEST_MODULES = [
    "test_authorization",
    "test_hostile_inputs",
    "test_accessibility_browser",
    "test_report_pdf",
    "test_form_errors",
    "test_sqlite_concurrency",
    "test_admin",
    "test_query_ceilings",
    "test_seed_demo",
    "test_staff_browser",
    "test_i18n",
    "test_report_lifecycle",
    "test_readme",
]


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` need real concurrent transactions, which SQLite's
    shared in-memory test database cannot give; ``.ci/run`` runs them on PostgreSQL."""
    from django.conf import settings

    on_postgresql = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if on_postgresql:
        # Tests of the SQLite development set-up (a database file, runserver) do not read
        # the test database: the SQLite pass runs them, the PostgreSQL pass would repeat them.
        sqlite_only = [item for item in items if item.get_closest_marker("sqlite_only")]
        if sqlite_only:
            config.hook.pytest_deselected(items=sqlite_only)
            items[:] = [item for item in items if item not in sqlite_only]
            config.stash[SQLITE_ONLY] = len(sqlite_only)
            if hasattr(config, "workeroutput"):
                config.workeroutput["sqlite_only"] = len(sqlite_only)
    marked = [item for item in items if item.get_closest_marker("postgresql")]
    if on_postgresql:
        outcome = ("ran", len(marked))
    else:
        outcome = ("deselected", len(marked))
        if marked:
            config.hook.pytest_deselected(items=marked)
            items[:] = [item for item in items if item not in marked]
    config.stash[POSTGRESQL_ONLY] = outcome
    if hasattr(config, "workeroutput"):  # an xdist worker: tell the controller
        config.workeroutput["postgresql_only"] = outcome
    # pytest-xdist (--dist loadfile) hands out whole modules in collection order: the
    # longest first, so that no long module starts last and runs alone at the end.
    first = {name: rank for rank, name in enumerate(LONGEST_MODULES)}
    items.sort(key=lambda item: first.get(item.module.__name__.rsplit(".", 1)[-1], len(first)))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist: each worker collects the whole suite, so any one of them has the count."""
    outcome = getattr(node, "workeroutput", {}).get("postgresql_only")
    if outcome:
        node.config.stash[POSTGRESQL_ONLY] = tuple(outcome)
    sqlite_only = getattr(node, "workeroutput", {}).get("sqlite_only")
    if sqlite_only:
        node.config.stash[SQLITE_ONLY] = sqlite_only


def pytest_terminal_summary(terminalreporter, config):
    outcome, count = config.stash.get(POSTGRESQL_ONLY, ("", 0))
    if outcome == "deselected" and count:
        terminalreporter.write_line(
            f"{count} PostgreSQL-only {_tests(count)} (marker postgresql) deselected on SQLite; "
            "DATABASE_URL=postgres://... make test runs them, and so does .ci/run."
        )
    elif outcome == "ran":
        terminalreporter.write_line(
            f"{count} PostgreSQL-only {_tests(count)} included (PostgreSQL)."
        )
    sqlite_only = config.stash.get(SQLITE_ONLY, 0)
    if sqlite_only:
        terminalreporter.write_line(
            f"{sqlite_only} {_tests(sqlite_only)} of the SQLite development set-up "
            "(marker sqlite_only) deselected on PostgreSQL; the SQLite pass runs them."
        )


def _tests(count: int) -> str:
    return "test" if count == 1 else "tests"


PASSWORD = "password-di-prova-123"

# Values that must never reach a partner operator or a regional officer.
SECRET_CASE_NOTE = "Nota riservata: seguita dal CPS per depressione"
SECRET_ARREARS_NOTE = "Debito per lutto del coniuge"
SECRET_ARREARS_AMOUNT = Decimal("9876.54")
SECRET_HOUSEHOLD_NOTE = "Violenza domestica segnalata"


def _member(user, organisation):
    Membership.objects.get_or_create(user=user, organisation=organisation)


def _role(project, user, organisation, role):
    _member(user, organisation)
    labs.ProjectRole.objects.create(
        project=project, user=user, organisation=organisation, role=role
    )


@pytest.fixture
def world(db):
    return build_world()


def build_world() -> SimpleNamespace:
    """The named world, written to the database (see the module docstring)."""
    region = f.OrganisationFactory(name="Regione Lombardia", kind=Organisation.Kind.REGION)
    valle = f.OrganisationFactory(name="Comune di Valle", kind=Organisation.Kind.MUNICIPALITY)
    aurora = f.OrganisationFactory(name="Coop Aurora")
    borgo = f.OrganisationFactory(name="Comune di Borgo", kind=Organisation.Kind.MUNICIPALITY)

    a = f.ProjectFactory(title="Valle solidale", slug="valle", lead_organisation=valle)
    b_ = f.ProjectFactory(title="Borgo insieme", slug="borgo", lead_organisation=borgo)
    labs.Partnership.objects.create(project=a, organisation=valle, role="capofila")
    labs.Partnership.objects.create(project=a, organisation=aurora, role="partner")
    labs.Partnership.objects.create(project=b_, organisation=borgo, role="capofila")

    users = {
        name: f.UserFactory(username=name, first_name=name.title())
        for name in ["alice", "sofia", "paolo", "bruno", "rita", "olga"]
    }
    admin = f.UserFactory(username="admin", is_staff=True, is_superuser=True)
    _role(a, users["alice"], valle, "lead")
    _role(a, users["sofia"], valle, "social_worker")
    _role(a, users["paolo"], aurora, "partner_operator")
    _role(b_, users["bruno"], borgo, "lead")
    _member(users["rita"], region)

    axis = f.AxisFactory(project=a, code="LAB", name="Laboratorio sociale")
    lab = f.LabFactory(project=a, name="Lab Valle")
    sewing = f.ActivityFactory(project=a, axis=axis, organisation=aurora, name="Cucito", lab=lab)
    desk = f.ActivityFactory(project=a, axis=axis, organisation=valle, name="Sportello")
    session = f.SessionFactory(activity=sewing, lab=lab, date=dt.date(2019, 5, 6))
    desk_session = f.SessionFactory(activity=desk, date=dt.date(2019, 5, 7))

    unit = f.HousingUnitFactory()
    maria = f.PersonFactory(
        first_name="Maria", last_name="Rossi", sex="F", birth_date=dt.date(1975, 4, 12)
    )
    giulia = f.PersonFactory(
        first_name="Giulia", last_name="Bianchi", sex="F", birth_date=dt.date(1980, 2, 3)
    )
    household = f.HouseholdFactory(project=a, code="VAL-001", notes=SECRET_HOUSEHOLD_NOTE)
    b.HouseholdMember.objects.create(
        household=household, person=maria, relation="reference", start_date=dt.date(2010, 1, 1)
    )
    b.HouseholdMember.objects.create(
        household=household, person=giulia, relation="other", start_date=dt.date(2010, 1, 1)
    )
    b.Tenancy.objects.create(household=household, unit=unit, moved_in=dt.date(2010, 1, 1))
    b.ArrearsRecord.objects.create(
        household=household,
        recorded_on=dt.date(2019, 1, 31),
        amount=SECRET_ARREARS_AMOUNT,
        blameless=True,
        notes=SECRET_ARREARS_NOTE,
    )
    for person in (maria, giulia):
        b.Registration.objects.create(project=a, person=person, registered_on=dt.date(2019, 1, 10))
    b.Consent.objects.create(person=maria, purpose="privacy_notice", signed_on=dt.date(2019, 1, 10))
    b.ActivityEnrolment.objects.create(activity=sewing, person=maria, since=dt.date(2019, 3, 1))
    b.Attendance.objects.create(session=session, person=maria, hours=Decimal("2"))
    b.Attendance.objects.create(session=desk_session, person=giulia, hours=Decimal("1"))
    path = f.PathFactory(
        person=maria,
        project=a,
        axis=axis,
        disability=b.Answer.YES,
        foreign_background=b.Answer.DECLINED,
    )
    note = b.CaseNote.objects.create(
        project=a,
        person=maria,
        author=users["sofia"],
        date=dt.date(2019, 2, 1),
        text=SECRET_CASE_NOTE,
    )

    carla = f.PersonFactory(first_name="Carla", last_name="Verdi", sex="F")
    b_household = f.HouseholdFactory(project=b_, code="BOR-001")
    b.HouseholdMember.objects.create(
        household=b_household, person=carla, relation="reference", start_date=dt.date(2015, 1, 1)
    )
    b_axis = f.AxisFactory(project=b_, code="LAB", name="Laboratorio sociale")
    b_activity = f.ActivityFactory(project=b_, axis=b_axis, organisation=borgo, name="Festa")
    b_session = f.SessionFactory(activity=b_activity, date=dt.date(2019, 6, 1))

    return SimpleNamespace(
        a=a,
        b=b_,
        region=region,
        valle=valle,
        aurora=aurora,
        borgo=borgo,
        admin=admin,
        axis=axis,
        lab=lab,
        sewing=sewing,
        desk=desk,
        session=session,
        desk_session=desk_session,
        maria=maria,
        giulia=giulia,
        household=household,
        path=path,
        note=note,
        carla=carla,
        b_household=b_household,
        b_session=b_session,
        unit=unit,
        **users,
    )


@pytest.fixture
def full_world(world, settings, tmp_path):
    """The world plus an evidence file and two report versions (submitted and draft)."""
    settings.MEDIA_ROOT = tmp_path
    return add_files_and_reports(world)


def add_files_and_reports(world: SimpleNamespace) -> SimpleNamespace:
    """A person link, an evidence file and two report versions (under MEDIA_ROOT)."""
    world.link = b.PersonLink.objects.create(
        person=world.maria, same_as=world.giulia, linked_by=world.sofia, note="prova"
    )
    world.evidence = labs.SessionEvidence.objects.create(
        session=world.session,
        kind="sign_in_sheet",
        original_name="firme.pdf",
        file=ContentFile(b"%PDF-1.4 firme", name="firme.pdf"),
        uploaded_by=world.paolo,
    )
    period = labs.ReportingPeriod.objects.create(
        project=world.a,
        name="I semestre 2019",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )
    world.submitted_report = ProgressReport.objects.create(
        project=world.a,
        period=period,
        version=1,
        status="submitted",
        submitted_at=dt.datetime(2019, 7, 15, tzinfo=dt.UTC),
        pdf_sha256="0" * 64,
        pdf=ContentFile(b"%PDF-1.4 report", name="report.pdf"),
    )
    world.draft_report = ProgressReport.objects.create(
        project=world.a,
        period=period,
        version=2,
        status="generated",
        pdf=ContentFile(b"%PDF-1.4 draft", name="draft.pdf"),
    )
    return world


@pytest.fixture
def run_tasks(monkeypatch):
    """Run what the requests queued, as production's worker does (`db_worker --batch`:
    every ready task, then stop). Returns how many tasks were waiting."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    # The worker closes its connections between tasks; inside the test's transaction it
    # must not.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> int:
        waiting = DBTaskResult.objects.ready().count()
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
        return waiting

    return run


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
