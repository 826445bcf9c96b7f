"""Sending a recorded mail exactly once.

The mail row is locked (skipping rows another worker holds) from before sending until the
status is written, so two workers, two sweeps or a redelivered task can never both send
it. What remains is the window between the SMTP server accepting the message and our
commit: a crash exactly there would send it again, which we accept over losing it.
"""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from events.models import Event
from registrations.mails.rendering import build_message
from registrations.models import Mail, Registration

logger = logging.getLogger(__name__)

# Mails that are still unsent this long after being recorded are picked up by the sweep;
# younger ones are presumably on their way through the broker.
STALE_AFTER = timedelta(minutes=2)
# After this many failed attempts a mail is marked failed and waits for an organiser.
MAX_ATTEMPTS = 10

# Mails that still make sense once a registration is no longer active.
CANCELLED_MAY_RECEIVE = {"cancelled", "declined", "event_cancelled"}
# Mails that still make sense once the event is cancelled.
EVENT_CANCELLED_MAY_RECEIVE = {"cancelled", "declined", "event_cancelled"}
# Kinds owed only to a registration that holds a confirmed place when the mail leaves
# (the definitive confirmation, the driehoek programme); see schedule.SCHEDULED.
CONFIRMED_ONLY = {"definitive_confirmation", "programme_homework"}

PENDING = [Mail.Status.QUEUED]


class DeliveryFailed(Exception):
    """Sending failed for a reason worth retrying (the mail stays queued)."""


def reason_to_skip(mail):
    """Why this mail should no longer leave, or '' if it should."""
    registration = mail.registration
    if registration.anonymised_at:
        return "anonymised"
    if not registration.is_active and mail.kind not in CANCELLED_MAY_RECEIVE:
        return f"registration {registration.status}"
    if registration.event.status == Event.Status.CANCELLED and mail.kind not in EVENT_CANCELLED_MAY_RECEIVE:
        return "event cancelled"
    if mail.kind in CONFIRMED_ONLY and registration.status != Registration.Status.CONFIRMED:
        return f"registration {registration.status}"
    return ""


def is_permanent(exc):
    """A 5xx answer means the server will never take this message; retrying is futile."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def deliver(mail_id, now=None, connection=None):
    """Send one queued mail. Returns True if this call sent it.

    Raises DeliveryFailed when sending failed and is worth retrying; the attempt and the
    error are recorded (committed) either way.
    """
    failure = None
    with transaction.atomic():
        mail = (
            Mail.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("registration__event__venue", "participant")
            .filter(pk=mail_id, status__in=PENDING)
            .first()
        )
        if mail is None:
            return False  # sent already, or another worker is sending it right now
        reason = reason_to_skip(mail)
        if reason:
            mail.status = Mail.Status.SKIPPED
            mail.last_error = reason
            mail.save(update_fields=["status", "last_error"])
            logger.info("Mail %s skipped: %s", mail.pk, reason)
            return False
        # Sent to the address the participant has now, not the one they had when it was owed.
        mail.recipient = mail.participant.email
        mail.attempts += 1
        try:
            build_message(mail, connection=connection).send()
        except Exception as exc:  # noqa: BLE001 - every failure is recorded; the caller decides on retry
            failure = exc
            permanent = is_permanent(exc) or mail.attempts >= MAX_ATTEMPTS
            mail.status = Mail.Status.FAILED if permanent else Mail.Status.QUEUED
            mail.last_error = f"{type(exc).__name__}: {exc}"[:1000]
            mail.save(update_fields=["status", "recipient", "attempts", "last_error"])
            logger.warning("Mail %s failed on attempt %s: %s", mail.pk, mail.attempts, type(exc).__name__)
        else:
            mail.status = Mail.Status.SENT
            mail.sent_at = now or timezone.now()
            mail.last_error = ""
            mail.save(update_fields=["status", "recipient", "sent_at", "attempts", "last_error"])
            return True
    # Raised outside the transaction so that the recorded attempt is committed, not rolled back.
    if mail.status == Mail.Status.QUEUED:
        raise DeliveryFailed(type(failure).__name__) from failure
    return False


def deliver_many(mail_ids, now=None):
    """Send these mails over one SMTP connection; returns the ids worth retrying."""
    retry = []
    # A redelivered task or a sweep may carry mails that were sent meanwhile: opening a
    # connection for nothing would cost a mail server round trip (and leave an empty file
    # with the file backend), so only still-pending mails get one.
    pending = set(Mail.objects.filter(pk__in=mail_ids, status__in=PENDING).values_list("pk", flat=True))
    mail_ids = [pk for pk in mail_ids if pk in pending]
    if not mail_ids:
        return retry
    connection = get_connection()
    try:
        for mail_id in mail_ids:
            open_quietly(connection)
            try:
                deliver(mail_id, now=now, connection=connection)
            except DeliveryFailed:
                retry.append(mail_id)
                # The connection may be broken; the next mail opens a fresh one.
                close_quietly(connection)
    finally:
        close_quietly(connection)
    return retry


def open_quietly(connection):
    # Opened here, the connection stays open for the whole batch (Django's backend closes
    # only what send() opened itself). A server that is down fails in deliver(), recorded.
    try:
        connection.open()
    except Exception:  # noqa: BLE001
        logger.debug("SMTP connection could not be opened")


def close_quietly(connection):
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a connection that cannot even close is gone already
        logger.debug("SMTP connection did not close cleanly")


def pending_mails(now=None, limit=5000):
    """Queued mails old enough that no task is expected to be carrying them, as (id, kind)."""
    now = now or timezone.now()
    return list(
        Mail.objects.filter(status__in=PENDING, created_at__lte=now - STALE_AFTER)
        .order_by("created_at", "pk")
        .values_list("pk", "kind")[:limit]
    )


def pending_mail_ids(now=None, limit=5000):
    return [pk for pk, _kind in pending_mails(now, limit)]
