"""The second factor of a staff account: a TOTP app, with recovery codes for when it is lost.

Built on django-otp's devices; the views only ask and answer.
"""

from base64 import b32encode

import segno
from django.db import transaction
from django_otp import devices_for_user, verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"


def device_for_code(user, code):
    """The confirmed device of ``user`` that accepts ``code`` (and uses it up), or None."""
    # Six digits are an app's code, anything else a recovery code: only the device that can
    # match is asked, so a recovery code does not count as a wrong try against the app.
    kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    for device in devices_for_user(user):
        if isinstance(device, kind) and verify_token(user, device.persistent_id, code):
            return device
    return None


def pending_app(user):
    """The not yet confirmed TOTP device of ``user``, made on first asking; its key stays until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def secret_for_typing(device):
    """The key as an app asks for it when the QR code cannot be scanned, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(device):
    """The app's set-up link as an SVG image in a data: URI (the pages' CSP allows data: images)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def confirm_app(user, device, code):
    """Confirm ``device`` with a code from the app; returns the new recovery codes, or None."""
    if verify_token(user, device.persistent_id, code) is None:
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return new_recovery_codes(user)


def new_recovery_codes(user):
    """Replace the recovery codes of ``user``; each works once, and the page shows them once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
