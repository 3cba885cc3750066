"""The front-end files the pages load (issue #20, docs/frontend.md): one stylesheet built
from the current sources, only the Bootstrap Italia modules the templates need, deferred,
and the three preloaded font weights; and the two Bootstrap Italia widgets the portal uses
(main menu on a phone, user menu) still working in a real browser.

static/css/portal.min.css and static/js/bootstrap-italia.min.js are built by `make assets`
and committed: the checks below fail when a source changed without a rebuild.
"""

import hashlib
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.portal.test_authorization import MATRIX

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "static"
BUILT_CSS = STATIC / "css" / "portal.min.css"
BUILT_JS = STATIC / "js" / "bootstrap-italia.min.js"
KIT_CSS = STATIC / "vendor" / "bootstrap-italia" / "dist" / "css" / "bootstrap-italia.min.css"
REBUILD = "run `make assets` and commit static/css/portal.min.css and static/js/*.min.js"


def template_classes() -> set[str]:
    """Every class name written literally in a class attribute of a template."""
    names = set()
    for template in (ROOT / "templates").rglob("*.html"):
        for value in re.findall(r'class="([^"]*)"', template.read_text()):
            value = re.sub(r"\{[{%].*?[%}]\}", " ", value)  # template tags and variables
            names.update(n for n in value.split() if re.fullmatch(r"[A-Za-z][\w-]*", n))
    return names


def styled(css: str, name: str) -> bool:
    return re.search(r"\." + re.escape(name) + r"(?![\w-])", css) is not None


def test_the_stylesheet_is_built_from_the_current_sources():
    banner = BUILT_CSS.read_text().split("*/", 1)[0]
    sources = re.findall(r"(static/\S+) sha256:([0-9a-f]{64})", banner)
    assert {path for path, _ in sources} >= {
        "static/vendor/bootstrap-italia/dist/css/bootstrap-italia.min.css",
        "static/css/fonts.css",
        "static/css/quartieri.css",
    }
    for path, digest in sources:
        assert hashlib.sha256((ROOT / path).read_bytes()).hexdigest() == digest, (path, REBUILD)


def test_every_class_a_template_uses_keeps_its_bootstrap_italia_rules():
    kit, built = KIT_CSS.read_text(), BUILT_CSS.read_text()
    used = {name for name in template_classes() if styled(kit, name)}
    assert {"btn", "container", "it-header-wrapper", "table"} <= used
    purged = sorted(name for name in used if not styled(built, name))
    assert not purged, f"{purged}: {REBUILD}"


def test_every_data_toggle_of_the_templates_has_its_module_in_the_bundle():
    bundle = BUILT_JS.read_text()
    toggles = set()
    for template in (ROOT / "templates").rglob("*.html"):
        toggles.update(re.findall(r'data-bs-toggle="([^"]+)"', template.read_text()))
    assert {"dropdown", "navbarcollapsible"} <= toggles
    missing = sorted(t for t in toggles if f'[data-bs-toggle="{t}"]' not in bundle)
    assert not missing, f"{missing}: import the module in bench/assets/bootstrap-italia.entry.js"


def test_pages_load_one_stylesheet_deferred_scripts_and_preload_the_fonts_they_use(world):
    client = Client()
    client.force_login(world.alice)
    html = client.get(reverse("home")).content.decode()
    head = html.split("</head>", 1)[0]
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert stylesheets == ["/static/css/portal.min.css"]
    scripts = re.findall(r"<script [^>]*>", head)
    assert scripts and all(" defer" in s for s in scripts), scripts
    preloaded = re.findall(r'<link rel="preload" href="[^"]+/([^/"]+)" as="font"', head)
    declared = re.findall(r'url\("[^"]+/([^/"]+)"\)', (STATIC / "css" / "fonts.css").read_text())
    assert sorted(preloaded) == sorted(declared) and len(declared) == 3
    assert all(name.startswith("titillium-web") for name in declared)  # no Lora, no Roboto Mono


@pytest.mark.browser
def test_the_main_menu_opens_on_a_phone_and_the_user_menu_opens(live_server, browser, world):
    """The only two Bootstrap Italia widgets of the portal, driven by the custom bundle."""
    client = Client()
    client.force_login(world.alice)
    base = live_server.url
    context = browser.new_context(viewport={"width": 412, "height": 915}, locale="it-IT")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/")
    home_link = page.locator("#q-main-nav").get_by_role("link", name="Pagina iniziale")
    assert not home_link.is_visible()
    # The panel ignores a close while it is still sliding in: wait for its "shown" event.
    page.evaluate(
        """() => document.getElementById('q-main-nav').addEventListener(
            'shown.bs.navbarcollapsible', () => { window.menuShown = true; })"""
    )
    page.get_by_role("button", name="Mostra o nascondi il menu di navigazione").click()
    home_link.wait_for(state="visible")
    page.wait_for_function("() => window.menuShown === true")
    page.get_by_role("button", name="Nascondi il menu di navigazione", exact=True).click()
    home_link.wait_for(state="hidden")

    logout = page.get_by_role("button", name="Esci")
    assert not logout.is_visible()
    page.locator("#q-user-menu-button").click()
    logout.wait_for(state="visible")
    assert page.locator("#q-user-menu-button").get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    logout.wait_for(state="hidden")
    context.close()
    assert not errors, errors


@pytest.mark.browser
def test_the_register_tools_are_there_from_the_first_paint_with_scripting_only(
    live_server, browser, world
):
    """The tick-all buttons need register.js: shown by CSS where scripting is on (not
    revealed by the script, which moved the list: layout shift), hidden where it is off."""
    client = Client()
    client.force_login(world.paolo)
    url = live_server.url + reverse(
        "registers:register-edit", kwargs=MATRIX["registers:register-edit"][0](world)
    )
    shown = {}
    for scripting in (True, False):
        context = browser.new_context(java_script_enabled=scripting, locale="it-IT")
        context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}]
        )
        page = context.new_page()
        # Without register.js: what the first paint shows, before the script has run.
        page.route("**/js/register*.js", lambda route: route.abort())
        page.goto(url)
        shown[scripting] = page.locator("[data-register-tools]").is_visible()
        context.close()
    assert shown == {True: True, False: False}
