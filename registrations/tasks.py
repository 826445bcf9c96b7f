"""Celery tasks: thin, idempotent wrappers around the services (safe under acks_late).

A task that runs twice (redelivery after a worker died, a sweep handing over a mail a
retry also carries) sends nothing twice: delivery claims the mail (a lease, see
registrations/mails/delivery.py) and sends only what it claimed.
"""

from celery import shared_task
from django.utils.dateparse import parse_datetime

from registrations.mails import outbox, schedule
from registrations.mails.delivery import deliver_many


def backoff(retries):
    # 30 s, 1 min, 2 min, … capped at half an hour: a retry waiting longer than the Redis
    # visibility timeout (an hour) would be delivered a second time. The sweep covers
    # whatever outlives the retries.
    return min(30 * 2**retries, 1800)


def send_retrying(task, mail_ids):
    """Send a batch; retry only the mails that failed, with backoff."""
    retry = deliver_many(mail_ids)
    if retry:
        raise task.retry(args=[retry], countdown=backoff(task.request.retries))
    return len(mail_ids)


@shared_task(bind=True, max_retries=8, acks_late=True)
def send_mails(self, mail_ids):
    return send_retrying(self, mail_ids)


@shared_task(bind=True, max_retries=8, acks_late=True)
def render_and_send_mails(self, mail_ids):
    """The same for mails with a PDF: routed to the "pdf" queue (CELERY_TASK_ROUTES)."""
    return send_retrying(self, mail_ids)


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
def hand_over_documents():
    """Every two seconds (CELERY_BEAT_SCHEDULE): give the PDF worker the documents asked for."""
    from registrations.services import documents

    return documents.hand_over()


@shared_task
def hand_over_mails():
    """Every second (CELERY_BEAT_SCHEDULE): give the workers the mails recorded since."""
    return outbox.hand_over()


@shared_task(acks_late=True)
def sweep_due_mails(now=None):
    """Periodic (CELERY_BEAT_SCHEDULE): record due mails and send what is waiting.

    ``now`` (ISO 8601) lets an organiser's tool or a test sweep as of another moment.
    """
    return schedule.sweep(parse_datetime(now) if now else None)


@shared_task
def anonymise_expired():
    """Periodic: remove personal data of events past the retention period."""
    from registrations.services import documents, retention

    return {
        "registrations": retention.anonymise_expired(),
        "host_offers": retention.anonymise_expired_host_offers(),
        "documents": documents.discard_expired(),
    }
