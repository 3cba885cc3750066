"""Enrolment and verification of the second factor, with the login throttling.

A wrong code counts as a failed login for django-axes (``user_login_failed`` with the
username), so codes and passwords share one counter per username and one per address,
and the same lock (config/login_throttling.py). A right code forgives the username's
failures, as a right password does for those who need no second factor."""

from __future__ import annotations

import time

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

RECOVERY_CODES = 10


def new_key() -> str:
    """A new TOTP secret (hex, 20 bytes), kept in the session until it is confirmed."""
    return random_hex(20)


def config_url(user, key: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return TOTPDevice(user=user, key=key, name="Quartieri").config_url


def key_b32(key: str) -> str:
    """The secret as the app asks for it when typed by hand (base32, in groups of 4)."""
    from base64 import b32encode

    secret = b32encode(bytes.fromhex(key)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(data: str) -> str:
    """The QR code as an inline <svg> drawn here (qrcode's SVG path factory): no image
    service, no PIL, nothing for the Content-Security-Policy to allow."""
    import qrcode
    from qrcode.image.svg import SvgPathImage

    image = qrcode.make(data, image_factory=SvgPathImage, box_size=8, border=2)
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


def credentials(user) -> dict:
    return {"username": user.get_username()}


def is_locked_out(request, user) -> bool:
    return not AxesProxyHandler.is_allowed(request, credentials(user))


def forgive(user) -> None:
    """A right second factor clears the failures counted against the username."""
    AccessAttempt.objects.filter(username=user.get_username()).delete()


def record_failure(request, user) -> None:
    """A wrong code: a failed login for django-axes, which may lock the username and
    the address (it sets ``request.axes_locked_out`` when the limit is reached)."""
    user_login_failed.send(sender=__name__, credentials=credentials(user), request=request)


@transaction.atomic
def two_factor_enrol(*, request, user, key: str, token: str) -> list[str] | None:
    """Confirm the app from its first code: create the TOTP device and the recovery codes,
    mark the session verified, and return the codes (shown once). None if the code is
    wrong. Any earlier device of the user is replaced."""
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if not totp.verify(int(token), tolerance=1):
        return None
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="Quartieri", key=key, confirmed=True, last_t=totp.t()
    )
    recovery = StaticDevice.objects.create(user=user, name="Codici di recupero", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=recovery, token=c) for c in codes])
    otp_login(request, device)
    forgive(user)
    return codes


def two_factor_verify(*, request, user, token: str) -> bool:
    """Check a code: the app's six digits, or a recovery code (deleted once used). On
    success the session is verified; a wrong code counts as a failed login."""
    if token.isdigit() and len(token) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        if device.verify_token(token):
            otp_login(request, device)
            forgive(user)
            return True
    record_failure(request, user)
    return False


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
