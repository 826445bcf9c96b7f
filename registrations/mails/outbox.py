"""The outbox: recording a mail that is owed, and handing it to a worker after commit.

Recording happens in the caller's transaction, so the mail exists exactly when the change
that owes it exists. Handing over to Celery happens after commit and may fail (Redis
down); the periodic sweep then picks the mail up, so nothing is lost.
"""

import logging

from django.db import IntegrityError, transaction

from registrations.models import Mail

logger = logging.getLogger(__name__)

# Mails per task: one SMTP connection serves a whole batch. PDF mails take ~0.1 s each, so
# their batches stay small enough to spread over the pdf workers.
BATCH_SIZE = {"light": 50, "heavy": 10}


def queue_mail(registration, kind, *, occasion="", participants=None, resend=False, by=None, dispatch_after=True):
    """Record ``kind`` for every participant (or the given ones) and dispatch after commit.

    A mail that was already recorded for a participant is not recorded again unless
    ``resend`` is set; returns the newly recorded mails. With ``dispatch_after`` false the
    caller dispatches them itself (the sweep does, in larger batches).
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
    if created and dispatch_after:
        batch = [(mail.pk, mail.kind) for mail in created]
        transaction.on_commit(lambda: dispatch(batch))
    return created


def batches(mails):
    """Split (id, kind) pairs into (task, ids) batches: PDF mails go to the pdf queue."""
    from registrations.mails.rendering import HEAVY_KINDS
    from registrations.tasks import render_and_send_mails, send_mails

    heavy = [pk for pk, kind in mails if kind in HEAVY_KINDS]
    light = [pk for pk, kind in mails if kind not in HEAVY_KINDS]
    plan = [(send_mails, light, BATCH_SIZE["light"]), (render_and_send_mails, heavy, BATCH_SIZE["heavy"])]
    for task, ids, size in plan:
        for start in range(0, len(ids), size):
            yield task, ids[start : start + size]


def dispatch(mails):
    """Ask workers to send these mails, given as (id, kind); tolerate a broker that is down.

    Returns the number of mails handed over. After the first refusal we stop trying: the
    broker is down, and every further attempt would only keep the caller waiting.
    """
    handed = 0
    for task, ids in batches(mails):
        try:
            task.delay(ids)
        except Exception as exc:  # noqa: BLE001 - any broker failure means: the sweep sends it
            logger.warning("Mails %s not handed to the broker (%s); the sweep will send them.", ids, type(exc).__name__)
            break
        handed += len(ids)
    return handed
