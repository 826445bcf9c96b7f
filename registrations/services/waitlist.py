"""Promotion from the waiting list when places free up."""

from django.db import transaction

from registrations.errors import EventFull, WorkshopFull
from registrations.mails.outbox import queue_mail
from registrations.models import Registration, WorkshopChoice
from registrations.services.places import check_room, lock_event, lock_workshops, placed_status, workshop_demand


def waitlist_position(registration):
    """1-based place in the queue, or None when not waiting."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            event_id=registration.event_id,
            status=Registration.Status.WAITLISTED,
            waitlisted_at__lte=registration.waitlisted_at,
        )
        .exclude(waitlisted_at=registration.waitlisted_at, pk__gt=registration.pk)
        .count()
    )


@transaction.atomic
def promote_waiting(event):
    """Give freed places to the first waiting registrations whose choices fit.

    Walks the queue in order and skips anyone whose workshops are still full, so one full
    workshop does not block everyone behind them. Returns the promoted registrations.
    """
    event = lock_event(event.pk)
    promoted = []
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).order_by(
        "waitlisted_at", "pk"
    )
    for registration in waiting:
        chosen = WorkshopChoice.objects.filter(participant__registration=registration)
        demand = workshop_demand(chosen.values_list("workshop_id", flat=True))
        try:
            check_room(event, lock_workshops(event, demand), demand)
        except EventFull:
            break
        except WorkshopFull:
            continue
        registration.status = placed_status(event)
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
        queue_mail(registration, "promoted")
        promoted.append(registration)
    return promoted
