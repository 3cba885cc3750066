"""SPID and CIE login end to end in headless Chromium, without the network: spid-cie-oidc's
own trust anchors and OpenID providers, SPID's and CIE's, run in a live server next to
Quartieri's relying party (tests/portal/spid_federation.py), with keys generated here and
Quartieri's settings made by config/settings/base.py from the variables a Comune sets.
The relying party resolves the provider's trust chain through that federation's anchor,
the provider resolves the relying party's, the person logs in at the provider and
consents, Quartieri exchanges the code, decrypts the userinfo and finds the account by
codice fiscale; logging out revokes the token.
"""

import copy
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from pytest_django.live_server_helper import LiveServer
from spid_cie_oidc.entity.jwtse import unpad_jwt_payload
from spid_cie_oidc.entity.models import TrustChain
from spid_cie_oidc.provider.models import IssuedToken
from spid_cie_oidc.relying_party.models import OidcAuthenticationToken

from partners.models import UserIdentity
from tests.portal import spid_federation as federation
from tests.portal.test_accessibility_browser import violations

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SOFIA_CF = "BNCSFO80A41F205G"
ALICE_CF = "MRNLCA85M41F205K"
STRANGER_CF = "VRDGPP75C12H501H"


@pytest.fixture
def federations(live_server, transactional_db, world, settings):
    """Both federations on one more server, at another loopback address: their own host,
    so no cookie is shared with Quartieri's. Sofia has SPID, Alice CIE; Giuseppe has both
    but no account on Quartieri."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.2"]
    elsewhere_server = LiveServer("127.0.0.2", start=False)
    static_handler = elsewhere_server.thread.static_handler
    elsewhere_server.thread.static_handler = lambda app: federation.CieScriptName(
        static_handler(app)
    )
    elsewhere_server.start()
    portal = f"http://127.0.0.1:{urlparse(live_server.url).port}"
    settings.ROOT_URLCONF = "tests.portal.spid_federation"
    # The test provider's login calls authenticate() without the request axes needs.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    # The provider's consent form sends the browser on to the portal: another origin.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] += [portal]
    settings.CONTENT_SECURITY_POLICY = policy
    ids = federation.entity_ids(elsewhere_server.url, portal)
    for name, value in federation.portal_settings(ids).items():
        setattr(settings, name, value)
    fed = federation.build_federation(ids, authority_hints=settings.SPID_CIE_RP_AUTHORITY_HINTS)
    settings.SPID_CIE_RP_ENTITY_ID = fed.rp.sub
    UserIdentity.objects.create(user=world.sofia, tax_code=SOFIA_CF)
    UserIdentity.objects.create(user=world.alice, tax_code=ALICE_CF)
    for username, cf, given_name, family_name in [
        ("spid.sofia", SOFIA_CF, "Sofia", "Bianchi"),
        ("cie.alice", ALICE_CF, "Alice", "Marini"),
        ("spid.giuseppe", STRANGER_CF, "Giuseppe", "Verdi"),
        ("cie.giuseppe", STRANGER_CF, "Giuseppe", "Verdi"),
    ]:
        federation.provider_user(
            username, fiscal_number=cf, given_name=given_name, family_name=family_name
        )
    with pytest.MonkeyPatch.context() as patch:
        federation.serve_both_providers(patch)
        yield SimpleNamespace(portal=portal, world=world, fed=fed)
    federation.reset()
    elsewhere_server.stop()


@pytest.fixture
def new_page(browser):
    """A page in a new browser context (its own cookies), closed before the servers stop,
    so that no request is left to reach them."""
    contexts = []

    def open_page():
        contexts.append(browser.new_context(locale="it-IT"))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def at_the_provider(page, provider):
    """The browser is at ``provider``'s login page, not on Quartieri's error page."""
    page.wait_for_load_state()
    assert page.url.startswith(f"{provider.sub}/authorization?"), page.locator("body").inner_text()


def provider_login(page, portal, username):
    """At the provider: its login page, then the consent; back to Quartieri."""
    page.wait_for_selector("#id_username")
    page.fill("#id_username", username)
    page.fill("#id_password", federation.PROVIDER_PASSWORD)
    page.click("#submit")
    page.click("#agree")
    page.wait_for_url(f"{portal}/**")


def spid_login(page, federations, username, *, check_wcag=False):
    """From Quartieri's login page to the SPID provider chosen, and back."""
    page.goto(f"{federations.portal}/accounts/login/")
    page.get_by_text("Entra con SPID").click()
    if check_wcag:  # the login page with the SPID providers open
        assert not violations(page), violations(page)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "spid-login.png", full_page=True)
    page.get_by_role("link", name="Gestore SPID di prova").click()
    at_the_provider(page, federations.fed.spid.op)
    provider_login(page, federations.portal, username)


def cie_login(page, federations, username):
    """From Quartieri's login page to CIE's provider, and back."""
    page.goto(f"{federations.portal}/accounts/login/")
    button = page.get_by_role("link", name="Entra con CIE")
    assert button.count() == 1, "no CIE button on the login page"
    button.click()
    at_the_provider(page, federations.fed.cie.op)
    provider_login(page, federations.portal, username)


def log_out_revoking_the_token(page, portal, token):
    """Logging out of Quartieri revokes the token at the provider (RP-initiated logout)."""
    assert token.revoked is None
    page.click("#q-user-menu-button")
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(f"{portal}/accounts/login/**")
    token.refresh_from_db()
    assert token.revoked is not None
    # ...and the provider has it revoked on its side.
    assert IssuedToken.objects.get(access_token=token.access_token).is_revoked
    page.goto(f"{portal}/")
    assert "/accounts/login/" in page.url


def assert_told_whom_to_ask(page, portal):
    """Somebody the provider knows but Quartieri does not: told whom to ask, not let in."""
    assert page.locator("h1").inner_text() == "Non hai ancora un'utenza su Quartieri"
    assert "responsabile di progetto" in page.content()
    page.goto(f"{portal}/")
    assert "/accounts/login/" in page.url


def test_spid_login_maps_the_account_refuses_strangers_and_logs_out(federations, new_page):
    portal, world, fed = federations.portal, federations.world, federations.fed
    users_before = get_user_model().objects.count()

    page = new_page()
    spid_login(page, federations, "spid.sofia")
    assert page.url == f"{portal}/"
    assert page.locator("h1").first.inner_text() == "I miei progetti"
    assert page.get_by_role("link", name="Valle solidale").first.is_visible()
    # Her name as SPID asserted it (given_name, family_name, in the userinfo only).
    assert page.locator(".q-user-name").inner_text() == "Sofia Bianchi"
    token = OidcAuthenticationToken.objects.get(user=world.sofia)
    assert "family_name" not in unpad_jwt_payload(token.id_token)
    assert TrustChain.objects.get(sub=fed.spid.op.sub).trust_anchor.sub == fed.spid.ta.sub
    log_out_revoking_the_token(page, portal, token)

    stranger = new_page()
    spid_login(stranger, federations, "spid.giuseppe", check_wcag=True)
    assert not violations(stranger), violations(stranger)
    stranger.screenshot(path=SCREENSHOTS / "spid-unknown.png", full_page=True)
    assert "Il tuo gestore di identità digitale ti ha riconosciuto" in stranger.content()
    assert_told_whom_to_ask(stranger, portal)
    # Provider accounts made by the fixture, none by the logins.
    assert get_user_model().objects.count() == users_before


def test_cie_login_maps_the_account_refuses_strangers_and_logs_out(federations, new_page):
    portal, world, fed = federations.portal, federations.world, federations.fed
    users_before = get_user_model().objects.count()

    page = new_page()
    cie_login(page, federations, "cie.alice")
    assert page.url == f"{portal}/"
    assert page.locator("h1").first.inner_text() == "I miei progetti"
    assert page.get_by_role("link", name="Valle solidale").first.is_visible()
    assert page.locator(".q-user-name").inner_text() == "Alice Marini"
    token = OidcAuthenticationToken.objects.get(user=world.alice)
    assert token.authz_request.provider_id == fed.cie.op.sub
    # The CIE profile: the names asked for in the ID token too, and given there.
    id_token = unpad_jwt_payload(token.id_token)
    assert (id_token["given_name"], id_token["family_name"]) == ("Alice", "Marini")
    assert id_token["acr"] == federation.L2
    # Trusted through CIE's trust anchor, which alone vouches for CIE's provider.
    assert TrustChain.objects.get(sub=fed.cie.op.sub).trust_anchor.sub == fed.cie.ta.sub
    log_out_revoking_the_token(page, portal, token)

    stranger = new_page()
    cie_login(stranger, federations, "cie.giuseppe")
    assert "La Carta d'identità elettronica ha confermato chi sei" in stranger.content()
    assert_told_whom_to_ask(stranger, portal)
    assert get_user_model().objects.count() == users_before
