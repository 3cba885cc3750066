"""The SPID and CIE federations on this machine, for the SPID/CIE login tests: for each,
spid-cie-oidc's own trust anchor and OpenID provider (the apps installed by
config.settings.test), next to Quartieri's relying party, every key generated here, at
run time.

One live server at 127.0.0.2 serves both federations, SPID's at its root and CIE's under
the script name /cie (as a site mounted under a prefix: the library's views and templates
build their URLs under it):

    SPID  trust anchor http://127.0.0.2:PORT/oidc/ta      provider .../oidc/op      (SPID profile)
    CIE   trust anchor http://127.0.0.2:PORT/cie/oidc/ta  provider .../cie/oidc/op  (CIE profile)

Quartieri's relying party is http://127.0.0.1:PORT/oidc/rp, another loopback address, so
the providers' login sessions and Quartieri's never share a cookie (the library's schemas
want an IP address or a host name with a dot). Quartieri's settings for the federations
come from config/settings/base.py, run with the environment a Comune would set
(``portal_settings``), so a CIE misconfigured there fails the tests.

spid-cie-oidc's provider app serves one provider per process, with the profile of a
setting read at import (its example project runs the CIE provider as another site with
``OIDCFED_PROVIDER_PROFILE = "cie"``): ``serve_both_providers`` makes it answer as the
provider at the address asked, with that provider's profile. Its trust anchor's fetch
endpoint answers as the first anchor in the database unless told which: ``anchor_fetch``
tells it, and lets each anchor vouch only for its own subordinates, so that, as in
production, the CIE provider is trusted only through the CIE trust anchor.
"""

import logging
import os
import runpy
from importlib import import_module
from types import SimpleNamespace
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.urls import URLPattern, include, path
from spid_cie_oidc.authority.models import (
    FederationDescendant,
    FederationEntityAssignedProfile,
    FederationEntityProfile,
)
from spid_cie_oidc.authority.views import fetch
from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk
from spid_cie_oidc.entity.models import FederationEntityConfiguration
from spid_cie_oidc.entity.views import entity_configuration
from spid_cie_oidc.provider.exceptions import ValidationException
from spid_cie_oidc.provider.settings import (
    OIDCFED_PROVIDER_PROFILES,
    OIDCFED_PROVIDER_PROFILES_ID_TOKEN_CLAIMS,
)
from spid_cie_oidc.provider.views import OpBase

from partners.relying_party import new_private_jwk, relying_party_configure

logger = logging.getLogger(__name__)

L1, L2, L3 = (f"https://www.spid.gov.it/SpidL{n}" for n in (1, 2, 3))
FISCAL_NUMBER = "https://attributes.eid.gov.it/fiscal_number"
PROVIDER_PASSWORD = "password-del-gestore-123"
SPID_PROVIDER_NAME = "Gestore SPID di prova"
CIE_SCRIPT_NAME = "/cie"
ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
ENCS = ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"]
# Quartieri's settings that config/settings/base.py derives from the federation variables.
FEDERATION_SETTINGS = [
    "SPID_CIE_RP_AUTHORITY_HINTS",
    "OIDCFED_TRUST_ANCHORS",
    "OIDCFED_DEFAULT_TRUST_ANCHOR",
    "OIDCFED_IDENTITY_PROVIDERS",
    "SPID_CIE_PROVIDER_NAMES",
    "OIDCFED_ACR_PROFILES",
    "SPID_CIE_ACCEPTED_ACR",
]

# The state of the test federations, filled by build_federation and provider_user:
IDENTITIES: dict[str, dict] = {}  # attributes each provider asserts, by its username
PROFILES: dict[str, str] = {}  # "spid" or "cie", by provider entity id
SUBORDINATES: dict[str, set[str]] = {}  # entity ids each trust anchor vouches for


def provider_metadata(op: str, core_public: dict, *, profile: str) -> dict:
    """An OpenID provider's metadata as in spid-cie-oidc's example federation; for the
    CIE profile, what CIE's technical rules add (checked with the library's CIE schema)."""
    metadata = {
        "issuer": op,
        "authorization_endpoint": f"{op}/authorization",
        "token_endpoint": f"{op}/token",
        "userinfo_endpoint": f"{op}/userinfo",
        "introspection_endpoint": f"{op}/introspection",
        "revocation_endpoint": f"{op}/revocation",
        "jwks": {"keys": [core_public]},
        "organization_name": SPID_PROVIDER_NAME,
        "contacts": ["ops@localhost"],
        "client_registration_types_supported": ["automatic"],
        "code_challenge_methods_supported": ["S256"],
        "request_authentication_methods_supported": {"ar": ["request_object"]},
        "acr_values_supported": [L2, L3],
        "claims_supported": ["given_name", "family_name", "email", FISCAL_NUMBER],
        "claims_parameter_supported": True,
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "id_token_encryption_alg_values_supported": ["RSA-OAEP"],
        "id_token_encryption_enc_values_supported": ["A128CBC-HS256"],
        "scopes_supported": ["openid", "offline_access"],
        "request_parameter_supported": True,
        "request_uri_parameter_supported": True,
        "require_request_uri_registration": True,
        "response_types_supported": ["code"],
        "subject_types_supported": ["pairwise", "public"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ALGS,
        "userinfo_encryption_alg_values_supported": ["RSA-OAEP", "RSA-OAEP-256"],
        "userinfo_encryption_enc_values_supported": ENCS,
        "userinfo_signing_alg_values_supported": ALGS,
        "request_object_encryption_alg_values_supported": ["RSA-OAEP", "RSA-OAEP-256"],
        "request_object_encryption_enc_values_supported": ENCS,
        "request_object_signing_alg_values_supported": ALGS,
    }
    if profile == "cie":
        metadata.update(
            organization_name="CIE id di prova",
            acr_values_supported=[L1, L2, L3],
            scopes_supported=["openid", "offline_access", "profile", "email"],
            response_modes_supported=["query", "form_post"],
            authorization_response_iss_parameter_supported=True,
            revocation_endpoint_auth_methods_supported=["private_key_jwt"],
        )
        OIDCFED_PROVIDER_PROFILES["cie"]["op_metadata"](**metadata)
    return metadata


def entity_ids(federation_base: str, portal_base: str) -> SimpleNamespace:
    cie_base = federation_base + CIE_SCRIPT_NAME
    return SimpleNamespace(
        spid_ta=f"{federation_base}/oidc/ta",
        spid_op=f"{federation_base}/oidc/op",
        cie_ta=f"{cie_base}/oidc/ta",
        cie_op=f"{cie_base}/oidc/op",
        rp=f"{portal_base}/oidc/rp",
    )


def portal_settings(ids: SimpleNamespace) -> dict:
    """Quartieri's federation settings as config/settings/base.py makes them from the
    environment a Comune sets (docs/operations.md), here for the test federations."""
    environment = {
        "SPID_TRUST_ANCHOR": ids.spid_ta,
        "CIE_TRUST_ANCHOR": ids.cie_ta,
        "SPID_OIDC_PROVIDERS": f"{SPID_PROVIDER_NAME}={ids.spid_op}",
        "CIE_OIDC_PROVIDERS": ids.cie_op,
    }
    base = settings.BASE_DIR / "config" / "settings" / "base.py"
    with mock.patch.dict(os.environ, environment):
        values = runpy.run_path(str(base))
    return {name: values[name] for name in FEDERATION_SETTINGS}


def trust_anchor(sub: str, name: str) -> FederationEntityConfiguration:
    return FederationEntityConfiguration.objects.create(
        sub=sub,
        metadata={
            "federation_entity": {
                "organization_name": name,
                "homepage_uri": sub,
                "contacts": ["ops@localhost"],
                "federation_fetch_endpoint": f"{sub}/fetch",
                "federation_list_endpoint": f"{sub}/list",
                "federation_resolve_endpoint": f"{sub}/resolve",
            }
        },
        jwks_fed=[new_private_jwk("sig")],
        jwks_core=[new_private_jwk("sig")],
        constraints={"max_path_length": 1},
        is_active=True,
    )


def openid_provider(sub: str, *, anchor: str, profile: str) -> FederationEntityConfiguration:
    core = new_private_jwk("sig")
    metadata = provider_metadata(sub, public_jwk_from_private_jwk(core), profile=profile)
    PROFILES[sub] = profile
    return FederationEntityConfiguration.objects.create(
        sub=sub,
        authority_hints=[anchor],
        metadata={
            "openid_provider": metadata,
            "federation_entity": {
                "organization_name": metadata["organization_name"],
                "homepage_uri": sub,
                "contacts": ["ops@localhost"],
            },
        },
        jwks_fed=[new_private_jwk("sig")],
        jwks_core=[core],
        is_active=True,
    )


def subordinate(conf: FederationEntityConfiguration, kind: str, *anchors: str):
    """Register ``conf`` with ``anchors`` (what onboarding does)."""
    for anchor in anchors:
        SUBORDINATES.setdefault(anchor, set()).add(conf.sub)
    return FederationDescendant.objects.create(
        name=conf.metadata["federation_entity"]["organization_name"][:33],
        sub=conf.sub,
        type=kind,
        jwks=[public_jwk_from_private_jwk(k) for k in conf.jwks_fed],
        is_active=True,
    )


def build_federation(ids: SimpleNamespace, *, authority_hints: list[str]) -> SimpleNamespace:
    """Both trust anchors and providers, and Quartieri's relying party under
    ``authority_hints``, with new keys; each anchor registers its provider and the
    relying party, and SPID's gives the relying party its trust mark."""
    spid_ta = trust_anchor(ids.spid_ta, "Trust anchor SPID di prova")
    cie_ta = trust_anchor(ids.cie_ta, "Trust anchor CIE di prova")
    spid_op = openid_provider(ids.spid_op, anchor=ids.spid_ta, profile="spid")
    cie_op = openid_provider(ids.cie_op, anchor=ids.cie_ta, profile="cie")
    rp = relying_party_configure(
        entity_id=ids.rp,
        authority_hints=authority_hints,
        federation_jwk=new_private_jwk("sig"),
        core_signing_jwk=new_private_jwk("sig"),
        core_encryption_jwk=new_private_jwk("enc"),
        options={"organization_name": "Quartieri", "contacts": ["ops@localhost"]},
    )
    subordinate(spid_op, "openid_provider", ids.spid_ta)
    subordinate(cie_op, "openid_provider", ids.cie_ta)
    rp_descendant = subordinate(rp, "openid_relying_party", ids.spid_ta, ids.cie_ta)
    profile = FederationEntityProfile.objects.create(
        name="SPID Public SP",
        profile_category="openid_relying_party",
        profile_id="https://www.spid.gov.it/openid-federation/agreement/sp-public",
        trust_mark_template={"iss": "$.issuer_sub", "sub": "$.sub", "id": "sp-public"},
    )
    FederationEntityAssignedProfile.objects.create(
        descendant=rp_descendant, profile=profile, issuer=spid_ta
    )
    return SimpleNamespace(
        spid=SimpleNamespace(ta=spid_ta, op=spid_op),
        cie=SimpleNamespace(ta=cie_ta, op=cie_op),
        rp=rp,
    )


def provider_user(username: str, *, fiscal_number: str, given_name: str, family_name: str):
    """Somebody the test providers know: they assert these attributes for them."""
    user = get_user_model().objects.create_user(username, password=PROVIDER_PASSWORD)
    IDENTITIES[username] = {
        "given_name": given_name,
        "family_name": family_name,
        "email": f"{username}@posta.example",
        FISCAL_NUMBER: f"TINIT-{fiscal_number}",
    }
    return user


def reset() -> None:
    for state in (IDENTITIES, PROFILES, SUBORDINATES):
        state.clear()


def user_attributes(user) -> dict:
    return dict(IDENTITIES.get(user.username, {}))


# What serve_both_providers puts in place of spid-cie-oidc's provider methods, which
# assume one provider per process (the first in the database, the profile of a setting).
def provider_at(request) -> FederationEntityConfiguration:
    """The test provider whose entity id the requested URL is under."""
    url = request.build_absolute_uri()
    providers = FederationEntityConfiguration.objects.filter(entity_type="openid_provider")
    for conf in providers:
        if url.startswith(conf.sub + "/"):
            return conf
    raise Http404


def _get_issuer(view) -> FederationEntityConfiguration:
    return provider_at(view.request)


def _validate_json_schema(view, payload: dict, schema_type: str, error_description: str):
    profile = PROFILES[provider_at(view.request).sub]
    try:
        OIDCFED_PROVIDER_PROFILES[profile][schema_type](**payload)
    except Exception as error:
        logger.error("%s: %s", error_description, error)
        raise ValidationException() from error


def _get_id_token_claims(view, authz) -> dict:
    """The requested claims the profile puts in the ID token (CIE: the person's names;
    SPID: none)."""
    allowed = OIDCFED_PROVIDER_PROFILES_ID_TOKEN_CLAIMS[PROFILES[provider_at(view.request).sub]]
    requested = authz.authz_request.get("claims", {}).get("id_token", {})
    attributes = authz.user.attributes
    return {c: attributes[c] for c in requested if c in allowed and attributes.get(c)}


def serve_both_providers(patch) -> None:
    """spid-cie-oidc's provider answers as the test provider at the address asked, with
    its profile, and asserts the attributes of IDENTITIES (the library reads them from
    ``user.attributes``, a field of its own user model)."""
    patch.setattr(OpBase, "get_issuer", _get_issuer)
    patch.setattr(OpBase, "validate_json_schema", _validate_json_schema)
    patch.setattr(OpBase, "get_id_token_claims", _get_id_token_claims)
    patch.setattr(get_user_model(), "attributes", property(user_attributes), raising=False)


class CieScriptName:
    """WSGI: the requests under /cie/ reach the application with /cie as their script
    name, as at a site mounted under a prefix: the CIE federation's half of the server."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        path_info = environ.get("PATH_INFO", "")
        if path_info.startswith(CIE_SCRIPT_NAME + "/"):
            environ = {
                **environ,
                "SCRIPT_NAME": CIE_SCRIPT_NAME,
                "PATH_INFO": path_info.removeprefix(CIE_SCRIPT_NAME),
            }
        return self.application(environ, start_response)


@login_not_required
def anchor_fetch(request):
    """The library's fetch endpoint, answering as the trust anchor at the address asked
    and only about that anchor's subordinates."""
    anchor = request.build_absolute_uri(request.path).removesuffix("/fetch")
    if request.GET.get("sub") and request.GET["sub"] not in SUBORDINATES.get(anchor, ()):
        raise Http404
    request.GET = request.GET.copy()
    request.GET["iss"] = anchor
    return fetch(request)


def public(module: str) -> list[URLPattern]:
    """The library's URL patterns, open to anonymous visitors (Quartieri's
    LoginRequiredMiddleware would send the federation's requests to the login page)."""
    return [
        URLPattern(p.pattern, login_not_required(p.callback), p.default_args, p.name)
        for p in import_module(module).urlpatterns
    ]


# URLs of the test servers: Quartieri's, with a trust anchor under /oidc/ta/ and a provider
# under /oidc/op/ (its own URL module's prefix), under the root for SPID and /cie for CIE.
urlpatterns = [
    path("oidc/ta/fetch", anchor_fetch),
    path("oidc/ta/", include(public("spid_cie_oidc.entity.urls"))),
    path("oidc/ta/", include(public("spid_cie_oidc.authority.urls"))),
    path("oidc/op/.well-known/openid-federation", login_not_required(entity_configuration)),
    path("", include(public("spid_cie_oidc.provider.urls"))),
    path("", include("config.urls")),
]
