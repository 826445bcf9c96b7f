"""Sending a registration's mails again, on request of the participant or an organiser."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from registrations.mails.outbox import queue_mail
from registrations.models import Mail, Registration

# Anyone can type an address into the form; at most one link per this period keeps the
# form from being used to flood someone's mailbox.
PERSONAL_LINK_INTERVAL = timedelta(minutes=10)


@transaction.atomic
def resend_personal_link(registration_id, now=None):
    """Mail the personal link to the registration's own address. Returns the mails queued."""
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if not registration.is_active:
        return []
    since = (now or timezone.now()) - PERSONAL_LINK_INTERVAL
    if Mail.objects.filter(registration=registration, kind="personal_link", created_at__gte=since).exists():
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
