"""Sending a registration's mails again, on request of the participant or an organiser."""

from django.db import transaction

from registrations.mails.outbox import queue_mail
from registrations.models import Registration


@transaction.atomic
def resend_personal_link(registration_id):
    """Mail the personal link to the registration's own address. Returns the mails recorded.

    Anyone can type an address into the form: the outbox's cap on unsolicited mails keeps
    this from flooding a mailbox (registrations.mails.outbox).
    """
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if not registration.is_active:
        return []
    contact = [p for p in registration.participants.all() if p.email == registration.email]
    return queue_mail(registration, "personal_link", participants=contact or None, resend=True)


@transaction.atomic
def resend_acknowledgement(registration_id, *, by=None):
    """An organiser's explicit resend: a new mail row, the original stays in the log."""
    registration = Registration.objects.get(pk=registration_id)
    if not registration.is_active:
        return []
    kind = "waitlisted" if registration.status == Registration.Status.WAITLISTED else "acknowledgement"
    return queue_mail(registration, kind, resend=True, by=by)
