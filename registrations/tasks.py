"""Celery tasks: thin, idempotent wrappers around the services (safe under acks_late)."""

from celery import shared_task

from registrations.mails.delivery import DeliveryFailed, deliver, pending_mail_ids
from registrations.services.admission import queue_due_programme_homework


@shared_task(bind=True, max_retries=8, acks_late=True)
def send_mail(self, mail_id):
    try:
        return deliver(mail_id)
    except DeliveryFailed as exc:
        # 30 s, 1 min, 2 min, … capped at an hour; the sweep covers whatever outlives this.
        raise self.retry(exc=exc, countdown=min(30 * 2**self.request.retries, 3600)) from None


@shared_task
def sweep_due_mails():
    """Periodic: send what is owed and not yet sent (see CELERY_BEAT_SCHEDULE)."""
    sent = 0
    queue_due_programme_homework()
    for mail_id in pending_mail_ids():
        try:
            sent += bool(deliver(mail_id))
        except DeliveryFailed:
            continue
    return sent


@shared_task
def anonymise_expired():
    """Periodic: remove personal data of events past the retention period."""
    from registrations.services.retention import anonymise_expired as anonymise

    return anonymise()
