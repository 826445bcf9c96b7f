"""Mails that are due at a moment (a week before the event), found by the beat sweep.

Never a countdown task days ahead: a Redis broker redelivers tasks whose ETA outlives its
visibility timeout, and a task scheduled at registration would not notice a changed date.
Instead the sweep (every few minutes) asks each scheduled kind which registrations are due
now and records the mails they lack; the relay (outbox.hand_over) gives them to the workers. The database's unique
rule on mails makes a second sweep running at the same moment harmless: it records
nothing that the first one recorded.

A scheduled kind is one line in ``SCHEDULED``: the kind and the dotted path of a function
``due(now)`` returning a queryset of the registrations that should have that mail by now.
The sweep itself leaves out participants who already have it.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.module_loading import import_string

from events.models import Event
from registrations.mails.delivery import pending_mails
from registrations.mails.outbox import dispatch, queue_mail
from registrations.models import Mail, Participant, Registration

logger = logging.getLogger(__name__)

SCHEDULED = {
    "definitive_confirmation": "registrations.mails.schedule.due_definitive_confirmations",
    # The driehoek programme and homework (issue #4): its selector lives with the admission
    # services; until that module exists the sweep skips this kind with a warning.
    "programme_homework": "registrations.driehoek.admission.due_programme_homework",
}

# Registrations recorded per transaction: large enough to be quick, small enough that a
# sweep over thousands of registrations never holds one long transaction.
SWEEP_BATCH = 200


def due_definitive_confirmations(now):
    """Confirmed registrations of published events whose confirmation moment has come.

    The moment is per event (``confirmation_days_before``); a registration made after it
    is due at once. Driehoeken count once admitted, which makes them confirmed.
    """
    return Registration.objects.filter(
        event__in=Event.objects.confirmation_due(now),
        status=Registration.Status.CONFIRMED,
        anonymised_at__isnull=True,
    )


def scheduled_selectors():
    for kind, path in SCHEDULED.items():
        try:
            yield kind, import_string(path)
        except ImportError as exc:
            logger.warning("Scheduled mail %s has no selector yet (%s: %s); skipped.", kind, path, exc)


def lacking(registrations, kind):
    """Those of ``registrations`` with a participant who has not been recorded ``kind``."""
    has_mail = Mail.objects.filter(participant=OuterRef("pk"), kind=kind, occasion="", is_resend=False)
    without = Participant.objects.filter(registration=OuterRef("pk")).filter(~Exists(has_mail))
    return registrations.filter(Exists(without))


def due_registration_ids(kind, selector, now):
    due = selector(now)
    if not hasattr(due, "filter"):
        due = Registration.objects.filter(pk__in=[r.pk for r in due])
    return list(lacking(due, kind).order_by("pk").values_list("pk", flat=True))


def queue_due_mails(now=None):
    """Record every scheduled mail that is due and not yet recorded; returns the new mails.

    One transaction per batch of registrations; the relay hands them to the workers.
    """
    now = now or timezone.now()
    created = []
    for kind, selector in scheduled_selectors():
        ids = due_registration_ids(kind, selector, now)
        for start in range(0, len(ids), SWEEP_BATCH):
            with transaction.atomic():
                batch = []
                registrations = Registration.objects.filter(pk__in=ids[start : start + SWEEP_BATCH]).order_by("pk")
                for registration in registrations.prefetch_related("participants"):
                    batch += queue_mail(registration, kind)
            created += batch
    if created:
        logger.info("Sweep recorded %s due mails", len(created))
    return created


def sweep(now=None):
    """The periodic job: record what fell due, and hand over what was recorded but never
    sent (the broker was down, a worker died, the mail server refused)."""
    now = now or timezone.now()
    created = queue_due_mails(now)
    stale = pending_mails(now)
    if stale:
        logger.info("Sweep hands %s waiting mails to the workers again", len(stale))
        handed = dispatch(stale)
        Mail.objects.filter(pk__in=handed, status=Mail.Status.QUEUED).update(handed_over_at=now)
    return {"recorded": len(created), "redispatched": len(stale)}


def due_counts(now=None, registrations=None):
    """What the next sweep will do: {kind: participants owed a mail} and the waiting count,
    for ``registrations`` only when given (an organiser counts their own, not the platform's)."""
    now = now or timezone.now()
    within = Registration.objects.all() if registrations is None else registrations
    counts = {}
    for kind, selector in scheduled_selectors():
        has_mail = Mail.objects.filter(participant=OuterRef("pk"), kind=kind, occasion="", is_resend=False)
        owed = Participant.objects.filter(registration__in=selector(now)).filter(registration__in=within)
        counts[kind] = owed.filter(~Exists(has_mail)).count()
    waiting = [pk for pk, _kind in pending_mails(now + timedelta(minutes=5))]
    return counts, Mail.objects.filter(pk__in=waiting, registration__in=within).count()
