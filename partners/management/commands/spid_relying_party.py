"""Write the SPID/CIE relying party's configuration from the settings (the environment in
production) and print its entity configuration URL and public keys.

    manage.py spid_relying_party                  # keys from SPID_CIE_RP_JWK_* (production)
    manage.py spid_relying_party --generate-keys  # development: new keys, printed once
"""

import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from partners.relying_party import (
    load_private_jwk,
    new_private_jwk,
    public_jwks,
    relying_party_configure,
)

KEYS = {
    "jwk_federation": ("SPID_CIE_RP_JWK_FEDERATION", "sig"),
    "jwk_core_sig": ("SPID_CIE_RP_JWK_CORE_SIG", "sig"),
    "jwk_core_enc": ("SPID_CIE_RP_JWK_CORE_ENC", "enc"),
}


class Command(BaseCommand):
    help = "Configura Quartieri come relying party SPID/CIE (OpenID Connect Federation)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--generate-keys",
            action="store_true",
            help="Genera le chiavi mancanti (solo sviluppo e prove; in produzione vengono "
            "dall'ambiente).",
        )

    def handle(self, *args, generate_keys=False, **options):
        entity_id = settings.SPID_CIE_RP_ENTITY_ID
        if not entity_id:
            raise CommandError("SPID_CIE_RP_ENTITY_ID non è impostato: SPID e CIE sono spenti.")
        keys = {}
        for name, (variable, use) in KEYS.items():
            value = settings.SPID_CIE_RP.get(name)
            if value:
                try:
                    keys[name] = load_private_jwk(value, variable)
                except (ImproperlyConfigured, ValueError) as error:
                    raise CommandError(str(error)) from None
            elif generate_keys:
                keys[name] = new_private_jwk(use)
                self.stdout.write(f"{variable}='{json.dumps(keys[name])}'")
            else:
                raise CommandError(f"{variable} non è impostata (o usare --generate-keys).")
        conf = relying_party_configure(
            entity_id=entity_id,
            authority_hints=list(settings.SPID_CIE_RP_AUTHORITY_HINTS),
            federation_jwk=keys["jwk_federation"],
            core_signing_jwk=keys["jwk_core_sig"],
            core_encryption_jwk=keys["jwk_core_enc"],
            trust_marks=json.loads(settings.SPID_CIE_RP.get("trust_marks") or "[]"),
        )
        self.stdout.write(f"Entity configuration: {conf.sub}/.well-known/openid-federation")
        self.stdout.write(json.dumps(public_jwks(conf), indent=2))
