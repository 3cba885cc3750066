"""Who must give a second factor, and the middleware that holds them at the door.

A project lead (a ``lead`` role in any project) and an administrator (``is_staff`` or
superuser) who signed in with a password reach nothing but the two-factor pages until
they have given a code: the verification page when they have a device, the enrolment
page when they have none. Everyone else (social workers, partner operators, regional
officers) is never asked. ``REQUIRE_TWO_FACTOR`` turns the rule on (production) or off
(development and the demo, so that ``make run`` logins stay one step).
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

from labs.models import ProjectRole

# Pages a user held at the door may still open: the two-factor pages themselves, logout,
# the language switch and the public pages.
OPEN_URL_NAMES = {
    "two_factor:verify",
    "two_factor:enrol",
    "logout",
    "login",
    "set_language",
    "accessibility",
    "privacy",
    "health",
}


def needs_second_factor(user) -> bool:
    """Project leads and administrators; decided on the roles held, whatever the
    partnership's state, so that a lead never slips through while a membership lapses."""
    if user is None or not (user.is_authenticated and user.is_active):
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_quartieri_needs_otp", None)
    if cached is None:
        cached = ProjectRole.objects.filter(user=user, role=ProjectRole.Role.LEAD).exists()
        user._quartieri_needs_otp = cached
    return cached


def is_verified(user) -> bool:
    """The session has given a second factor (django-otp's OTPMiddleware sets it)."""
    return bool(getattr(user, "is_verified", lambda: False)())


def must_verify(user) -> bool:
    return settings.REQUIRE_TWO_FACTOR and needs_second_factor(user) and not is_verified(user)


class TwoFactorMiddleware:
    """Sends a lead or administrator without a second factor in this session to the
    verification page (or to enrolment, without a device), for every page, the Django
    admin included. After django_otp.middleware.OTPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not must_verify(request.user):
            return None
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_URL_NAMES:
            return None
        target = "two_factor:verify" if user_has_device(request.user) else "two_factor:enrol"
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
