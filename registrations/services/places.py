"""The one module that decides capacity: every operation that takes or frees a place
(registering, changing workshops, promoting from the waiting list, admission) locks, counts
and decides here. Callers run inside ``transaction.atomic()``.

Lock order is fixed: the event first, then its chosen workshops by id, so that two
transactions never wait on each other in a cycle. Every operation that takes places locks
the event first, so while it is held no place of the event or of its workshops can be
taken by anyone else, and places counted from the rows are exact.

On SQLite (the demo) select_for_update does nothing; there the IMMEDIATE transactions of
the settings let one writer in at a time, which serialises the same code.
"""

from events.models import Event
from registrations import selectors
from registrations.errors import EventFull, InvalidChoice, WorkshopFull
from workshops.models import Workshop


def lock_event(event_id):
    """The event, its row locked until the transaction ends.

    FOR NO KEY UPDATE: it excludes every other operation that takes places just the same,
    but not a transaction that only inserts a row pointing at the event (a round added in
    the admin, which then promotes from the waiting list): two of those would otherwise
    deadlock, each holding the key share the other's lock waits for.
    """
    return Event.objects.select_for_update(no_key=True).get(pk=event_id)


def lock_workshops(event, workshop_ids):
    """The chosen workshops by id, locked in id order; InvalidChoice where one is not (or
    no longer) a workshop of the event."""
    wanted = set(workshop_ids)
    workshops = (
        Workshop.objects.select_for_update(of=("self",))
        .select_related("round")
        .filter(pk__in=wanted, round__event=event)
        .order_by("pk")
    )
    found = {workshop.pk: workshop for workshop in workshops}
    if len(found) != len(wanted):
        raise InvalidChoice(field="workshops")
    return found


def check_one_per_round(event, workshops, choices):
    """Exactly one workshop in each round of the event, for each person's choice (a list
    of workshop ids) in ``choices``."""
    rounds = set(event.rounds.order_by().values_list("pk", flat=True))
    for workshop_ids in choices:
        chosen = [workshops[w].round_id for w in workshop_ids]
        if len(chosen) != len(set(chosen)) or set(chosen) != rounds:
            raise InvalidChoice(field="workshops")


def check_room(event, workshops, demand, *, event_place=True, exclude_registration=None):
    """Raise EventFull or WorkshopFull unless there is room, with the event and ``workshops``
    locked. ``demand`` maps workshop id to the seats wanted; ``event_place``: whether the
    event's place is wanted too (not for a registration that holds one already)."""
    if event_place and event.capacity is not None and selectors.places_taken(event) >= event.capacity:
        raise EventFull()
    taken = selectors.workshop_taken(demand.keys(), exclude_registration=exclude_registration)
    for workshop_id, wanted in sorted(demand.items()):
        workshop = workshops[workshop_id]
        if taken[workshop_id] + wanted > workshop.capacity:
            raise WorkshopFull(workshop, field=f"round_{workshop.round.number}")


def placed_status(event):
    """The status of a registration given its place: applied where the organiser admits."""
    from registrations.models import Registration

    if event.admission == Event.Admission.BY_ORGANISER:
        return Registration.Status.APPLIED
    return Registration.Status.CONFIRMED


def workshop_demand(workshop_ids):
    """{workshop id: seats} of a list of chosen workshop ids (one per person per round)."""
    demand = {}
    for workshop_id in workshop_ids:
        demand[workshop_id] = demand.get(workshop_id, 0) + 1
    return demand
