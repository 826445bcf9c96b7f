"""Sending a recorded mail once, without holding a lock while it is sent.

A worker claims a mail in one short statement: it becomes "sending" with a lease
(``claimed_until``) only where it is still queued and due, or where an earlier claim's
lease has run out, so two workers, two sweeps or a redelivered task never both hold it.
Rendering and the SMTP conversation happen outside any transaction; a second short
statement records the outcome. A worker that dies while sending leaves the mail "sending"
until its lease ends; then the sweep hands it over again. A crash after the SMTP server
accepted the message and before the outcome was written sends it twice, which we accept
over losing it; so does a send that outlasts its lease, which is why the lease is generous.

A mail is given up only when the receiving side says it never will take it (a permanent
5xx for its address or its message). Every other failure (4xx, a server that is down, a
timeout, DNS, our own configuration) leaves it queued with one retry schedule on its row
(``next_attempt_at``), at growing intervals and for as long as it takes: nothing hands it
over or claims it before that moment, so neither the sweep nor a duplicate task resets it.
"""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from events.models import Event
from regiodag import outages
from registrations.mails.rendering import build_message
from registrations.models import Mail, Registration

logger = logging.getLogger(__name__)

# Mails that are still unsent this long after being recorded are picked up by the sweep;
# younger ones are presumably on their way through the broker.
STALE_AFTER = timedelta(minutes=2)
# The wait after the first transient failure, doubling after each further one up to the
# longest wait: a server that is back soon gets its mail soon, one that is down for days
# gets one attempt per mail per longest wait.
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)

# Mails that still make sense once a registration is no longer active.
CANCELLED_MAY_RECEIVE = {"cancelled", "declined", "event_cancelled"}
# Mails that still make sense once the event is cancelled.
EVENT_CANCELLED_MAY_RECEIVE = {"cancelled", "declined", "event_cancelled"}
# Kinds owed only to a registration that holds a confirmed place when the mail leaves
# (the definitive confirmation, the driehoek programme); see schedule.SCHEDULED.
CONFIRMED_ONLY = {"definitive_confirmation", "programme_homework"}

# How long a claim holds a mail: far longer than rendering a PDF and one SMTP conversation
# (whose timeout is EMAIL_TIMEOUT) take, so that a slow send is never claimed twice.
LEASE = timedelta(seconds=settings.REGIODAG_MAIL_LEASE_SECONDS)


def claimable(now):
    """Mails a worker may claim at ``now``: queued and due, or left "sending" by a lapsed claim."""
    return Q(status=Mail.Status.QUEUED, next_attempt_at__lte=now) | Q(status=Mail.Status.SENDING, claimed_until__lt=now)


def retry_delay(attempts):
    """How long a mail waits after its ``attempts``-th attempt failed for a passing reason."""
    doublings = min(max(attempts, 1) - 1, 20)  # beyond 20 the cap holds anyway
    return min(FIRST_RETRY * 2**doublings, LONGEST_RETRY)


class DeliveryFailed(Exception):
    """Sending failed for a reason worth retrying (the mail stays queued until its next attempt)."""


def reason_to_skip(mail):
    """Why this mail should no longer leave, or '' if it should."""
    if mail.invitation_id:
        from registrations.invitations.delivery import reason_to_skip as invitation_reason

        return invitation_reason(mail)
    registration = mail.registration
    if registration.anonymised_at:
        return "anonymised"
    if not registration.is_active and mail.kind not in CANCELLED_MAY_RECEIVE:
        return f"registration {registration.status}"
    if registration.event.status == Event.Status.CANCELLED and mail.kind not in EVENT_CANCELLED_MAY_RECEIVE:
        return "event cancelled"
    if mail.kind in CONFIRMED_ONLY and registration.status != Registration.Status.CONFIRMED:
        return f"registration {registration.status}"
    if mail.kind == "certificate" and not has_certificate(mail.participant_id):
        return "no certificate (not recorded present)"
    return ""


def has_certificate(participant_id):
    # Imported here: the certificate service records mails through the outbox, which this
    # module's package loads first.
    from registrations.services.certificates import certificate_for

    return certificate_for(participant_id) is not None


def is_permanent(exc):
    """Whether the receiving side said it will never take this mail: a 5xx for the
    recipient (every recipient refused) or for the message itself (after DATA).

    Anything else passes: a 4xx, a server that is down or slow, DNS, and also a 5xx that
    is about us rather than this mail (authentication, our sender address, HELO), which
    an operator fixes for every mail at once.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _message in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def describe(exc):
    """The failure as the organisers' log keeps it: the server's own code and words."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = "; ".join(f"{code} {as_text(message)}" for code, message in exc.recipients.values())
        return f"{type(exc).__name__}: {answers}"[:1000]
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{type(exc).__name__}: {exc.smtp_code} {as_text(exc.smtp_error)}"[:1000]
    return f"{type(exc).__name__}: {exc}"[:1000]


def as_text(message):
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def claim(mail_id, now=None):
    """Make the mail "sending" under a lease for this caller; returns it, or None.

    One conditional UPDATE: PostgreSQL re-checks its condition on a row another
    transaction just changed, and SQLite runs one writer at a time, so of two callers at
    once exactly one gets the mail, on both databases. The attempt is counted here, so an
    attempt that died with its worker counts too.
    """
    now = now or timezone.now()
    claimed = Mail.objects.filter(claimable(now), pk=mail_id).update(
        status=Mail.Status.SENDING, claimed_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return None  # sent already, or another worker holds it right now
    return Mail.objects.select_related(
        "registration__event__venue", "participant", "invitation__contact", "invitation__mailing__event"
    ).get(pk=mail_id)


def finish(mail, **fields):
    """Record the outcome of a claimed mail and end the claim."""
    for name, value in fields.items():
        setattr(mail, name, value)
    mail.claimed_until = None
    Mail.objects.filter(pk=mail.pk, status=Mail.Status.SENDING).update(claimed_until=None, **fields)


def deliver(mail_id, now=None, connection=None):
    """Send one queued mail. Returns True if this call sent it.

    Raises DeliveryFailed when sending failed and is worth retrying; the attempt and the
    error are recorded (committed) either way.
    """
    mail = claim(mail_id, now)
    if mail is None:
        return False
    reason = reason_to_skip(mail)
    if reason:
        finish(mail, status=Mail.Status.SKIPPED, last_error=reason)
        logger.info("Mail %s skipped: %s", mail.pk, reason)
        return False
    # Sent to the address the participant has now, not the one they had when it was owed.
    mail.recipient = mail.invitation.contact.email if mail.invitation_id else mail.participant.email
    try:
        message = build_message(mail, connection=connection)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and decided on here
        # About this one mail (a template, an attachment), not the server: told per mail.
        defer(mail, exc, now)
        logger.info("Mail %s deferred on attempt %s (%s)", mail.pk, mail.attempts, type(exc).__name__)
        raise DeliveryFailed(type(exc).__name__) from exc
    try:
        message.send()
    except Exception as exc:  # noqa: BLE001 - every failure is recorded and decided on here
        if is_permanent(exc):
            outages.MAIL_SERVER.recovered()  # it answered, about this one mail
            finish(mail, status=Mail.Status.FAILED, recipient=mail.recipient, last_error=describe(exc))
            logger.warning("Mail %s refused for good on attempt %s: %s", mail.pk, mail.attempts, type(exc).__name__)
            return False
        defer(mail, exc, now)
        # The server, or the way to it, does not take mail for now: told once per outage, not
        # per mail and attempt (each row keeps its own error), with the server's code and
        # words but not the recipients' addresses a refusal lists.
        outages.MAIL_SERVER.failed(exc, detail=describe(exc))
        raise DeliveryFailed(type(exc).__name__) from exc
    outages.MAIL_SERVER.recovered()
    finish(mail, status=Mail.Status.SENT, recipient=mail.recipient, sent_at=now or timezone.now(), last_error="")
    return True


def defer(mail, exc, now=None):
    """Back to the relay, which hands the mail over again once its next attempt is due."""
    finish(
        mail,
        status=Mail.Status.QUEUED,
        recipient=mail.recipient,
        last_error=describe(exc),
        next_attempt_at=(now or timezone.now()) + retry_delay(mail.attempts),
        handed_over_at=None,
    )


def deliver_many(mail_ids, now=None):
    """Send these mails over one SMTP connection; returns the ids that wait for a retry."""
    retry = []
    # A redelivered task or a sweep may carry mails that were sent meanwhile: opening a
    # connection for nothing would cost a mail server round trip (and leave an empty file
    # with the file backend), so only still-pending mails get one.
    claimable_now = claimable(now or timezone.now())
    pending = set(Mail.objects.filter(claimable_now, pk__in=mail_ids).values_list("pk", flat=True))
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
    """Mails the sweep hands over again, as (id, kind): due mails that were handed over a
    while ago and are still not sent (the broker lost the task, the workers were down), due
    mails the relay has not managed to hand over, and mails whose claim lapsed (their worker
    died). A mail waiting for its next attempt is not among them until that moment."""
    now = now or timezone.now()
    overdue = now - STALE_AFTER
    return list(
        Mail.objects.filter(claimable(now), next_attempt_at__lte=overdue)
        .filter(Q(handed_over_at__isnull=True) | Q(handed_over_at__lte=overdue))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "kind")[:limit]
    )


def pending_mail_ids(now=None, limit=5000):
    return [pk for pk, _kind in pending_mails(now, limit)]
