"""WCAG 2.1 A and AA in the suite: axe-core run in headless Chromium on the portal's pages,
for every role, form error states included, and keyboard focus visible on the main flows.

The pages are those of the authorization matrix that answer HTML (so a new page joins on
its own): each once, as the first role that may open it, and the main pages again as
the partner operator and the Region, whose versions of them differ most. axe-core is
vendored from its npm package (tests/vendor/, MPL-2.0) and evaluated in the page;
nothing is fetched from the network.
"""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests import conftest
from tests.portal.test_authorization import MATRIX

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-4.10.3.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLES = ["alice", "sofia", "paolo", "rita", "admin"]
# What each role opens every day: checked again as the roles whose pages differ most.
AGAIN_AS = {"paolo", "rita"}
MAIN = {
    "home",
    "reporting:dashboard",
    "people:person-list",
    "people:person-detail",
    "households:household-list",
    "labs:session-list",
    "labs:session-detail",
    "registers:register-edit",
    "reporting:report-list",
    "budget:budget",
}
# Pages that are not the portal's own screens: Django's login/logout mechanics, and the
# password-reset confirmation reached only by a valid e-mailed link.
SKIPPED = {"logout", "set_language", "password_reset_confirm"}
# Forms posted empty, to check the page that shows the errors next to the fields.
ERROR_STATES = [
    ("people:person-create", "sofia"),
    ("households:household-create", "sofia"),
    ("labs:session-create", "alice"),
    ("labs:resident-report-create", "alice"),
    ("budget:expense-create", "paolo"),
    ("login", None),
]


@pytest.fixture
def site(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return conftest.add_files_and_reports(conftest.build_world())


def html_pages(world, user, done: set) -> list[str]:
    """The URLs of the matrix that answer an HTML page to ``user`` (None: a visitor),
    leaving out those already checked (``done``) unless they are main pages."""
    client = Client()
    if user:
        client.force_login(getattr(world, user))
    urls = []
    for name, (build, expected) in sorted(MATRIX.items()):
        if name in SKIPPED or expected[user or "anonymous"] != 200:
            continue
        if name in done and not (name in MAIN and user in AGAIN_AS):
            continue
        done.add(name)
        url = reverse(name, kwargs=build(world))
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            urls.append(url)
    return urls


def signed_in_context(browser, base, world, user):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="it-IT")
    if user:
        client = Client()
        client.force_login(getattr(world, user))
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
        )
    return context


def violations(page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']}))"
        ".violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))",
        WCAG_21_AA,
    )
    return found


def test_every_page_meets_wcag_21_aa_for_every_role(live_server, browser, site):
    base = live_server.url
    failures, checked, done = [], 0, set()
    for user in [*ROLES, None]:
        context = signed_in_context(browser, base, site, user)
        page = context.new_page()
        for url in html_pages(site, user, done):
            page.goto(base + url)
            checked += 1
            failures += [f"{user} {url} {v}" for v in violations(page)]
        context.close()
    assert checked > 80 and MAIN <= done
    assert not failures, "\n".join(failures)


def test_form_errors_meet_wcag_21_aa(live_server, browser, site):
    base = live_server.url
    failures = []
    for name, user in ERROR_STATES:
        context = signed_in_context(browser, base, site, user)
        page = context.new_page()
        url = reverse(name, kwargs=MATRIX[name][0](site))
        page.goto(base + url)
        form = page.locator("main form[method=post]").last
        # The browser's own checks (required) would stop the empty form before the server.
        form.evaluate("f => { f.noValidate = true; }")
        form.locator("[type=submit]").last.click()
        page.wait_for_load_state()
        errors = page.locator(".invalid-feedback, .alert-danger, .errorlist")
        assert errors.count() > 0, (name, user, "no error shown")
        failures += [f"{user} {url} {v}" for v in violations(page)]
        context.close()
    assert not failures, "\n".join(failures)


FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {tag: el.tagName, text: (el.innerText || el.name || el.id || '').slice(0, 30),
          visible: outline || shadow};
}"""


@pytest.mark.parametrize(
    ("user", "name"),
    [
        ("sofia", "people:person-list"),
        ("sofia", "people:person-create"),
        ("alice", "reporting:dashboard"),
        ("paolo", "registers:register-edit"),
    ],
)
def test_keyboard_focus_is_visible_on_the_main_flows(live_server, browser, site, user, name):
    """Tabbing through the page, every element that takes the focus shows it."""
    base = live_server.url
    context = signed_in_context(browser, base, site, user)
    page = context.new_page()
    page.goto(base + reverse(name, kwargs=MATRIX[name][0](site)))
    seen, hidden = 0, []
    for _ in range(25):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_VISIBLE)
        if focus is None:
            continue
        seen += 1
        if not focus["visible"]:
            hidden.append(focus)
    context.close()
    assert seen >= 10, seen
    assert not hidden, hidden
