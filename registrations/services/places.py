"""Locks and checks on the rows that carry capacity, shared by every operation that
takes a place. Callers must be inside a transaction.

Lock order is fixed (the event first, then its workshops by id) so that two transactions
never wait on each other in a cycle.
"""

import functools
from typing import NamedTuple

from django.db import connection

from events.models import Event
from registrations import selectors
from registrations.errors import InvalidChoice, WorkshopFull
from workshops.models import Workshop


def lock_event(event_id):
    """The event, its row locked until the transaction ends.

    Written as a raw query because every registration passes through it: building the same
    SELECT … FOR UPDATE through the queryset API cost three times the CPU, and CPU is what
    limits a crowd registering at once (bench/README.md). Where the database's values need
    no conversion (PostgreSQL), the row is read with a plain cursor: the raw queryset's own
    machinery cost twice the query itself.
    """
    sql, names, plain = lock_event_statement(connection.vendor, connection.features.has_select_for_update)
    if not plain:
        for event in Event.objects.raw(sql, [event_id]):
            return event
        raise Event.DoesNotExist(f"Event {event_id} does not exist.")
    with connection.cursor() as cursor:
        cursor.execute(sql, [event_id])
        row = cursor.fetchone()
    if row is None:
        raise Event.DoesNotExist(f"Event {event_id} does not exist.")
    return Event.from_db(connection.alias, names, row)


@functools.cache
def lock_event_statement(vendor, for_update):
    """(SQL, field names, whether rows need no conversion) of lock_event, per database kind."""
    quote = connection.ops.quote_name
    fields = Event._meta.concrete_fields
    # The columns by name, not *: a statement prepared on a long-lived connection must keep
    # its result type when a migration adds a column.
    columns = ", ".join(quote(field.column) for field in fields)
    lock = " FOR UPDATE" if for_update else ""
    sql = f"SELECT {columns} FROM {quote(Event._meta.db_table)} WHERE id = %s{lock}"  # noqa: S608
    table = Event._meta.db_table
    plain = not any(
        field.get_db_converters(connection) or connection.ops.get_db_converters(field.get_col(table))
        for field in fields
    )
    return sql, [field.attname for field in fields], plain


class RegistrationFacts(NamedTuple):
    series_id: int | None
    # {workshop id: round id} of the event's workshops.
    round_of: dict
    # Whether every place was held when asked (without the lock: a hint, not the decision).
    looked_full: bool
    # Whether the address already holds an active registration for the event.
    registered: bool


def registration_facts(event_id, email):
    """What registering needs to know before the event is locked, in one raw query (for
    the reason given at lock_event).

    When a crowd arrives, most who come after the last place see the event full; knowing
    that before anything is written saves them the rows, the wait for the lock and the
    rollback. Someone already registered is still told so (their insert is refused).
    """
    from registrations.models import Registration
    from workshops.models import Round

    quote = connection.ops.quote_name
    registrations = quote(Registration._meta.db_table)
    sql = f"""
        WITH event AS MATERIALIZED (
            SELECT event.id, event.series_id,
                   event.capacity IS NOT NULL AND event.capacity <= (
                       SELECT count(*) FROM {registrations} AS held
                       WHERE held.event_id = event.id AND held.status = ANY(%s)) AS looked_full,
                   EXISTS (
                       SELECT 1 FROM {registrations} AS same
                       WHERE same.event_id = event.id AND same.email = %s AND same.status = ANY(%s)) AS registered
            FROM {quote(Event._meta.db_table)} AS event
            WHERE event.id = %s
        )
        SELECT event.series_id, event.looked_full, event.registered, workshop.id, workshop.round_id
        FROM event
        LEFT JOIN {quote(Round._meta.db_table)} AS rnd ON rnd.event_id = event.id
        LEFT JOIN {quote(Workshop._meta.db_table)} AS workshop ON workshop.round_id = rnd.id
    """  # noqa: S608 - table names come from the models, the values are parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(Registration.HOLDS_PLACE), email, list(Registration.ACTIVE), event_id])
        rows = cursor.fetchall()
    if not rows:
        raise Event.DoesNotExist(f"Event {event_id} does not exist.")
    series_id, looked_full, registered = rows[0][:3]
    round_of = {workshop: rnd for *_event, workshop, rnd in rows if workshop is not None}
    return RegistrationFacts(series_id, round_of, bool(looked_full), bool(registered))


def lock_workshops(event, workshop_ids):
    """Lock and return the chosen workshops, refusing any that are not the event's."""
    workshops = list(
        Workshop.objects.select_for_update(of=("self",))
        .select_related("round")
        .filter(pk__in=set(workshop_ids), round__event=event)
        .order_by("pk")
    )
    if len(workshops) != len(set(workshop_ids)):
        raise InvalidChoice(field="workshops")
    return {w.pk: w for w in workshops}


def check_one_per_round(event, workshops_by_id, workshop_ids):
    """Exactly one workshop in each round of the event."""
    rounds = set(event.rounds.values_list("pk", flat=True))
    chosen = [workshops_by_id[w].round_id for w in workshop_ids]
    if len(chosen) != len(set(chosen)) or set(chosen) != rounds:
        raise InvalidChoice(field="workshops")


def check_workshop_room(workshops_by_id, demand, exclude_registration=None):
    """Raise WorkshopFull for the first workshop that lacks room for ``demand`` places.

    ``demand`` maps workshop id to the places wanted. Must run with the workshops locked.
    """
    taken = selectors.workshop_taken(demand.keys(), exclude_registration=exclude_registration)
    for workshop_id, wanted in sorted(demand.items()):
        workshop = workshops_by_id[workshop_id]
        if taken[workshop_id] + wanted > workshop.capacity:
            raise WorkshopFull(workshop, field=f"round_{workshop.round.number}")


def workshop_demand(people):
    demand = {}
    for person in people:
        for workshop_id in person.workshop_ids:
            demand[workshop_id] = demand.get(workshop_id, 0) + 1
    return demand


def take_places(registration, event, demand, status):
    """Give a provisionally waitlisted registration its place(s) if there is room.

    One statement, run with the event locked: it counts the places and workshop seats held
    and changes the status only if everything fits. The statement's snapshot is taken after
    the lock was granted, so it sees every registration committed before; and since every
    operation that takes places locks the event first, nobody adds one meanwhile. Returns
    whether the places were taken (``demand`` maps workshop id to seats wanted).

    A workshop's seats are counted from its own choices, each looked up by primary key
    (and its capacity by its own):
    written as a join, the planner (on fresh statistics, or in a generic plan) scanned every
    participant of every event, so each registration grew slower as the database grew.
    """
    from registrations.models import Participant, Registration, WorkshopChoice

    if connection.vendor != "postgresql":
        return take_places_portably(registration, event, demand, status)
    holds = list(Registration.HOLDS_PLACE)
    registrations = Registration._meta.db_table
    sql = f"""
        UPDATE {registrations} SET status = %s, waitlisted_at = NULL
        WHERE id = %s
          AND (%s::integer IS NULL OR %s::integer > (
                SELECT count(*) FROM {registrations} AS held
                WHERE held.event_id = %s AND held.status = ANY(%s)))
          AND NOT EXISTS (
                SELECT 1 FROM unnest(%s::bigint[], %s::integer[]) AS wanted(workshop_id, seats)
                WHERE wanted.seats + (
                    SELECT count(*) FROM {WorkshopChoice._meta.db_table} AS choice
                    WHERE choice.workshop_id = wanted.workshop_id AND (
                        SELECT held.status FROM {Participant._meta.db_table} AS participant
                        JOIN {registrations} AS held ON held.id = participant.registration_id
                        WHERE participant.id = choice.participant_id
                    ) = ANY(%s)
                ) > (SELECT workshop.capacity FROM {Workshop._meta.db_table} AS workshop
                     WHERE workshop.id = wanted.workshop_id))
    """  # noqa: S608 - table names come from the models, values are parameters
    workshop_ids = sorted(demand)
    params = [
        status,
        registration.pk,
        event.capacity,
        event.capacity,
        event.pk,
        holds,
        workshop_ids,
        [demand[w] for w in workshop_ids],
        holds,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1


def take_places_portably(registration, event, demand, status):
    """The same decision for the embedded SQLite database of a local demo, in plain ORM.

    SQLite lets one writer at a time in, which serialises registrations as the event lock
    does on PostgreSQL; the single-statement version above is what production runs.
    """
    from registrations.models import Registration

    if event.capacity is not None and selectors.places_taken(event) >= event.capacity:
        return False
    taken = selectors.workshop_taken(demand.keys(), exclude_registration=registration)
    capacity = dict(Workshop.objects.filter(pk__in=demand).values_list("pk", "capacity"))
    if any(taken[w] + seats > capacity[w] for w, seats in demand.items()):
        return False
    return bool(Registration.objects.filter(pk=registration.pk).update(status=status, waitlisted_at=None))
