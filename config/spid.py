"""Login with SPID and CIE through OpenID Connect Federation (docs/access.md, "SPID e CIE";
docs/operations.md, "Registering the relying party").

The protocol is spid-cie-oidc's relying party (its begin and callback views, its trust
chain, token and userinfo code). What Quartieri adds around it:

- only the identity providers configured in settings may be asked for (the library would
  resolve a trust chain for any URL given in ``?provider=``);
- the ``state`` of the answer must be one this browser started (the library finds it in
  the database, whoever brings it back), so nobody can log a victim into their account;
- a provider is trusted only through the trust anchor configured for it (the library
  would take another one named in ``?trust_anchor=``), and a CIE answer must name its
  issuer (``iss``, required by CIE against mix-up attacks; the library checks it only
  when present);
- the ID token's issuer, audience, expiry, nonce and assurance level are checked, and the
  userinfo's ``sub`` must be the ID token's: the library checks only signatures;
- the person is found by codice fiscale (partners.UserIdentity); no account is created,
  an unknown codice fiscale gets a page that says whom to ask and nothing else;
- logging out of Quartieri also revokes the token at the provider (RP-initiated logout).
"""

import json
import logging
import time
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.contrib.auth import user_logged_out
from django.contrib.auth import views as auth_views
from django.dispatch import receiver
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from spid_cie_oidc.entity.jwtse import unpad_jwt_payload
from spid_cie_oidc.relying_party.models import OidcAuthentication, OidcAuthenticationToken
from spid_cie_oidc.relying_party.views import SpidCieOidcRp, TokenRequestType
from spid_cie_oidc.relying_party.views.rp_begin import SpidCieOidcRpBeginView
from spid_cie_oidc.relying_party.views.rp_callback import SpidCieOidcRpCallbackView

from partners.models import UserIdentity

logger = logging.getLogger(__name__)

STATES_KEY = "spid_cie_states"  # the authentication requests this browser started
# Set in the session of a SPID/CIE login: its level of assurance (L2 or L3) is already
# two factors, so config/two_factor asks for no TOTP code.
ACR_KEY = "spid_cie_acr"
NEXT_KEY = "spid_cie_next"
MAX_PENDING_STATES = 5
CLOCK_SKEW_SECONDS = 60
ERROR_TEMPLATE = "registration/spid_error.html"


class InvalidIdToken(Exception):
    pass


class UnknownIdentity(Exception):
    pass


def identity_providers(profile: str) -> list[dict]:
    """The providers offered on the login page for ``profile`` ("spid" or "cie"), each
    with its display name and the URL that starts the login."""
    providers = getattr(settings, "OIDCFED_IDENTITY_PROVIDERS", {}).get(profile, {})
    names = getattr(settings, "SPID_CIE_PROVIDER_NAMES", {})
    return [
        {"name": names.get(url) or urlparse(url).hostname, "url": url, "profile": profile}
        for url in providers
    ]


def provider_profile(provider: str) -> str:
    """The profile ("spid" or "cie") under which ``provider`` is configured, or ""."""
    for profile, providers in getattr(settings, "OIDCFED_IDENTITY_PROVIDERS", {}).items():
        if provider in providers:
            return profile
    return ""


def relying_party_enabled() -> bool:
    return bool(getattr(settings, "SPID_CIE_RP_ENTITY_ID", ""))


class LoginView(auth_views.LoginView):
    """Django's login page, with the SPID and CIE buttons when the relying party is on."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if relying_party_enabled():
            context["spid_providers"] = identity_providers("spid")
            context["cie_providers"] = identity_providers("cie")
        return context


def check_id_token(
    claims: dict, *, issuer: str, client_id: str, nonce: str, now: float | None = None
) -> None:
    """Raise InvalidIdToken unless the ID token was issued by ``issuer`` for ``client_id``
    in answer to the request with ``nonce``, has not expired, and asserts an accepted
    level of assurance (SPID L2 or higher). Its signature is checked by the library."""
    now = time.time() if now is None else now
    audience = claims.get("aud")
    audience = [audience] if isinstance(audience, str) else audience or []
    problems = []
    if claims.get("iss") != issuer:
        problems.append("iss")
    if client_id not in audience:
        problems.append("aud")
    if not isinstance(claims.get("exp"), int | float) or claims["exp"] < now - CLOCK_SKEW_SECONDS:
        problems.append("exp")
    if not isinstance(claims.get("iat"), int | float) or claims["iat"] > now + CLOCK_SKEW_SECONDS:
        problems.append("iat")
    if not nonce or claims.get("nonce") != nonce:
        problems.append("nonce")
    if claims.get("acr") not in settings.SPID_CIE_ACCEPTED_ACR:
        problems.append("acr")
    if problems:
        raise InvalidIdToken(", ".join(problems))


def _state_of(response) -> str:
    """The state of the authentication request the library signed into the redirect."""
    request_object = parse_qs(urlparse(response["Location"]).query).get("request", [""])[0]
    return unpad_jwt_payload(request_object).get("state", "")


class BeginView(SpidCieOidcRpBeginView):
    """Starts a login at a configured provider: the library builds and signs the
    authorization request; the state is remembered in this browser's session."""

    error_template = ERROR_TEMPLATE

    def get(self, request, *args, **kwargs):
        profile = request.GET.get("profile", "")
        provider = request.GET.get("provider", "")
        if not relying_party_enabled() or provider not in {
            p["url"] for p in identity_providers(profile)
        }:
            raise Http404
        anchor = settings.OIDCFED_IDENTITY_PROVIDERS[profile][provider]
        if request.GET.get("trust_anchor", anchor) != anchor:
            raise Http404
        response = super().get(request, *args, **kwargs)
        if isinstance(response, HttpResponseRedirect):
            states = request.session.get(STATES_KEY, [])[-(MAX_PENDING_STATES - 1) :]
            request.session[STATES_KEY] = [*states, _state_of(response)]
            next_url = request.GET.get("next", "")
            if url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
                request.session[NEXT_KEY] = next_url
        return response


class CallbackView(SpidCieOidcRpCallbackView):
    """Where the provider sends the browser back: the library exchanges the code and
    verifies the signatures; here the claims are checked and the account is found."""

    error_template = ERROR_TEMPLATE

    def get(self, request, *args, **kwargs):
        states = request.session.get(STATES_KEY, [])
        state = request.GET.get("state", "")
        if state not in states:
            context = {"error": "unknown_state"}
            return render(request, ERROR_TEMPLATE, context, status=400)
        request.session[STATES_KEY] = [s for s in states if s != state]
        next_url = request.session.pop(NEXT_KEY, "")
        authentication = OidcAuthentication.objects.filter(state=state).last()
        provider = authentication.provider_id if authentication else ""
        profile = provider_profile(provider)
        if profile == "cie" and request.GET.get("iss") != provider:
            logger.warning("CIE answer refused: its iss is not %s", provider)
            return render(request, ERROR_TEMPLATE, {"error": "iss"}, status=400)
        try:
            response = super().get(request, *args, **kwargs)
        except UnknownIdentity:
            context = {"profile": profile}
            return render(request, "registration/spid_unknown.html", context, status=403)
        if request.user.is_authenticated and isinstance(response, HttpResponseRedirect):
            request.session[ACR_KEY] = getattr(self, "acr", "")
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        return response

    def access_token_request(self, **kwargs):
        """The library's token request, then the ID token's claims; a refused token
        makes the library answer its "token response not valid" error."""
        token_response = super().access_token_request(**kwargs)
        if not isinstance(token_response, dict):
            return None
        authentication = OidcAuthentication.objects.filter(state=kwargs["state"]).last()
        try:
            claims = unpad_jwt_payload(token_response.get("id_token", ""))
            check_id_token(
                claims,
                issuer=kwargs["issuer_id"],
                client_id=kwargs["client_conf"].sub,
                nonce=json.loads(authentication.data).get("nonce", ""),
            )
        except (InvalidIdToken, ValueError, IndexError) as error:
            logger.warning("SPID/CIE ID token refused (%s) from %s", error, kwargs["issuer_id"])
            return None
        self.id_token_sub, self.acr = claims.get("sub"), claims.get("acr")
        return token_response

    def get_userinfo(self, *args, **kwargs):
        userinfo = super().get_userinfo(*args, **kwargs)
        if userinfo and userinfo.get("sub") != getattr(self, "id_token_sub", None):
            logger.warning("SPID/CIE userinfo refused: its sub is not the ID token's")
            return False
        return userinfo

    def user_reunification(self, user_attrs: dict):
        """The active account whose codice fiscale SPID or CIE asserted, its names
        brought up to date; never a new account."""
        identity = (
            UserIdentity.objects.for_fiscal_number(user_attrs.get("fiscal_number") or "")
            .select_related("user")
            .first()
        )
        if identity is None:
            logger.info("SPID/CIE login of a codice fiscale with no account")
            raise UnknownIdentity
        user = identity.user
        user.first_name = user_attrs.get("first_name") or user.first_name
        user.last_name = user_attrs.get("last_name") or user.last_name
        # The e-mail the portal writes to stays the one the administrator gave, if any.
        user.email = user.email or user_attrs.get("email") or ""
        user.save(update_fields=["first_name", "last_name", "email"])
        user.backend = "django.contrib.auth.backends.ModelBackend"
        return user


@receiver(user_logged_out)
def revoke_provider_tokens(sender, request, user, **kwargs):
    """RP-initiated logout: a user who came in through SPID or CIE is also logged out at
    the provider, by revoking the access token there (the library's revocation request).
    The local logout happens whatever the provider answers."""
    if user is None or request is None:
        return
    tokens = OidcAuthenticationToken.objects.filter(user=user, revoked__isnull=True)
    token = tokens.select_related("authz_request").last()
    if token is None:
        return
    try:
        SpidCieOidcRp().get_token_request(token, request, TokenRequestType.revocation)
    except Exception as error:  # the provider unreachable must not keep anyone logged in
        logger.warning("SPID/CIE token revocation failed: %s", error)
    tokens.update(revoked=timezone.now())
