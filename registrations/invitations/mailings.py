"""Sending a mailing: choosing its contacts, recording one invitation mail per contact in
the outbox, and the reminder before the deadline.

Recording is all that happens here (a few bulk inserts in one transaction); the relay and
the workers send the mails like every other (registrations.mails). The database's unique
rules (one invitation per contact and mailing, one mail per invitation and kind) make a
second send, or two sends at once, record nothing twice.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from events.models import Event
from events.municipalities import municipalities
from registrations.invitations.models import Contact, Invitation, Mailing
from registrations.models import Mail, Participant, Registration

logger = logging.getLogger(__name__)

INVITATION = "invitation"
REMINDER = "invitation_reminder"
KINDS = (INVITATION, REMINDER)
# Rows per INSERT: keeps statements within SQLite's variable limit.
INSERT_BATCH = 500


def mailing_events(mailing):
    if mailing.event_id:
        return Event.objects.filter(pk=mailing.event_id)
    return Event.objects.filter(series_id=mailing.series_id)


def audience(mailing):
    """The contacts a mailing goes to: its organisation's, not unsubscribed, chosen by the
    mailing's audience."""
    contacts = Contact.objects.filter(owner_id=mailing.owner_id, unsubscribed_at__isnull=True)
    value = mailing.audience_value.strip()
    if mailing.audience == Mailing.Audience.ROLE:
        contacts = contacts.filter(role=value.lower())
    elif mailing.audience == Mailing.Audience.MUNICIPALITY:
        contacts = contacts.filter(municipality__iexact=value)
    elif mailing.audience == Mailing.Audience.PROVINCE:
        names = [m.name for m in municipalities() if m.province.lower() == value.lower()]
        contacts = contacts.filter(municipality__in=names)
    return contacts


def registered(mailing):
    """Exists() for an invitation whose contact holds an active registration (under their
    address) for the mailing's event or one of its series' events."""
    return Exists(
        Participant.objects.filter(
            email=OuterRef("contact__email"),
            registration__event__in=mailing_events(mailing),
            registration__status__in=Registration.ACTIVE,
        )
    )


def send_mailing(mailing_id, now=None):
    """Record the invitation mail of every contact in the mailing's audience; returns how
    many were recorded. Calling it again records only what is missing (new contacts)."""
    now = now or timezone.now()
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing_id)
        contact_ids = list(audience(mailing).values_list("pk", flat=True))
        Invitation.objects.bulk_create(
            [Invitation(mailing=mailing, contact_id=pk) for pk in contact_ids],
            batch_size=INSERT_BATCH,
            ignore_conflicts=True,
        )
        count = record_mails(mailing, INVITATION, Invitation.objects.filter(mailing=mailing, contact__in=contact_ids))
        if mailing.recorded_at is None:
            mailing.recorded_at = now
            mailing.save(update_fields=["recorded_at"])
    logger.info("Mailing %s: %s invitations recorded", mailing_id, count)
    return count


def record_mails(mailing, kind, invitations):
    """A ``kind`` mail for each of ``invitations`` that lacks one (the caller's transaction)."""
    has_mail = Mail.objects.filter(invitation=OuterRef("pk"), kind=kind)
    pending = invitations.filter(~Exists(has_mail)).values_list("pk", "contact__email")
    mails = [Mail(invitation_id=pk, kind=kind, recipient=email) for pk, email in pending]
    Mail.objects.bulk_create(mails, batch_size=INSERT_BATCH, ignore_conflicts=True)
    return len(mails)


def send_due_mailings(now=None):
    """The sweep's part: send every mailing whose moment has come; returns their ids."""
    now = now or timezone.now()
    due = list(
        Mailing.objects.filter(recorded_at__isnull=True, send_at__lte=now)
        .order_by("send_at")
        .values_list("pk", flat=True)
    )
    for pk in due:
        send_mailing(pk, now)
    return due


def deadline(mailing):
    """The moment the reminder counts back from: the chosen step's, else the moment
    registration closes (for a series: its last event's)."""
    if mailing.deadline_step_id:
        return mailing.deadline_step.starts_at
    moments = [event.registration_deadline for event in mailing_events(mailing)]
    return max(moments) if moments else None


def reminder_due(mailing, now):
    if mailing.reminder_days_before is None or mailing.recorded_at is None or mailing.reminded_at:
        return False
    until = deadline(mailing)
    if until is None:
        return False
    return until - timedelta(days=mailing.reminder_days_before) <= now < until


def send_reminder(mailing_id, now=None):
    """Record the reminder for every invited contact who neither registered nor
    unsubscribed and whose invitation was sent; returns how many were recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing_id)
        invitations = (
            Invitation.objects.filter(mailing=mailing, contact__unsubscribed_at__isnull=True)
            .filter(Exists(Mail.objects.filter(invitation=OuterRef("pk"), kind=INVITATION, status=Mail.Status.SENT)))
            .filter(~registered(mailing))
        )
        count = record_mails(mailing, REMINDER, invitations)
        mailing.reminded_at = now
        mailing.save(update_fields=["reminded_at"])
    logger.info("Mailing %s: %s reminders recorded", mailing_id, count)
    return count


def send_due_reminders(now=None):
    now = now or timezone.now()
    candidates = Mailing.objects.filter(
        reminder_days_before__isnull=False, recorded_at__isnull=False, reminded_at__isnull=True
    ).select_related("deadline_step")
    due = [mailing.pk for mailing in candidates if reminder_due(mailing, now)]
    for pk in due:
        send_reminder(pk, now)
    return due


def sweep(now=None):
    """Run by the five-minute sweep: due mailings and due reminders."""
    return {"mailings": send_due_mailings(now), "reminders": send_due_reminders(now)}
