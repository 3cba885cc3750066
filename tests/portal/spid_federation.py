"""A SPID federation on this machine, for the SPID/CIE login tests: spid-cie-oidc's own
trust anchor and OpenID provider (the apps installed by config.settings.test) next to
Quartieri's relying party, every key generated here, at run time.

The trust anchor and the provider are reached as http://127.0.0.2:PORT/oidc/ta and
/oidc/op, the relying party as http://127.0.0.1:PORT/oidc/rp: the same application served
at two loopback addresses, so the provider's login session and Quartieri's never share a
cookie (the library's schemas want an IP address or a host name with a dot).
"""

from importlib import import_module
from types import SimpleNamespace

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.urls import URLPattern, include, path
from spid_cie_oidc.authority.models import (
    FederationDescendant,
    FederationEntityAssignedProfile,
    FederationEntityProfile,
)
from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk
from spid_cie_oidc.entity.models import FederationEntityConfiguration
from spid_cie_oidc.entity.views import entity_configuration

from partners.relying_party import new_private_jwk, relying_party_configure

L2 = "https://www.spid.gov.it/SpidL2"
PROVIDER_PASSWORD = "password-del-gestore-123"
ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
ENCS = ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"]


def provider_metadata(op: str, core_public: dict) -> dict:
    """An OpenID provider's metadata as in spid-cie-oidc's example federation."""
    return {
        "issuer": op,
        "authorization_endpoint": f"{op}/authorization",
        "token_endpoint": f"{op}/token",
        "userinfo_endpoint": f"{op}/userinfo",
        "introspection_endpoint": f"{op}/introspection",
        "revocation_endpoint": f"{op}/revocation",
        "jwks": {"keys": [core_public]},
        "organization_name": "Gestore SPID di prova",
        "contacts": ["ops@localhost"],
        "client_registration_types_supported": ["automatic"],
        "code_challenge_methods_supported": ["S256"],
        "request_authentication_methods_supported": {"ar": ["request_object"]},
        "acr_values_supported": [L2, "https://www.spid.gov.it/SpidL3"],
        "claims_supported": [
            "given_name",
            "family_name",
            "email",
            "https://attributes.eid.gov.it/fiscal_number",
        ],
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


def build_federation(federation_base: str, portal_base: str) -> SimpleNamespace:
    """Trust anchor, provider and relying party with new keys; the anchor registers the
    other two as its descendants and gives the relying party its SPID trust mark."""
    ta, op, rp = (
        f"{federation_base}/oidc/ta",
        f"{federation_base}/oidc/op",
        f"{portal_base}/oidc/rp",
    )
    ta_conf = FederationEntityConfiguration.objects.create(
        sub=ta,
        metadata={
            "federation_entity": {
                "organization_name": "Trust anchor di prova",
                "homepage_uri": ta,
                "contacts": ["ops@localhost"],
                "federation_fetch_endpoint": f"{ta}/fetch",
                "federation_list_endpoint": f"{ta}/list",
                "federation_resolve_endpoint": f"{ta}/resolve",
            }
        },
        jwks_fed=[new_private_jwk("sig")],
        jwks_core=[new_private_jwk("sig")],
        constraints={"max_path_length": 1},
        is_active=True,
    )
    op_core = new_private_jwk("sig")
    op_conf = FederationEntityConfiguration.objects.create(
        sub=op,
        authority_hints=[ta],
        metadata={
            "openid_provider": provider_metadata(op, public_jwk_from_private_jwk(op_core)),
            "federation_entity": {
                "organization_name": "Gestore SPID di prova",
                "homepage_uri": op,
                "contacts": ["ops@localhost"],
            },
        },
        jwks_fed=[new_private_jwk("sig")],
        jwks_core=[op_core],
        is_active=True,
    )
    rp_conf = relying_party_configure(
        entity_id=rp,
        authority_hints=[ta],
        federation_jwk=new_private_jwk("sig"),
        core_signing_jwk=new_private_jwk("sig"),
        core_encryption_jwk=new_private_jwk("enc"),
        options={"organization_name": "Quartieri", "contacts": ["ops@localhost"]},
    )
    profile = FederationEntityProfile.objects.create(
        name="SPID Public SP",
        profile_category="openid_relying_party",
        profile_id="https://www.spid.gov.it/openid-federation/agreement/sp-public",
        trust_mark_template={"iss": "$.issuer_sub", "sub": "$.sub", "id": "sp-public"},
    )
    for conf, kind in ((op_conf, "openid_provider"), (rp_conf, "openid_relying_party")):
        descendant = FederationDescendant.objects.create(
            name=conf.sub,
            sub=conf.sub,
            type=kind,
            jwks=[public_jwk_from_private_jwk(k) for k in conf.jwks_fed],
            is_active=True,
        )
        if kind == "openid_relying_party":
            FederationEntityAssignedProfile.objects.create(
                descendant=descendant, profile=profile, issuer=ta_conf
            )
    return SimpleNamespace(ta=ta_conf, op=op_conf, rp=rp_conf)


def provider_user(username: str, *, fiscal_number: str, given_name: str, family_name: str):
    """Somebody the test provider knows: it asserts these attributes for them."""
    user = get_user_model().objects.create_user(username, password=PROVIDER_PASSWORD)
    IDENTITIES[username] = {
        "given_name": given_name,
        "family_name": family_name,
        "email": f"{username}@posta.example",
        "https://attributes.eid.gov.it/fiscal_number": f"TINIT-{fiscal_number}",
    }
    return user


# The attributes the test provider asserts, by its own username (spid-cie-oidc's provider
# reads them from ``user.attributes``, a field of its own user model).
IDENTITIES: dict[str, dict] = {}


def user_attributes(user) -> dict:
    return dict(IDENTITIES.get(user.username, {}))


def public(module: str) -> list[URLPattern]:
    """The library's URL patterns, open to anonymous visitors (Quartieri's
    LoginRequiredMiddleware would send the federation's requests to the login page)."""
    return [
        URLPattern(p.pattern, login_not_required(p.callback), p.default_args, p.name)
        for p in import_module(module).urlpatterns
    ]


# URLs of the test server: Quartieri's, with the trust anchor under /oidc/ta/ and the
# provider under /oidc/op/ (its own URL module's prefix).
urlpatterns = [
    path("oidc/ta/", include(public("spid_cie_oidc.entity.urls"))),
    path("oidc/ta/", include(public("spid_cie_oidc.authority.urls"))),
    path("oidc/op/.well-known/openid-federation", login_not_required(entity_configuration)),
    path("", include(public("spid_cie_oidc.provider.urls"))),
    path("", include("config.urls")),
]
