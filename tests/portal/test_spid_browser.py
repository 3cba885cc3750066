"""SPID login end to end in headless Chromium, without the network: spid-cie-oidc's own
trust anchor and OpenID provider run in the live server next to Quartieri's relying party
(tests/portal/spid_federation.py), with keys generated here. The relying party resolves
the provider's trust chain through the anchor, the provider resolves the relying party's,
the person logs in at the provider and consents, Quartieri exchanges the code, decrypts
the userinfo and finds the account by codice fiscale; logging out revokes the token.
"""

import copy
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from pytest_django.live_server_helper import LiveServer
from spid_cie_oidc.provider.models import IssuedToken
from spid_cie_oidc.relying_party.models import OidcAuthenticationToken

from partners.models import UserIdentity
from tests.portal import spid_federation as federation
from tests.portal.test_accessibility_browser import violations

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
SOFIA_CF = "BNCSFO80A41F205G"
STRANGER_CF = "VRDGPP75C12H501H"


@pytest.fixture
def spid(live_server, transactional_db, world, settings):
    # The trust anchor and the provider on a second server of the same application, at
    # another loopback address: their own host, so no cookie is shared with Quartieri's.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.2"]
    elsewhere_server = LiveServer("127.0.0.2")
    portal = f"http://127.0.0.1:{urlparse(live_server.url).port}"
    elsewhere = elsewhere_server.url
    settings.ROOT_URLCONF = "tests.portal.spid_federation"
    # The test provider's login calls authenticate() without the request axes needs.
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    # The provider's consent form sends the browser on to the portal: another origin.
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] += [portal]
    settings.CONTENT_SECURITY_POLICY = policy
    fed = federation.build_federation(elsewhere, portal)
    settings.SPID_CIE_RP_ENTITY_ID = fed.rp.sub
    settings.OIDCFED_TRUST_ANCHORS = [fed.ta.sub]
    settings.OIDCFED_DEFAULT_TRUST_ANCHOR = fed.ta.sub
    settings.OIDCFED_IDENTITY_PROVIDERS = {"spid": {fed.op.sub: fed.ta.sub}, "cie": {}}
    settings.SPID_CIE_PROVIDER_NAMES = {fed.op.sub: "Gestore SPID di prova"}
    UserIdentity.objects.create(user=world.sofia, tax_code=SOFIA_CF)
    federation.provider_user(
        "spid.sofia", fiscal_number=SOFIA_CF, given_name="Sofia", family_name="Bianchi"
    )
    federation.provider_user(
        "spid.giuseppe", fiscal_number=STRANGER_CF, given_name="Giuseppe", family_name="Verdi"
    )
    with pytest.MonkeyPatch.context() as patch:
        # spid-cie-oidc's provider reads the attributes it asserts from user.attributes.
        patch.setattr(
            get_user_model(), "attributes", property(federation.user_attributes), raising=False
        )
        yield portal, world
    federation.IDENTITIES.clear()
    elsewhere_server.stop()


def spid_login(page, portal, username, *, check_wcag=False):
    """From Quartieri's login page to the provider, its login and consent, and back."""
    page.goto(f"{portal}/accounts/login/")
    page.get_by_text("Entra con SPID").click()
    if check_wcag:  # the login page with the SPID providers open
        assert not violations(page), violations(page)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SCREENSHOTS / "spid-login.png", full_page=True)
    page.get_by_role("link", name="Gestore SPID di prova").click()
    page.wait_for_selector("#id_username")
    assert page.url.startswith("http://127.0.0.2:")  # the provider's page, not Quartieri's
    page.fill("#id_username", username)
    page.fill("#id_password", federation.PROVIDER_PASSWORD)
    page.click("#submit")
    page.click("#agree")
    page.wait_for_url(f"{portal}/**")


def test_spid_login_maps_the_account_refuses_strangers_and_logs_out(browser, spid):
    portal, world = spid
    users_before = get_user_model().objects.count()

    page = browser.new_context(locale="it-IT").new_page()
    spid_login(page, portal, "spid.sofia")
    assert page.url == f"{portal}/"
    assert page.locator("h1").first.inner_text() == "I miei progetti"
    assert page.get_by_role("link", name="Valle solidale").first.is_visible()
    token = OidcAuthenticationToken.objects.get(user=world.sofia)
    assert token.revoked is None
    # Her name as SPID asserted it (given_name, family_name).
    assert page.locator(".q-user-name").inner_text() == "Sofia Bianchi"

    # Logging out of Quartieri revokes the token at the provider (RP-initiated logout).
    page.click("#q-user-menu-button")
    page.get_by_role("button", name="Esci").click()
    page.wait_for_url(f"{portal}/accounts/login/**")
    token.refresh_from_db()
    assert token.revoked is not None
    # ...and the provider has it revoked on its side.
    assert IssuedToken.objects.get(access_token=token.access_token).is_revoked
    page.goto(f"{portal}/")
    assert "/accounts/login/" in page.url

    # Somebody SPID knows but Quartieri does not: told whom to ask, not let in.
    stranger = browser.new_context(locale="it-IT").new_page()
    spid_login(stranger, portal, "spid.giuseppe", check_wcag=True)
    assert stranger.locator("h1").inner_text() == "Non hai ancora un'utenza su Quartieri"
    assert "responsabile di progetto" in stranger.content()
    assert not violations(stranger), violations(stranger)
    stranger.screenshot(path=SCREENSHOTS / "spid-unknown.png", full_page=True)
    stranger.goto(f"{portal}/")
    assert "/accounts/login/" in stranger.url
    # Two provider accounts made by the fixture, none by the logins.
    assert get_user_model().objects.count() == users_before
    for tab in (page, stranger):
        tab.context.close()  # no request left to reach the servers as they stop
