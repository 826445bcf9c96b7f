"""Promotion from the waiting list when places free up."""

from django.db import transaction

from events.models import Event
from registrations import selectors
from registrations.errors import WorkshopFull
from registrations.mails.outbox import queue_mail
from registrations.models import Registration, WorkshopChoice
from registrations.services.places import check_workshop_room, lock_event, lock_workshops


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
    waiting = list(
        Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED).order_by("waitlisted_at", "pk")
    )
    if not waiting:
        return promoted
    taken = selectors.places_taken(event)
    for registration in waiting:
        if event.capacity is not None and taken >= event.capacity:
            break
        demand = {}
        for workshop_id in WorkshopChoice.objects.filter(participant__registration=registration).values_list(
            "workshop_id", flat=True
        ):
            demand[workshop_id] = demand.get(workshop_id, 0) + 1
        if demand:
            try:
                check_workshop_room(lock_workshops(event, demand.keys()), demand)
            except WorkshopFull:
                continue
        registration.status = (
            Registration.Status.APPLIED
            if event.admission == Event.Admission.BY_ORGANISER
            else Registration.Status.CONFIRMED
        )
        registration.waitlisted_at = None
        registration.save(update_fields=["status", "waitlisted_at", "updated_at"])
        queue_mail(registration, "promoted")
        promoted.append(registration)
        taken += 1
    return promoted
