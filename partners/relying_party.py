"""Quartieri as a relying party of the SPID and CIE OpenID Connect federations: its keys
and metadata, written where spid-cie-oidc reads them (a FederationEntityConfiguration
row). ``manage.py spid_relying_party`` runs it at deploy time from the environment
(docs/operations.md, "Registering the relying party in the SPID/CIE federation")."""

import json
from urllib.parse import urlparse

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from spid_cie_oidc.entity.jwks import create_jwk, public_jwk_from_private_jwk
from spid_cie_oidc.entity.models import FederationEntityConfiguration

PRIVATE_RSA_MEMBERS = {"kty", "n", "e", "d", "p", "q", "kid"}


def new_private_jwk(use: str) -> dict:
    """A new 2048-bit RSA key as a private JWK, its kid the key's thumbprint."""
    jwk = create_jwk()
    jwk["use"] = use
    jwk["alg"] = "RS256" if use == "sig" else "RSA-OAEP"
    return jwk


def load_private_jwk(value: str | dict, name: str) -> dict:
    """A private RSA JWK given as JSON (an environment variable), checked."""
    jwk = json.loads(value) if isinstance(value, str) else value
    if not isinstance(jwk, dict) or not PRIVATE_RSA_MEMBERS <= set(jwk) or jwk["kty"] != "RSA":
        raise ImproperlyConfigured(f"{name} must be a private RSA JWK with a kid (JSON).")
    return jwk


def relying_party_metadata(
    entity_id: str, *, core_jwks: list[dict], options: dict | None = None
) -> dict:
    """The metadata Quartieri publishes in its entity configuration: as an OpenID relying
    party (client id, callback, public core keys) and as a federation entity."""
    options = options or settings.SPID_CIE_RP
    origin = "{0.scheme}://{0.netloc}".format(urlparse(entity_id))
    public_keys = [public_jwk_from_private_jwk(jwk) for jwk in core_jwks]
    for public, private in zip(public_keys, core_jwks, strict=True):
        public.update(use=private.get("use", "sig"), alg=private.get("alg", "RS256"))
    contacts = list(options["contacts"])
    return {
        "openid_relying_party": {
            "application_type": "web",
            "client_id": entity_id,
            "client_registration_types": ["automatic"],
            "client_name": options["organization_name"],
            "organization_name": options["organization_name"],
            "contacts": contacts,
            # The encryption key first: providers encrypt the userinfo with it.
            "jwks": {"keys": sorted(public_keys, key=lambda k: k["use"] != "enc")},
            "grant_types": ["refresh_token", "authorization_code"],
            "redirect_uris": [origin + reverse("spid_cie_rp_callback")],
            "response_types": ["code"],
            "subject_type": "pairwise",
            "token_endpoint_auth_method": "private_key_jwt",
            "id_token_signed_response_alg": "RS256",
            "userinfo_signed_response_alg": "RS256",
            "userinfo_encrypted_response_alg": "RSA-OAEP",
            "userinfo_encrypted_response_enc": "A256CBC-HS512",
        },
        "federation_entity": {
            "organization_name": options["organization_name"],
            "homepage_uri": options.get("homepage_uri") or origin,
            "policy_uri": options.get("policy_uri") or origin + reverse("privacy"),
            "contacts": contacts,
        },
    }


@transaction.atomic
def relying_party_configure(
    *,
    entity_id: str,
    authority_hints: list[str],
    federation_jwk: dict,
    core_signing_jwk: dict,
    core_encryption_jwk: dict,
    trust_marks: list[dict] | None = None,
    options: dict | None = None,
) -> FederationEntityConfiguration:
    """Write (or rewrite) the relying party's configuration: the one active entity of
    type openid_relying_party. The signing key comes first in jwks_core: spid-cie-oidc
    signs request objects and client assertions with the first core key."""
    core = [core_signing_jwk, core_encryption_jwk]
    conf = FederationEntityConfiguration.objects.filter(sub=entity_id).first()
    conf = conf or FederationEntityConfiguration(sub=entity_id)
    conf.authority_hints = authority_hints
    conf.jwks_fed = [federation_jwk]
    conf.jwks_core = core
    conf.trust_marks = trust_marks or []
    conf.metadata = relying_party_metadata(entity_id, core_jwks=core, options=options)
    conf.is_active = True
    conf.save()
    FederationEntityConfiguration.objects.filter(
        entity_type="openid_relying_party", is_active=True
    ).exclude(pk=conf.pk).update(is_active=False)
    return conf


def public_jwks(conf: FederationEntityConfiguration) -> dict:
    """The public keys to hand to the federation's registry at onboarding."""
    return {
        "federation": [public_jwk_from_private_jwk(k) for k in conf.jwks_fed],
        "core": conf.metadata["openid_relying_party"]["jwks"]["keys"],
    }
