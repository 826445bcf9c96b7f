"""Which invitation mails should no longer leave when a worker takes them up."""

from events.models import Event
from registrations.invitations.mailings import REMINDER, registered
from registrations.invitations.models import Invitation


def reason_to_skip(mail):
    """Why this invitation (or reminder) should no longer leave, or '' if it should."""
    invitation = mail.invitation
    contact = invitation.contact
    if contact is None:
        return "erased"
    if contact.unsubscribed_at:
        return "unsubscribed"
    mailing = invitation.mailing
    if mailing.event_id and mailing.event.status == Event.Status.CANCELLED:
        return "event cancelled"
    if mail.kind == REMINDER and Invitation.objects.filter(pk=invitation.pk).filter(registered(mailing)).exists():
        return "registered"
    return ""
