"""An organiser's message to an event's participants: whom it reaches, a preview, and
sending it once.

Sending records one Mail per recipient in the outbox, in one transaction with marking the
message sent; the relay hands them to the workers like any other mail. The database's
unique rule on (message, participant) and the lock on the message make a second press of
"send" (or two organisers pressing at once) record nothing more.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from registrations.errors import NotAllowed
from registrations.mails.rendering import render_parts
from registrations.models import Mail, Participant, ParticipantMessage, Registration

KIND = "message"

Audience = ParticipantMessage.Audience
STATUSES = {
    Audience.ALL: Registration.ACTIVE,
    Audience.CONFIRMED: (Registration.Status.CONFIRMED,),
    Audience.WAITING: (Registration.Status.WAITLISTED,),
    # Those who will be in the workshop's room: a place, not a wish on the waiting list.
    Audience.WORKSHOP: Registration.HOLDS_PLACE,
    # Admitted driehoeken are the confirmed ones; every member of the team is written to.
    Audience.ADMITTED_TEAMS: (Registration.Status.CONFIRMED,),
}


def occasion(message):
    return f"bericht-{message.pk}"


def audience(message):
    """The participants the message is meant for, by registration status (and workshop)."""
    participants = Participant.objects.filter(
        registration__event_id=message.event_id,
        registration__status__in=STATUSES[message.audience],
        registration__anonymised_at__isnull=True,
    )
    if message.audience == Audience.WORKSHOP:
        participants = participants.filter(choices__workshop_id=message.workshop_id)
    if message.audience == Audience.ADMITTED_TEAMS:
        participants = participants.filter(registration__event__registration_mode="team")
    return participants.select_related("registration").order_by("pk")


def recipients(message):
    """One participant per address: someone in two registrations (a griffie serving two
    municipalities) reads the message once."""
    seen = set()
    chosen = []
    for participant in audience(message):
        address = participant.email.casefold()
        if address not in seen:
            seen.add(address)
            chosen.append(participant)
    return chosen


def recipient_count(message):
    return len(recipients(message))


def draft_mail(message, participant):
    return Mail(
        registration=participant.registration,
        participant=participant,
        kind=KIND,
        occasion=occasion(message),
        recipient=participant.email,
        message=message,
    )


def preview(message):
    """(subject, text, html) of the message's first mail as it reads now (once sent), or as
    its first recipient would get it; None while nobody is in the group."""
    sent = message.mails.filter(is_resend=False).select_related("registration__event__venue", "participant")
    first = sent.order_by("pk").first()
    if first is None:
        found = audience(message).first()
        if found is None:
            return None
        first = draft_mail(message, found)
    return render_parts(first)


@transaction.atomic
def send_message(message_id, *, by=None, now=None):
    """Record the message's mail for every recipient; returns how many were recorded.

    A message is sent once: a second call finds it sent and records nothing. Refused (and
    nothing stored) when the event is cancelled or nobody is in the chosen group.
    """
    message = ParticipantMessage.objects.select_for_update().select_related("event").get(pk=message_id)
    if message.sent_at is not None:
        return 0
    if message.event.status == Event.Status.CANCELLED:
        raise NotAllowed(_("Dit evenement is geannuleerd; er gaat geen bericht meer naar de deelnemers."))
    chosen = recipients(message)
    if not chosen:
        raise NotAllowed(_("In deze groep zit (nog) niemand; er is niets verstuurd."))
    mails = [draft_mail(message, participant) for participant in chosen]
    for mail in mails:
        mail.requested_by = by
    Mail.objects.bulk_create(mails)
    message.sent_at = now or timezone.now()
    message.sent_by = by
    message.save(update_fields=["sent_at", "sent_by"])
    return len(mails)
