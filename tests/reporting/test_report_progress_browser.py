"""Issue #20, point 4, as the project lead sees it: "Genera la relazione" answers at once
with the progress bar, and the page turns into the finished version by itself once the
worker has built it. The page in between passes axe-core like every other page."""

import datetime as dt

import pytest
from django.urls import reverse

from labs.models import ReportingPeriod
from reporting.models import ProgressReport
from tests import conftest
from tests.portal.test_accessibility_browser import signed_in_context, violations

pytestmark = pytest.mark.browser


def test_generating_shows_the_progress_bar_then_the_finished_version(
    live_server, browser, transactional_db, settings, tmp_path, run_tasks
):
    settings.MEDIA_ROOT = tmp_path
    world = conftest.build_world()
    period = ReportingPeriod.objects.create(
        project=world.a,
        name="I semestre 2019",
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )
    context = signed_in_context(browser, live_server.url, world, "alice")
    page = context.new_page()
    # The page polls the status URL. Routed through Playwright, a poll waits while this
    # thread runs the worker below, so the live server never reads while the worker
    # writes (SQLite's shared in-memory test database would refuse that).
    page.route("**/stato/", lambda route: route.continue_())
    page.goto(live_server.url + reverse("reporting:report-period", args=["valle", period.pk]))
    page.get_by_role("button", name="Genera la relazione").click()
    page.wait_for_load_state()

    # The request has answered; nothing is built yet.
    report = ProgressReport.objects.get(period=period)
    assert report.status == "queued" and not report.pdf
    bar = page.locator("progress")
    assert bar.count() == 1 and bar.get_attribute("value") == "0"
    assert page.get_by_text("In preparazione").first.is_visible()
    assert page.get_by_role("button", name="Genera una nuova versione").is_disabled()
    assert violations(page) == []

    assert run_tasks() == 1  # production's worker, in batch mode

    # The page finds out by itself and shows the finished version.
    download = page.get_by_role("link", name="Scarica PDF v1")
    download.wait_for(timeout=30_000)
    report.refresh_from_db()
    assert report.status == "generated" and report.pdf_sha256
    assert page.locator("progress").count() == 0
    assert report.pdf_sha256 in page.content()
    assert page.get_by_role("button", name="Genera una nuova versione").is_enabled()
    context.close()
