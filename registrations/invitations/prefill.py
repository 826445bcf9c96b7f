"""The registration form filled in from an invitation's personal link."""

from django.core import signing

from registrations.invitations.models import Invitation
from registrations.invitations.rendering import PREFILL_PARAMETER, PREFILL_SALT

__all__ = ["PREFILL_PARAMETER", "invitation_prefill"]


def invitation_prefill(value):
    """Initial data for the registration form from the signed query value, or None for a
    missing, forged or erased one."""
    if not value or len(value) > 200:
        return None
    try:
        token = signing.loads(value, salt=PREFILL_SALT)
    except signing.BadSignature:
        return None
    invitation = Invitation.objects.select_related("contact").filter(token=str(token)).first()
    contact = invitation.contact if invitation else None
    if contact is None:
        return None
    return {
        "given_name": contact.given_name,
        "name_prefix": contact.name_prefix,
        "family_name": contact.family_name,
        "email": contact.email,
        "organisation": contact.organisation,
        "function": contact.function,
    }
