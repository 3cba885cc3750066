"""Login throttling with django-axes; the rules and their trade-offs are in docs/access.md
("Login and session").

Failures are counted per address (any username) and per username (any address); either
count reaching AXES_FAILURE_LIMIT within AXES_COOLOFF_TIME suspends logins for that
address or that username until the cool-off has passed."""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import views as auth_views


def client_ip(request) -> str:
    """The browser's address. Behind our reverse proxy (REMOTE_ADDR in TRUSTED_PROXY_IPS)
    it is the last address in X-Forwarded-For, the one the proxy appended; anything
    before it was written by the client and is ignored, so a client cannot choose the
    address its failures are counted against. Without this every request would come
    from the proxy and one address's lockout would lock everyone out."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in settings.TRUSTED_PROXY_IPS:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if hops:
            return hops[-1]
    return remote


class LoginAttemptsHandler(AxesDatabaseHandler):
    """Axes' database handler, except that a successful login forgets only the failures
    of the username that signed in. Axes' own reset deletes every failure matching the
    request's lockout parameters, address included: anyone with an account could then
    clear, from their address, the failures counted against other people's usernames."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        from config.two_factor.policy import must_verify

        # A lead's right password is only half a login: their failures (wrong codes
        # included) are forgiven by the right code (config/two_factor/services.py), or a
        # stolen password would reset the count between guesses of the code.
        if must_verify(getattr(request, "user", None)):
            return 0
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Setting a new password through the link sent by e-mail also lifts the lockout of
    that username: whoever locked it, the owner of the mailbox gets back in at once."""

    def form_valid(self, form):
        response = super().form_valid(form)
        reset(username=form.user.get_username())
        return response
