"""Sending a recorded mail exactly once.

The mail row is locked (skipping rows another worker holds) from before sending until the
status is written, so two workers, two sweeps or a redelivered task can never both send
it. What remains is the window between the SMTP server accepting the message and our
commit: a crash exactly there would send it again, which we accept over losing it.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from registrations.mails.rendering import build_message
from registrations.models import Mail

logger = logging.getLogger(__name__)

# Mails that are still unsent this long after being recorded are picked up by the sweep;
# younger ones are presumably on their way through the broker.
STALE_AFTER = timedelta(minutes=2)


class DeliveryFailed(Exception):
    """Sending failed for a reason worth retrying (the mail stays queued)."""


def deliver(mail_id, now=None):
    """Send one queued mail. Returns True if this call sent it."""
    with transaction.atomic():
        mail = (
            Mail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("registration__event__venue", "participant")
            .filter(pk=mail_id, status__in=[Mail.Status.QUEUED, Mail.Status.FAILED])
            .first()
        )
        if mail is None:
            return False  # sent already, or another worker is sending it right now
        if not mail.registration.is_active and mail.kind not in CANCELLED_MAY_RECEIVE:
            mail.status = Mail.Status.SKIPPED
            mail.save(update_fields=["status"])
            return False
        mail.attempts += 1
        try:
            build_message(mail).send()
        except Exception as exc:
            mail.status = Mail.Status.FAILED
            mail.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            mail.save(update_fields=["status", "attempts", "last_error"])
            logger.warning("Mail %s failed on attempt %s: %s", mail.pk, mail.attempts, type(exc).__name__)
            raise DeliveryFailed(str(exc)) from exc
        mail.status = Mail.Status.SENT
        mail.sent_at = now or timezone.now()
        mail.last_error = ""
        mail.save(update_fields=["status", "sent_at", "attempts", "last_error"])
        return True


# Mails that still make sense once a registration is no longer active.
CANCELLED_MAY_RECEIVE = {"cancelled", "declined", "event_cancelled"}


def pending_mail_ids(now=None, limit=500):
    """Queued or failed mails old enough that no task is expected to be carrying them."""
    now = now or timezone.now()
    return list(
        Mail.objects.filter(
            status__in=[Mail.Status.QUEUED, Mail.Status.FAILED], created_at__lte=now - STALE_AFTER, attempts__lt=10
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
