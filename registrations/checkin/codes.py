"""What the QR code on a PDF confirmation carries: a signed reference, not an id.

The payload is the participant's own random check-in code, signed with the site's secret
so that a code cannot be forged or guessed, and useless for anything but the door.
"""

from django.core import signing

SALT = "regiodag.checkin"


def checkin_payload(participant):
    return signing.dumps(participant.checkin_code, salt=SALT, compress=False)


def checkin_code_from_payload(payload):
    """The participant's check-in code, or None if the payload is not one of ours."""
    try:
        return signing.loads(payload.strip(), salt=SALT)
    except signing.BadSignature:
        return None
