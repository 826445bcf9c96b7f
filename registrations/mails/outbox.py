"""The outbox: recording a mail that is owed, and handing it to a worker after commit.

Recording happens in the caller's transaction, so the mail exists exactly when the change
that owes it exists. Handing over to Celery happens after commit and may fail (Redis
down); the periodic sweep then picks the mail up, so nothing is lost.
"""

import logging

from django.db import IntegrityError, transaction

from registrations.models import Mail

logger = logging.getLogger(__name__)


def queue_mail(registration, kind, *, occasion="", participants=None, resend=False, by=None):
    """Record ``kind`` for every participant (or the given ones) and dispatch after commit.

    A mail that was already recorded for a participant is not recorded again unless
    ``resend`` is set; returns the newly recorded mails.
    """
    if participants is None:
        participants = list(registration.participants.all())
    created = []
    for participant in participants:
        try:
            with transaction.atomic():
                created.append(
                    Mail.objects.create(
                        registration=registration,
                        participant=participant,
                        kind=kind,
                        occasion=occasion,
                        is_resend=resend,
                        recipient=participant.email,
                        requested_by=by,
                    )
                )
        except IntegrityError:
            continue  # owed once and already recorded: that is the rule working
    ids = [mail.pk for mail in created]
    if ids:
        transaction.on_commit(lambda: dispatch(ids))
    return created


def dispatch(mail_ids):
    """Ask a worker to send these mails; tolerate a broker that is down."""
    from registrations.tasks import send_mail

    for mail_id in mail_ids:
        try:
            send_mail.delay(mail_id)
        except Exception as exc:  # noqa: BLE001 - any broker failure means: the sweep sends it
            logger.warning(
                "Mail %s not handed to the broker (%s); the sweep will send it.", mail_id, type(exc).__name__
            )
