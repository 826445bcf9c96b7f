"""Celery tasks: thin, idempotent wrappers around the services (safe under acks_late).

A task that runs twice (redelivery after a worker died, a sweep handing over a mail the
relay handed over too) sends nothing twice: delivery claims the mail (a lease, see
registrations/mails/delivery.py) and sends only what it claimed.
"""

import functools

from celery import shared_task
from django.db import DatabaseError
from django.utils.dateparse import parse_datetime

from regiodag import outages
from registrations import health
from registrations.mails import outbox, schedule
from registrations.mails.delivery import deliver_many

# No Celery retries: a mail that failed for a passing reason carries its own retry
# schedule (Mail.next_attempt_at, set by delivery), and the relay hands it over again when
# that moment comes. A retry chain per task would be a second schedule, restarted by every
# sweep that handed the mail over again.


def told_once_in_a_database_outage(task):
    """A database that cannot be reached is told once per outage (regiodag.outages) rather
    than as a failed task with its traceback at every round: every second for the relay,
    every five minutes for the sweeps, once per batch for mails handed over before the
    outage. Nothing is lost: the next round tries again, and a batch's mails stay owed, for
    the sweep to hand over again. Returns None for a task that could not run. The end of the
    outage is told by the first connection that opens again (regiodag.unavailable), in the
    workers as in the web."""

    @functools.wraps(task)
    def run(*args, **kwargs):
        try:
            return task(*args, **kwargs)
        except DatabaseError as exc:
            if not outages.database_unreachable(exc):
                raise
            outages.DATABASE.failed(exc)
            return None

    return run


@shared_task(acks_late=True)
@told_once_in_a_database_outage
def send_mails(mail_ids):
    return deliver_many(mail_ids)


@shared_task(acks_late=True)
@told_once_in_a_database_outage
def render_and_send_mails(mail_ids):
    """The same for mails with a PDF: routed to the "pdf" queue (CELERY_TASK_ROUTES)."""
    return deliver_many(mail_ids)


@shared_task(acks_late=True)
def render_document(document_id):
    """A big PDF: split into parts. Routed to the "pdf" queue (CELERY_TASK_ROUTES)."""
    from registrations.services import documents

    return documents.start_document(document_id)


@shared_task(acks_late=True)
def render_document_part(document_id, index):
    """One part of a big PDF; the last one joins them. On the "pdf" queue too."""
    from registrations.services import documents

    return documents.make_part(document_id, index)


@shared_task
@told_once_in_a_database_outage
def hand_over_documents():
    """Every two seconds (CELERY_BEAT_SCHEDULE): give the PDF worker the documents asked for."""
    from registrations.services import documents

    return documents.hand_over()


@shared_task
@told_once_in_a_database_outage
def hand_over_mails():
    """Every second (CELERY_BEAT_SCHEDULE): give the workers the mails recorded since."""
    handed = outbox.hand_over()
    health.relay_ran()
    return handed


@shared_task(acks_late=True)
@told_once_in_a_database_outage
def sweep_due_mails(now=None):
    """Periodic (CELERY_BEAT_SCHEDULE): record due mails and send what is waiting.

    ``now`` (ISO 8601) lets an organiser's tool or a test sweep as of another moment.
    """
    return schedule.sweep(parse_datetime(now) if now else None)


@shared_task(acks_late=True)
@told_once_in_a_database_outage
def send_due_invitations():
    """Periodic (CELERY_BEAT_SCHEDULE): mailings whose moment has come, due reminders."""
    from registrations.invitations import mailings

    return mailings.sweep()


@shared_task
@told_once_in_a_database_outage
def anonymise_expired():
    """Periodic: remove personal data of events past the retention period."""
    from registrations.invitations import contacts
    from registrations.services import documents, retention

    return {
        "registrations": retention.anonymise_expired(),
        "host_offers": retention.anonymise_expired_host_offers(),
        "contacts": contacts.erase_expired_contacts(),
        "documents": documents.discard_expired(),
    }
