"""What organisers do with mails: preview, send the definitive confirmation now, resend.

Each operation is one transaction; the admin only calls these.
"""

from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from registrations.errors import NotAllowed
from registrations.mails.outbox import dispatch, queue_mail
from registrations.mails.rendering import render_parts
from registrations.models import Mail, Registration

DEFINITIVE = "definitive_confirmation"
# Kinds not owed to a registration: what an organiser wrote (previewed with the message) and
# invitations to contacts (previewed per contact with their mailing).
WRITTEN_KINDS = {"message", "invitation", "invitation_reminder"}


def mail_kinds():
    """Every kind of mail that has templates and is owed to a registration, in a stable order."""
    folder = Path(settings.BASE_DIR) / "templates" / "mails"
    return sorted(path.parent.name for path in folder.glob("*/body.html") if path.parent.name not in WRITTEN_KINDS)


def preview(registration, kind, participant=None):
    """(subject, text, html) of ``kind`` for this registration as it would be sent now."""
    participant = participant or registration.participants.first()
    if participant is None or kind not in mail_kinds():
        raise NotAllowed()
    draft = Mail(registration=registration, participant=participant, kind=kind, recipient=participant.email)
    return render_parts(draft)


@transaction.atomic
def send_definitive_confirmation_now(registration_id, *, by=None):
    """Record the definitive confirmation now instead of at the sweep; returns the new mails.

    Participants who already have it get nothing new: that takes a deliberate resend.
    """
    registration = Registration.objects.select_for_update().select_related("event").get(pk=registration_id)
    if registration.status != Registration.Status.CONFIRMED or registration.event.status != Event.Status.PUBLISHED:
        raise NotAllowed(
            _("Alleen een bevestigde aanmelding voor een gepubliceerd evenement krijgt een definitieve bevestiging.")
        )
    return queue_mail(registration, DEFINITIVE, by=by)


@transaction.atomic
def resend(mail_id, *, by=None):
    """Record a deliberate copy of a mail for the same participant, marked as a resend."""
    original = Mail.objects.select_related("registration", "participant").get(pk=mail_id)
    if original.invitation_id:
        return []  # an invitation goes once per contact and mailing, never again
    return queue_mail(
        original.registration,
        original.kind,
        occasion=original.occasion,
        participants=[original.participant],
        resend=True,
        by=by,
        message=original.message,
    )


def send_waiting_now(mail_ids):
    """Hand queued mails to the workers at once, rather than at their next attempt."""
    ids = set(mail_ids)
    now = timezone.now()
    # An organiser's deliberate "now" is the one thing that moves a mail's retry schedule
    # forward; the workers claim only mails that are due.
    Mail.objects.filter(pk__in=ids, status=Mail.Status.QUEUED).update(next_attempt_at=now)
    waiting = [
        (pk, kind) for pk, kind in Mail.objects.filter(pk__in=ids, status=Mail.Status.QUEUED).values_list("pk", "kind")
    ]
    handed = dispatch(waiting)
    Mail.objects.filter(pk__in=handed, status=Mail.Status.QUEUED).update(handed_over_at=now)
    return len(handed)
