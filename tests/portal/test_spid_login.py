"""SPID/CIE login (config/spid.py) without a browser: the callback of spid-cie-oidc's
relying party fed with tokens made here, signed with the provider's key or not, fresh or
expired; the account found by codice fiscale; the entity configuration as published; where
the CIE profile differs from SPID's: the claims asked for, the trust anchor, the ``iss`` of
the answer, the levels of assurance accepted, the page of an unknown codice fiscale.

The whole flow through a real provider and trust anchor is tests/portal/test_spid_browser.py.
"""

import json
import time
from types import SimpleNamespace
from unittest import mock
from urllib.parse import parse_qs, urlparse

import pytest
from cryptojwt.jws.utils import left_hash
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk
from spid_cie_oidc.entity.jwtse import create_jws, unpad_jwt_payload, verify_jws
from spid_cie_oidc.relying_party.models import OidcAuthentication

from config.spid import ACR_KEY, InvalidIdToken, check_id_token
from partners.models import UserIdentity
from partners.relying_party import new_private_jwk, relying_party_configure
from tests.portal.spid_federation import FISCAL_NUMBER, L1, L2, L3, portal_settings

OP = "https://gestore.example/oidc/op"
TA = "https://ta.example"
CIE_OP = "https://cie.example/oidc/op"
CIE_TA = "https://cie-ta.example"
RP = "http://testserver/oidc/rp"
SOFIA_CF = "BNCSFO80A41F205G"
STRANGER_CF = "VRDGPP75C12H501H"
STATE = "s" * 40
NONCE = "n" * 32


@pytest.fixture(scope="module")
def keys():
    """The provider's signing key and another with the same kid (a forger's); Quartieri's
    federation, signing and encryption keys (made once: a second each)."""
    op_key = new_private_jwk("sig")
    forged = {**new_private_jwk("sig"), "kid": op_key["kid"]}
    rp = [new_private_jwk("sig"), new_private_jwk("sig"), new_private_jwk("enc")]
    return SimpleNamespace(op=op_key, forged=forged, rp=rp)


@pytest.fixture
def spid(settings, world, keys):
    """Quartieri as relying party of one SPID provider and of CIE's, each under its own
    trust anchor; Sofia's codice fiscale on record."""
    settings.SPID_CIE_RP_ENTITY_ID = RP
    settings.OIDCFED_IDENTITY_PROVIDERS = {"spid": {OP: TA}, "cie": {CIE_OP: CIE_TA}}
    settings.OIDCFED_TRUST_ANCHORS = [TA, CIE_TA]
    relying_party_configure(
        entity_id=RP,
        authority_hints=[TA, CIE_TA],
        federation_jwk=keys.rp[0],
        core_signing_jwk=keys.rp[1],
        core_encryption_jwk=keys.rp[2],
        options={"organization_name": "Quartieri", "contacts": ["ops@example.it"]},
    )
    UserIdentity.objects.create(user=world.sofia, tax_code=SOFIA_CF)
    return world


def begun(client, op=OP):
    """An authentication request this browser started (what the begin view records)."""
    OidcAuthentication.objects.create(
        client_id=RP,
        state=STATE,
        endpoint=f"{op}/authorization",
        provider_id=op,
        data=json.dumps(
            {"nonce": NONCE, "redirect_uri": f"{RP}/callback", "code_verifier": "v" * 50}
        ),
        provider_configuration={
            "token_endpoint": f"{OP}/token",
            "userinfo_endpoint": f"{OP}/userinfo",
            "revocation_endpoint": f"{OP}/revocation",
            "jwks": {"keys": []},
        },
    )
    session = client.session
    session["spid_cie_states"] = [STATE]
    session.save()


def tokens(keys, *, signer=None, fiscal_number=SOFIA_CF, op=OP, **claims):
    """The provider's token response and userinfo; ``claims`` override the ID token's."""
    now = int(time.time())
    signer = signer or keys.op
    access = create_jws(
        {"iss": op, "sub": "pairwise-1", "aud": [RP], "iat": now, "exp": now + 600, "jti": "a"},
        signer,
    )
    id_claims = {
        "iss": op,
        "sub": "pairwise-1",
        "aud": [RP],
        "iat": now,
        "exp": now + 600,
        "nonce": NONCE,
        "acr": L2,
        "at_hash": left_hash(access, "HS256"),
        "jti": "i",
        **claims,
    }
    response = {
        "access_token": access,
        "id_token": create_jws(id_claims, signer),
        "token_type": "Bearer",
        "expires_in": 600,
    }
    userinfo = {
        "sub": "pairwise-1",
        "given_name": "Sofia",
        "family_name": "Bianchi",
        "email": "sofia.bianchi@posta.example",
        FISCAL_NUMBER: f"TINIT-{fiscal_number}",
    }
    return response, userinfo


def cie_tokens(keys, **claims):
    """CIE's token response and userinfo: the ID token carries the names too."""
    claims = {"given_name": "Sofia", "family_name": "Bianchi", **claims}
    return tokens(keys, op=CIE_OP, **claims)


def come_back(client, keys, response, userinfo, **answer):
    """The browser lands on the callback with ``answer`` besides the code and the state;
    the provider answers the token and userinfo requests with ``response`` and ``userinfo``
    (no network)."""
    op = OidcAuthentication.objects.get(state=STATE).provider_id
    OidcAuthentication.objects.filter(state=STATE).update(
        provider_configuration={
            "token_endpoint": f"{op}/token",
            "userinfo_endpoint": f"{op}/userinfo",
            "jwks": {"keys": [public_jwk_from_private_jwk(keys.op)]},
        }
    )
    token_answer = mock.Mock(status_code=200, content=json.dumps(response).encode())
    userinfo_answer = mock.Mock(status_code=200, json=mock.Mock(return_value=userinfo))
    with (
        mock.patch("spid_cie_oidc.relying_party.oauth2.requests.post", return_value=token_answer),
        mock.patch("spid_cie_oidc.relying_party.oidc.requests.get", return_value=userinfo_answer),
    ):
        return client.get("/oidc/rp/callback", {"code": "c0de", "state": STATE, **answer})


def signed_in_user(client):
    return client.get("/").wsgi_request.user


def test_a_person_is_matched_to_their_account_by_codice_fiscale(client, spid, keys):
    begun(client)
    users_before = get_user_model().objects.count()
    answer = come_back(client, keys, *tokens(keys))
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert signed_in_user(client) == spid.sofia
    spid.sofia.refresh_from_db()
    # Names come from SPID; the e-mail the administrator gave stays.
    assert (spid.sofia.first_name, spid.sofia.last_name) == ("Sofia", "Bianchi")
    assert spid.sofia.email != "sofia.bianchi@posta.example"
    assert get_user_model().objects.count() == users_before


def test_a_lead_who_came_through_spid_is_not_asked_for_a_totp_code(client, spid, keys, settings):
    """SPID L2 is already two factors; the same lead after a password is held at the door."""
    settings.REQUIRE_TWO_FACTOR = True
    UserIdentity.objects.filter(user=spid.sofia).update(user=spid.alice)
    begun(client)
    come_back(client, keys, *tokens(keys))
    assert client.get("/").status_code == 200
    password_client = type(client)()
    password_client.force_login(spid.alice)
    assert "/accounts/verifica/" in password_client.get("/")["Location"]


def test_an_unknown_codice_fiscale_gets_a_page_saying_whom_to_ask(client, spid, keys):
    begun(client)
    users_before = get_user_model().objects.count()
    answer = come_back(client, keys, *tokens(keys, fiscal_number=STRANGER_CF))
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "Non hai ancora un'utenza su Quartieri" in page
    assert "responsabile di progetto" in page and "amministratore del portale" in page
    assert "Il tuo gestore di identità digitale ti ha riconosciuto" in page
    assert STRANGER_CF not in page and "Sofia" not in page
    assert not signed_in_user(client).is_authenticated
    assert get_user_model().objects.count() == users_before


def test_an_inactive_account_is_not_entered(client, spid, keys):
    spid.sofia.is_active = False
    spid.sofia.save()
    begun(client)
    assert come_back(client, keys, *tokens(keys)).status_code == 403
    assert not signed_in_user(client).is_authenticated


@pytest.mark.parametrize(
    "case",
    ["expired", "re-signed by another key", "another nonce", "for another client", "SpidL1"],
)
def test_a_bad_id_token_is_refused(client, spid, keys, case):
    now = int(time.time())
    response, userinfo = {
        "expired": lambda: tokens(keys, iat=now - 4000, exp=now - 3000),
        "re-signed by another key": lambda: tokens(keys, signer=keys.forged),
        "another nonce": lambda: tokens(keys, nonce="x" * 32),
        "for another client": lambda: tokens(keys, aud=["https://other.example/rp"]),
        "SpidL1": lambda: tokens(keys, acr="https://www.spid.gov.it/SpidL1"),
    }[case]()
    begun(client)
    answer = come_back(client, keys, response, userinfo)
    assert answer.status_code in (400, 403), case
    assert "Accesso con SPID o CIE non riuscito" in answer.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_a_tampered_id_token_is_refused(client, spid, keys):
    """The payload of a genuine token swapped for another person's: the signature fails."""
    response, userinfo = tokens(keys)
    header, payload, signature = response["id_token"].split(".")
    other, _ = tokens(keys, sub="pairwise-2")
    response["id_token"] = ".".join([header, other["id_token"].split(".")[1], signature])
    begun(client)
    assert come_back(client, keys, response, userinfo).status_code == 403
    assert not signed_in_user(client).is_authenticated


def test_userinfo_about_somebody_else_is_refused(client, spid, keys):
    response, userinfo = tokens(keys)
    begun(client)
    assert come_back(client, keys, response, {**userinfo, "sub": "pairwise-2"}).status_code == 400
    assert not signed_in_user(client).is_authenticated


def test_an_answer_to_a_request_of_another_browser_is_refused(client, spid, keys):
    """Login CSRF: a victim is sent to the callback with the attacker's code and state."""
    begun(client)
    victim = type(client)()
    answer = come_back(victim, keys, *tokens(keys))
    assert answer.status_code == 400
    assert "avviata da un'altra finestra" in answer.content.decode()
    assert not signed_in_user(victim).is_authenticated


def test_check_id_token_names_every_problem():
    claims = {"iss": OP, "aud": RP, "exp": 100, "iat": 50, "nonce": NONCE, "acr": L2}
    check_id_token(claims, issuer=OP, client_id=RP, nonce=NONCE, now=100)
    with pytest.raises(InvalidIdToken, match="iss, aud, exp, nonce"):
        check_id_token(
            {**claims, "iss": "x", "aud": ["y"], "nonce": "z"},
            issuer=OP,
            client_id=RP,
            nonce=NONCE,
            now=1000,
        )


def test_only_configured_providers_may_be_asked(client, spid):
    answer = client.get(
        "/oidc/rp/authorization", {"provider": "https://evil.example/op", "profile": "spid"}
    )
    assert answer.status_code == 404


def begin(client, keys, provider, profile, **params):
    """The begin view asked for ``provider``; the trust chain the library would resolve over
    the network is made here. The answer, and the library's trust chain resolution."""
    chain = mock.Mock(
        sub=provider,
        jwks=[],
        metadata={
            "openid_provider": {
                "authorization_endpoint": f"{provider}/authorization",
                "jwks": {"keys": [public_jwk_from_private_jwk(keys.op)]},
            }
        },
    )
    with mock.patch(
        "spid_cie_oidc.relying_party.views.get_or_create_trust_chain", return_value=chain
    ) as resolve:
        query = {"provider": provider, "profile": profile, **params}
        return client.get("/oidc/rp/authorization", query), resolve


def request_object(answer) -> dict:
    return unpad_jwt_payload(parse_qs(urlparse(answer["Location"]).query)["request"][0])


@pytest.mark.parametrize("profile, op, anchor", [("spid", OP, TA), ("cie", CIE_OP, CIE_TA)])
def test_a_login_asks_its_provider_through_the_trust_anchor_of_the_profile(
    client, spid, keys, profile, op, anchor
):
    answer, resolve = begin(client, keys, op, profile)
    assert answer.status_code == 302
    assert answer["Location"].startswith(f"{op}/authorization?")
    assert resolve.call_args.kwargs["trust_anchor"] == anchor
    asked = request_object(answer)
    assert asked["acr_values"] == L2
    assert {"given_name", "family_name", FISCAL_NUMBER} <= set(asked["claims"]["userinfo"])


def test_a_cie_login_asks_for_the_names_in_the_id_token_too(client, spid, keys):
    """CIE releases the person's attributes in the ID token as well (SPID only in the
    userinfo): the CIE profile of the request asks for the names there."""
    cie = request_object(begin(client, keys, CIE_OP, "cie")[0])["claims"]["id_token"]
    assert cie == {"given_name": {"essential": True}, "family_name": {"essential": True}}
    spid_claims = request_object(begin(client, keys, OP, "spid")[0])["claims"]["id_token"]
    assert "family_name" not in spid_claims


def test_a_provider_is_trusted_only_through_its_own_trust_anchor(client, spid, keys):
    answer, resolve = begin(client, keys, CIE_OP, "cie", trust_anchor=TA)
    assert answer.status_code == 404 and not resolve.called
    assert begin(client, keys, CIE_OP, "cie", trust_anchor=CIE_TA)[0].status_code == 302
    # CIE's provider is not one of SPID's, nor SPID's one of CIE's.
    assert begin(client, keys, CIE_OP, "spid")[0].status_code == 404
    assert begin(client, keys, OP, "cie")[0].status_code == 404


def test_the_settings_put_each_provider_under_its_federation_trust_anchor():
    """config/settings/base.py, from the variables of docs/operations.md."""
    values = portal_settings(SimpleNamespace(spid_ta=TA, spid_op=OP, cie_ta=CIE_TA, cie_op=CIE_OP))
    assert values["OIDCFED_IDENTITY_PROVIDERS"] == {"spid": {OP: TA}, "cie": {CIE_OP: CIE_TA}}
    assert values["OIDCFED_TRUST_ANCHORS"] == [TA, CIE_TA]
    assert values["SPID_CIE_RP_AUTHORITY_HINTS"] == [TA, CIE_TA]
    assert values["SPID_CIE_ACCEPTED_ACR"] == [L2, L3]


@pytest.mark.parametrize("acr", [L2, L3])
def test_a_person_is_matched_through_cie_at_level_2_or_3(client, spid, keys, acr):
    begun(client, op=CIE_OP)
    answer = come_back(client, keys, *cie_tokens(keys, acr=acr), iss=CIE_OP)
    assert answer.status_code == 302 and answer["Location"] == "/"
    assert signed_in_user(client) == spid.sofia
    assert client.session[ACR_KEY] == acr


@pytest.mark.parametrize("case", ["without iss", "with another iss", "at level 1"])
def test_a_cie_answer_without_its_iss_or_below_level_2_is_refused(client, spid, keys, case):
    """CIE requires the iss of the answer (against mix-up attacks); SPID does not."""
    iss = {"without iss": {}, "with another iss": {"iss": OP}, "at level 1": {"iss": CIE_OP}}
    acr = L1 if case == "at level 1" else L2
    begun(client, op=CIE_OP)
    answer = come_back(client, keys, *cie_tokens(keys, acr=acr), **iss[case])
    assert answer.status_code == 400, case
    assert "Accesso con SPID o CIE non riuscito" in answer.content.decode()
    assert not signed_in_user(client).is_authenticated


def test_an_unknown_codice_fiscale_through_cie_gets_the_page_naming_cie(client, spid, keys):
    begun(client, op=CIE_OP)
    answer = come_back(client, keys, *cie_tokens(keys, fiscal_number=STRANGER_CF), iss=CIE_OP)
    assert answer.status_code == 403
    page = answer.content.decode()
    assert "La Carta d'identità elettronica ha confermato chi sei" in page
    assert "responsabile di progetto" in page and "gestore di identità digitale" not in page
    assert not signed_in_user(client).is_authenticated


def test_the_login_page_offers_spid_and_cie_next_to_the_password(client, spid, settings):
    settings.SPID_CIE_PROVIDER_NAMES = {OP: "Gestore di prova"}
    page = client.get("/accounts/login/").content.decode()
    assert 'id="id_password"' in page
    assert "Entra con SPID" in page and "Gestore di prova" in page and "Entra con CIE" in page
    assert "provider=https%3A//gestore.example/oidc/op&amp;profile=spid" in page
    settings.SPID_CIE_RP_ENTITY_ID = ""
    page = client.get("/accounts/login/").content.decode()
    assert "Entra con SPID" not in page and 'id="id_password"' in page


def test_the_entity_configuration_is_published_signed_by_the_federation_key(client, spid):
    from spid_cie_oidc.entity.models import FederationEntityConfiguration

    conf = FederationEntityConfiguration.objects.get(sub=RP)
    answer = client.get("/oidc/rp/.well-known/openid-federation")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/entity-statement+jwt"
    statement = answer.content.decode()
    verify_jws(statement, public_jwk_from_private_jwk(conf.jwks_fed[0]))
    payload = unpad_jwt_payload(statement)
    assert payload["iss"] == payload["sub"] == RP
    assert payload["authority_hints"] == [TA, CIE_TA]
    relying_party = payload["metadata"]["openid_relying_party"]
    assert relying_party["client_id"] == RP
    assert relying_party["redirect_uris"] == ["http://testserver/oidc/rp/callback"]
    assert {k["use"] for k in relying_party["jwks"]["keys"]} == {"sig", "enc"}
    assert all("d" not in k for k in [*payload["jwks"]["keys"], *relying_party["jwks"]["keys"]])
    keys = client.get("/oidc/rp/openid_relying_party/jwks.json").json()["keys"]
    assert keys == relying_party["jwks"]["keys"]


def test_the_command_writes_the_relying_party_from_the_settings(settings, db):
    settings.SPID_CIE_RP_ENTITY_ID = "https://quartieri.comune.example.it/oidc/rp"
    settings.SPID_CIE_RP = {
        **settings.SPID_CIE_RP,
        "jwk_federation": json.dumps(new_private_jwk("sig")),
        "jwk_core_sig": json.dumps(new_private_jwk("sig")),
        "jwk_core_enc": "",
    }
    with pytest.raises(Exception, match="SPID_CIE_RP_JWK_CORE_ENC"):
        call_command("spid_relying_party")
    call_command("spid_relying_party", "--generate-keys", stdout=mock.Mock())
    from spid_cie_oidc.entity.models import FederationEntityConfiguration

    conf = FederationEntityConfiguration.objects.get(sub=settings.SPID_CIE_RP_ENTITY_ID)
    assert conf.is_active and conf.entity_type == "openid_relying_party"
    assert conf.jwks_fed == [json.loads(settings.SPID_CIE_RP["jwk_federation"])]
    assert [k["use"] for k in conf.jwks_core] == ["sig", "enc"]


def test_a_codice_fiscale_is_validated_and_found_with_or_without_prefix(world):
    identity = UserIdentity(user=world.alice, tax_code="rssmra80a01f205x")
    identity.full_clean()
    identity.save()
    assert identity.tax_code == "RSSMRA80A01F205X"
    for asserted in ("TINIT-RSSMRA80A01F205X", "rssmra80a01f205x"):
        assert UserIdentity.objects.for_fiscal_number(asserted).get().user == world.alice
    with pytest.raises(ValidationError) as error:
        UserIdentity(user=world.sofia, tax_code="RSSMRA80A01F205Y").full_clean()
    assert "carattere di controllo" in str(error.value)
    with pytest.raises(ValidationError, match="già associato"):
        UserIdentity(user=world.sofia, tax_code="RSSMRA80A01F205X").full_clean()
