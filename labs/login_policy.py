"""How long a login lasts.

Staff keep the portal's default: the session ends after SESSION_COOKIE_AGE (30 minutes)
without a request, and with the browser. A partner operator fills registers on a tablet
in the field, offline for hours (docs/offline.md): their login lasts a working day,
PARTNER_SESSION_AGE (10 hours) from the last request, and survives the browser being
closed. Offline nothing expires on the device: the app works from its copy and sends
the registers once the operator is signed in again.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from labs import access


@receiver(user_logged_in, dispatch_uid="labs.partner_session_age")
def partner_session_lasts_a_working_day(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session") and access.partner_scopes(user):
        request.session.set_expiry(settings.PARTNER_SESSION_AGE)
