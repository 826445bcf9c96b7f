"""The outbox: recording a mail that is owed, and the relay that hands it to the workers.

Recording happens in the caller's transaction, so the mail exists exactly when the change
that owes it exists. Nothing else happens in that transaction or in the web request: the
relay (``hand_over``, run every second by Celery beat) gives every new mail to the
workers. So a registration never waits for Redis, or fails because it is down; and
publishing a task per request cost a quarter of registering's CPU, which is what limits a
crowd registering at once. If handing over fails, the mail stays unhanded and the next round tries
again; the periodic sweep resends whatever was handed over but never sent.
"""

from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from regiodag import outages
from registrations.models import Mail

# Mails per task: one SMTP connection serves a whole batch. PDF mails take ~0.1 s each, so
# their batches stay small enough to spread over the pdf workers.
BATCH_SIZE = {"light": 50, "heavy": 10}


# Mails claimed per round of the relay; a larger backlog takes several rounds.
HAND_OVER_LIMIT = 1000

# Mails owed because someone typed an address into a public form, which need not be its
# owner: these are capped per recipient (settings.REGIODAG_UNSOLICITED_MAILS_PER_HOUR), so
# the forms cannot flood a mailbox. A capped mail is recorded as skipped with the reason,
# so the log stays true and an organiser can still send it on request (which no cap holds).
UNSOLICITED_KINDS = ("acknowledgement", "waitlisted", "personal_link")
CAP_PERIOD = timedelta(hours=1)
CAPPED = _("Niet verstuurd: te veel e-mails naar dit adres in het afgelopen uur.")


def recent_unsolicited(recipients, now=None):
    """Unsolicited mails recorded for each of ``recipients`` in the cap's period, by address."""
    since = (now or timezone.now()) - CAP_PERIOD
    rows = (
        Mail.objects.filter(
            recipient__in=set(recipients),
            kind__in=UNSOLICITED_KINDS,
            requested_by__isnull=True,
            created_at__gte=since,
        )
        .exclude(status=Mail.Status.SKIPPED)
        .values_list("recipient", flat=True)
    )
    return Counter(rows)


def apply_cap(mails, now=None):
    """Mark the unsaved unsolicited ``mails`` over their recipient's cap as skipped."""
    unsolicited = [mail for mail in mails if mail.kind in UNSOLICITED_KINDS and mail.requested_by_id is None]
    if not unsolicited:
        return mails
    sent = recent_unsolicited([mail.recipient for mail in unsolicited], now)
    for mail in unsolicited:
        if sent[mail.recipient] >= settings.REGIODAG_UNSOLICITED_MAILS_PER_HOUR:
            mail.status = Mail.Status.SKIPPED
            with translation.override(settings.LANGUAGE_CODE):  # the log is the organisers'
                mail.last_error = str(CAPPED)
        else:
            sent[mail.recipient] += 1
    return mails


def queue_mail(registration, kind, *, occasion="", participants=None, resend=False, by=None, message=None):
    """Record ``kind`` for every participant (or the given ones); the relay sends it on.

    A mail that was already recorded for a participant is not recorded again unless
    ``resend`` is set; returns the newly recorded mails.
    """
    if participants is None:
        participants = list(registration.participants.all())
    mails = [
        Mail(
            registration=registration,
            participant=participant,
            kind=kind,
            occasion=occasion,
            is_resend=resend,
            recipient=participant.email,
            requested_by=by,
            message=message,
        )
        for participant in participants
    ]
    created = []
    for mail in apply_cap(mails):
        try:
            with transaction.atomic():
                mail.save(force_insert=True)
                created.append(mail)
        except IntegrityError:
            continue  # owed once and already recorded: that is the rule working
    return created


def first_mails(registration, kind, participants):
    """``kind`` for participants created in this same transaction, as unsaved rows.

    New participants cannot hold a mail yet, so these need none of the care queue_mail
    takes over an earlier copy: the caller saves them with bulk_create, in the same
    transaction as the rest of the new rows.
    """
    mails = [Mail(registration=registration, participant=p, kind=kind, recipient=p.email) for p in participants]
    return apply_cap(mails)


def hand_over(limit=HAND_OVER_LIMIT, now=None):
    """Give the workers the recorded mails they have not been given yet; returns how many.

    The mails are claimed (marked handed over) and committed before any task is published:
    a worker must not find their rows still locked by us, and two relays running at once
    skip each other's rows, so every mail is handed over once. Mails the broker refused
    are released for the next round. Mails that wait for their next attempt (delivery's
    retry schedule) are handed over again once it has come.
    """
    now = now or timezone.now()
    with transaction.atomic():
        claimed = list(
            Mail.objects.select_for_update(skip_locked=True)
            .filter(status=Mail.Status.QUEUED, handed_over_at__isnull=True, next_attempt_at__lte=now)
            .order_by("pk")
            .values_list("pk", "kind")[:limit]
        )
        if not claimed:
            return 0
        Mail.objects.filter(pk__in=[pk for pk, _kind in claimed]).update(handed_over_at=now)
    handed = dispatch(claimed)
    refused = [pk for pk, _kind in claimed if pk not in handed]
    if refused:
        Mail.objects.filter(pk__in=refused, status=Mail.Status.QUEUED).update(handed_over_at=None)
    return len(handed)


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

    Returns the set of ids handed over. After the first refusal we stop trying: the broker
    is down, and every further attempt would only keep the caller waiting.
    """
    handed = set()
    for task, ids in batches(mails):
        try:
            task.delay(ids)
        except Exception as exc:  # noqa: BLE001 - any broker failure means: a later round sends it
            # Once per outage, not once per round of the relay (regiodag.outages).
            outages.BROKER.failed(exc)
            break
        handed.update(ids)
    if handed:
        outages.BROKER.recovered()
    return handed
