"""Operations on events that concern the people registered for them."""

from django.db import transaction
from django.utils import timezone

from events.models import Event
from registrations.mails.outbox import queue_mail
from registrations.models import Registration

# Changes a registered person must hear about: when and where.
TOLD_FIELDS = {"starts_at", "ends_at", "venue"}


@transaction.atomic
def notify_event_changed(event, changed_fields, *, by=None, now=None):
    """Tell every registered person, once, that the event was cancelled or moved.

    Call after saving the change, in the same transaction. Each change gets its own stamp
    as the mails' occasion, so the database holds "told once per change" while a later
    change is told again. Returns the recorded mails.
    """
    changed = set(changed_fields)
    if "status" in changed and event.status == Event.Status.CANCELLED:
        kind = "event_cancelled"
    elif changed & TOLD_FIELDS and event.status == Event.Status.PUBLISHED and event.ends_at > timezone.now():
        kind = "event_changed"
    else:
        return []
    stamp = f"{kind}:{(now or timezone.now()).strftime('%Y%m%dT%H%M%S.%f')}"
    mails = []
    for registration in event.registrations.filter(status__in=Registration.ACTIVE).prefetch_related("participants"):
        mails += queue_mail(registration, kind, occasion=stamp, by=by)
    return mails
