"""The staff pages in a real browser (issue #4): a social worker walks home, dashboard,
territory and a building, creates a household with two members, opens a path and closes
it; a partner operator logs in and cannot reach any of those pages. Screenshots of the
main pages go to screenshots/ (git-ignored), at a laptop size and at a tablet size.

Headless Debian Chromium driven by Playwright inside pytest-django's live server.
"""

import datetime as dt
import time
from pathlib import Path

import pytest

from beneficiaries.models import Household, HouseholdMember, Person, Registration
from beneficiaries.models import Path as Percorso
from tests import factories as f

PASSWORD = "password-di-prova-123"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture
def territory(transactional_db, world):
    """A building with two free units in a neighbourhood of Valle's project."""
    neighbourhood = f.NeighbourhoodFactory(name="Quartiere Valle Alta")
    neighbourhood.projects.add(world.a)
    building = f.BuildingFactory(
        neighbourhood=neighbourhood, name="Case ALER Valle", address="Via dei Tigli 4"
    )
    units = [f.HousingUnitFactory(building=building, owner_code=c) for c in ("VT4-01", "VT4-02")]
    world.a.target_households, world.a.target_people = 20, 50
    world.a.save()
    for user in (world.sofia, world.paolo):
        user.set_password(PASSWORD)
        user.save()
    anna = f.PersonFactory(first_name="Anna", last_name="Neri", sex="F")
    Registration.objects.create(project=world.a, person=anna, registered_on=dt.date(2019, 1, 7))
    return building, units, anna


def log_in(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base}/")


def shoot(page, name):
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def test_social_worker_walks_the_staff_pages(live_server, browser, world, territory):
    building, units, anna = territory
    base = live_server.url
    project = f"{base}/progetti/valle"
    page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="it-IT")
    began = time.perf_counter()

    log_in(page, base, "sofia")
    assert page.locator("h1").first.inner_text() == "I miei progetti"
    assert page.get_by_role("link", name="Valle solidale").first.is_visible()
    shoot(page, "staff-home")

    page.get_by_role("link", name="Valle solidale").first.click()
    page.wait_for_url(f"{project}/")
    # Targets against reached: 2 people of 50, one household of 20.
    bars = page.locator("[role=progressbar]")
    assert bars.count() >= 2
    assert "2 su 50" in page.content() and "1 su 20" in page.content()
    shoot(page, "staff-dashboard")

    page.goto(f"{project}/territorio/")
    page.get_by_role("link", name="Via dei Tigli 4").click()
    page.wait_for_url(f"{project}/territorio/edifici/{building.pk}/")
    assert "VT4-01" in page.content() and "VT4-02" in page.content()
    shoot(page, "staff-building")

    # A new household in unit VT4-01.
    page.goto(f"{project}/nuclei/nuovo/")
    page.fill("#id_code", "VAL-777")
    page.select_option("#id_unit", str(units[0].pk))
    page.fill("#id_moved_in", "2019-02-01")
    shoot(page, "staff-household-create")
    page.click("#submit-id-save")
    household = Household.objects.get(project=world.a, code="VAL-777")
    page.wait_for_url(f"{project}/nuclei/{household.pk}/")

    # Two members: one new person, then Anna who is already registered.
    page.goto(f"{project}/nuclei/{household.pk}/componenti/nuovo/")
    page.fill("#id_first_name", "Luca")
    page.fill("#id_last_name", "Ferri")
    page.fill("#id_birth_date", "1988-09-14")
    page.select_option("#id_sex", "M")
    page.select_option("#id_relation", "reference")
    page.fill("#id_start_date", "2019-02-01")
    page.click("#submit-id-save")
    page.wait_for_url(f"{project}/nuclei/{household.pk}/")
    page.goto(f"{project}/nuclei/{household.pk}/componenti/nuovo/")
    # The picker searches first (name, birth year or codice fiscale), then offers those found.
    page.fill("#q-member-search", anna.last_name)
    page.press("#q-member-search", "Enter")
    page.wait_for_url("**/componenti/nuovo/?cerca=*")
    radio = page.locator(f"input[name=person][value='{anna.pk}']")
    page.click(f"label[for={radio.get_attribute('id')}]")  # as a person does: the label
    assert radio.is_checked()
    page.select_option("#id_relation", "other")
    page.fill("#id_start_date", "2019-02-01")
    page.click("#submit-id-save")
    page.wait_for_url(f"{project}/nuclei/{household.pk}/")
    assert "Ferri" in page.content() and "Neri" in page.content()
    shoot(page, "staff-household")
    members = HouseholdMember.objects.filter(household=household, end_date__isnull=True)
    assert {m.person.last_name for m in members} == {"Ferri", "Neri"}

    # Open a path for Luca with his ESF entry profile, then close it.
    luca = Person.objects.get(last_name="Ferri")
    page.goto(f"{project}/persone/{luca.pk}/")
    page.get_by_role("link", name="Apri un percorso").click()
    page.wait_for_url(f"{project}/persone/{luca.pk}/percorsi/nuovo/")
    page.select_option("#id_axis", str(world.axis.pk))
    page.fill("#id_entry_date", "2019-03-04")
    page.fill("#id_planned_hours", "60")
    page.select_option("#id_labour_status", "unemployed")
    page.fill("#id_unemployment_months", "14")
    page.select_option("#id_education_level", "3")
    shoot(page, "staff-path-open")
    page.click("#submit-id-save")
    page.wait_for_load_state()
    path = Percorso.objects.get(person=luca, project=world.a)
    assert (path.labour_status, path.unemployment_months, path.education_level) == (
        "unemployed",
        14,
        3,
    )
    page.goto(f"{project}/percorsi/{path.pk}/uscita/")
    page.fill("#id_exit_date", "2019-09-30")
    page.select_option("#id_exit_reason", "completed")
    page.select_option("#id_exit_employed", "true")
    page.click("#submit-id-save")
    page.wait_for_load_state()
    path.refresh_from_db()
    assert path.exit_date.isoformat() == "2019-09-30" and path.exit_employed is True
    page.goto(f"{project}/persone/{luca.pk}/")
    assert "30/09/2019" in page.content()
    shoot(page, "staff-person")
    elapsed = time.perf_counter() - began

    # The same main pages at a tablet size.
    page.set_viewport_size({"width": 1024, "height": 768})
    for name, url in [
        ("tablet-home", f"{base}/"),
        ("tablet-dashboard", f"{project}/"),
        ("tablet-building", f"{project}/territorio/edifici/{building.pk}/"),
        ("tablet-household", f"{project}/nuclei/{household.pk}/"),
        ("tablet-person", f"{project}/persone/{luca.pk}/"),
    ]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1024, f"{name} scrolls sideways ({width}px)"
        shoot(page, name)
    print(f"\nSocial worker walk (login to path closed, 12 pages): {elapsed:.2f} s")


def test_partner_operator_cannot_reach_the_staff_pages(live_server, browser, world, territory):
    building, _units, _anna = territory
    household = world.household
    path = world.path
    base = live_server.url
    project = f"{base}/progetti/valle"
    page = browser.new_page(viewport={"width": 1024, "height": 768}, locale="it-IT")
    log_in(page, base, "paolo")
    shoot(page, "partner-home")
    nav = page.locator("nav").all_inner_texts()
    assert not any("Territorio" in text or "Nuclei" in text for text in nav)
    for url in [
        f"{project}/territorio/",
        f"{project}/territorio/edifici/{building.pk}/",
        f"{project}/nuclei/",
        f"{project}/nuclei/nuovo/",
        f"{project}/nuclei/{household.pk}/",
        f"{project}/nuclei/{household.pk}/componenti/nuovo/",
        f"{project}/persone/{world.maria.pk}/percorsi/nuovo/",
        f"{project}/percorsi/{path.pk}/uscita/",
        f"{project}/persone/{world.maria.pk}/scheda.pdf",
    ]:
        response = page.goto(url)
        assert response.status == 404, url
    shoot(page, "partner-refused")
