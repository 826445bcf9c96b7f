"""Locks and checks on the rows that carry capacity, shared by every operation that
takes a place. Callers must be inside a transaction, except of save_rows_taking_places: it
is one statement, a transaction of its own.

Lock order is fixed (the event first, then its workshops by id) so that two transactions
never wait on each other in a cycle.
"""

import contextlib
import functools
import re
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction

from events.models import Event
from registrations import selectors
from registrations.errors import EventFull, InvalidChoice, RegistrationClosed, WorkshopFull
from registrations.services.new_rows import Expression, save_new_rows
from workshops.models import Workshop


def lock_event(event_id):
    """The event, its row locked until the transaction ends.

    Written as a raw query because every registration passes through it: building the same
    SELECT … FOR UPDATE through the queryset API cost three times the CPU, and CPU is what
    limits a crowd registering at once (bench/README.md). Where the database's values need
    no conversion (PostgreSQL), the row is read with a plain cursor: the raw queryset's own
    machinery cost twice the query itself.

    The lock is FOR NO KEY UPDATE: it excludes every other transaction that takes places
    (and the place counters' own updates, see migration registrations 0005) just the same,
    but lets others insert their registrations meanwhile, whose foreign key to the event
    only needs the row's key to stay.
    """
    sql, names, plain = lock_event_statement(connection.vendor)
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


class WindowChanged(Exception):
    """The event's registration window was changed since the caller read it: read it again."""


# The rules the registering statement can end with (migration registrations 0010).
NO_EVENT, WINDOW_CHANGED = "regiodag_no_event", "regiodag_window_changed"
EVENT_FULL, WORKSHOP_FULL = "regiodag_event_full", "regiodag_workshop_full"


def save_rows_taking_places(event_id, demand, registration, participants, choices, mails, *, now, waitlist, window):
    """Write a new registration's rows with its place(s) taken, or on the waiting list;
    returns (the event as locked, whether it got its places).

    ``registration`` comes waiting (status waitlisted since ``now``); ``demand`` maps
    workshop id to the seats it wants. With room for all of it, it is written confirmed, or
    applied where the organiser admits. Without, it is written waiting with its mails made
    "waitlisted" if ``waitlist``, and refused (EventFull or WorkshopFull) otherwise.
    ``window``: the event's REGISTRATION_WINDOW_FIELDS as the caller read them, having
    found the window open; WindowChanged if they differ now. Refused, nothing is stored.

    On PostgreSQL this is one statement, without a transaction around it: every statement
    and round trip costs CPU, and a crowd registering at once is limited by CPU
    (bench/README.md). It locks the event and then the chosen workshops (the fixed order),
    reads their place counters (migration registrations 0005) as locked, so as the last
    place holder left them, decides, and writes the rows with the outcome; a refusal ends
    the statement as a broken rule (migration 0010), which stores nothing. The locks last
    until the statement ends. They come before the rows, so two registrations of one
    address cannot deadlock over the unique index: the second waits for the lock, then
    finds the first's row.
    """
    decide, names, plain = placing_statement()
    if connection.vendor != "postgresql" or not plain:
        with transaction.atomic():
            return save_rows_taking_places_portably(
                event_id, demand, registration, participants, choices, mails, now=now, waitlist=waitlist
            )
    from registrations.models import Registration

    workshop_ids = sorted(demand)
    params = [event_id, workshop_ids, [demand[w] for w in workshop_ids], *window]
    params += [Event.Admission.BY_ORGANISER, Registration.Status.APPLIED, Registration.Status.CONFIRMED]
    params += [waitlist, Registration.Status.WAITLISTED, now]
    kinds = [mail.kind for mail in mails]
    registration.status = Expression("(SELECT new_status FROM decision)")
    registration.waitlisted_at = Expression("(SELECT new_waitlisted_at FROM decision)")
    for mail, kind in zip(mails, kinds, strict=True):
        mail.kind = Expression("(SELECT CASE WHEN room THEN %s ELSE %s END FROM decision)", (kind, "waitlisted"))
    try:
        # Within a caller's transaction, a savepoint keeps it usable after a refusal.
        with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
            row = save_new_rows(
                [registration],
                participants,
                choices,
                mails,
                before=[(decide, params)],
                then=("SELECT * FROM decision", []),
            )
    except IntegrityError as exc:
        refused = refusal(exc, event_id)
        if refused is None:
            raise
        raise refused from exc
    *event_row, room, status, waitlisted_at = row
    registration.status, registration.waitlisted_at = status, waitlisted_at
    for mail, kind in zip(mails, kinds, strict=True):
        mail.kind = kind if room else "waitlisted"
    return Event.from_db(connection.alias, names, event_row), room


def refusal(error, event_id):
    """The exception to raise for the registering statement's refusal, or None if the
    error is not one (a unique rule, say: the caller tells those apart)."""
    diag = getattr(error.__cause__, "diag", None)
    rule = getattr(diag, "constraint_name", None)
    if rule == EVENT_FULL:
        return EventFull()
    if rule == WORKSHOP_FULL:
        workshop = Workshop.objects.select_related("round").filter(pk=int(diag.message_detail)).first()
        if workshop is None:
            # Full, and removed since: that choice cannot be made at all.
            return InvalidChoice(field="workshops")
        return WorkshopFull(workshop, field=f"round_{workshop.round.number}")
    if rule == WINDOW_CHANGED:
        return WindowChanged()
    if rule == NO_EVENT:
        return Event.DoesNotExist(f"Event {event_id} does not exist.")
    return None


def save_rows_taking_places_portably(event_id, demand, registration, participants, choices, mails, *, now, waitlist):
    """The same for the embedded SQLite database of a local demo, in the caller's
    transaction: the rows, then the lock (SQLite lets one writer at a time in), then the
    window and the places, by counting."""
    from registrations.models import Mail, Registration

    save_new_rows([registration], participants, choices, mails)
    event = lock_event(event_id)
    if event.registration_state(now) != "open":
        raise RegistrationClosed()
    placed = (
        Registration.Status.APPLIED
        if event.admission == Event.Admission.BY_ORGANISER
        else Registration.Status.CONFIRMED
    )
    if take_places_portably(registration, event, demand, placed):
        registration.status, registration.waitlisted_at = placed, None
        return event, True
    if not waitlist:
        raise why_full(event, demand)
    Mail.objects.filter(pk__in=[mail.pk for mail in mails]).update(kind="waitlisted")
    for mail in mails:
        mail.kind = "waitlisted"
    return event, False


def why_full(event, demand):
    """The refusal to give when the places could not be taken (the event is locked)."""
    if event.capacity is not None and selectors.places_taken(event) >= event.capacity:
        return EventFull()
    try:
        check_workshop_room(Workshop.objects.select_related("round").in_bulk(demand), demand)
    except WorkshopFull as full:
        return full
    return EventFull()


@functools.cache
def placing_statement():
    """(WITH clauses, the event's field names, whether its values need no conversion) of
    save_rows_taking_places on PostgreSQL.

    Parameters: the event id; the workshop ids and the seats wanted of each (two arrays);
    the window's values as read (Event.REGISTRATION_WINDOW_FIELDS); the by-organiser
    admission, the statuses applied and confirmed; whether the waiting list was asked for,
    the status waitlisted and the moment. ``decision`` is one row: the event's columns,
    ``room``, and the registration's ``new_status`` and ``new_waitlisted_at``; where the
    status is a refusal, reading it ends the statement.

    Locked rows are read as their latest version, also where another transaction changed
    them while this one waited for the lock; anything else in the statement is read as it
    was when the statement began. So the counters are read only from locked rows, and the
    workshops are locked only once the event is (the EXISTS on ``held``, evaluated before
    their scan).
    """
    _sql, names, plain = lock_event_statement(connection.vendor)
    quote = connection.ops.quote_name
    columns = [quote(field.column) for field in Event._meta.concrete_fields]
    window = [quote(Event._meta.get_field(name).column) for name in Event.REGISTRATION_WINDOW_FIELDS]
    window_types = [Event._meta.get_field(name).db_type(connection) for name in Event.REGISTRATION_WINDOW_FIELDS]
    clauses = f"""
        held AS MATERIALIZED (
            SELECT {", ".join(columns)}, places_taken FROM {quote(Event._meta.db_table)}
            WHERE id = %s FOR NO KEY UPDATE),
        seats AS MATERIALIZED (
            SELECT workshop.id, workshop.seats_taken + wanted.seats > workshop.capacity AS over
            FROM unnest(%s::bigint[], %s::integer[]) AS wanted(workshop_id, seats)
            JOIN {quote(Workshop._meta.db_table)} AS workshop ON workshop.id = wanted.workshop_id
            WHERE EXISTS (SELECT FROM held)
            ORDER BY workshop.id
            FOR NO KEY UPDATE OF workshop),
        decision AS MATERIALIZED (
            SELECT {", ".join(f"held.{column}" for column in columns)}, decided.room,
                   CASE
                       WHEN held.id IS NULL THEN regiodag_refuse('{NO_EVENT}')
                       WHEN ({", ".join(f"held.{column}" for column in window)})
                            IS DISTINCT FROM ({", ".join(f"%s::{kind}" for kind in window_types)})
                           THEN regiodag_refuse('{WINDOW_CHANGED}')
                       WHEN decided.room THEN CASE WHEN held.admission = %s THEN %s ELSE %s END
                       WHEN %s THEN %s
                       WHEN decided.event_full THEN regiodag_refuse('{EVENT_FULL}')
                       ELSE regiodag_refuse('{WORKSHOP_FULL}', (SELECT min(id) FROM seats WHERE over)::text)
                   END AS new_status,
                   CASE WHEN decided.room THEN NULL ELSE %s::timestamptz END AS new_waitlisted_at
            FROM (VALUES (1)) AS one
            LEFT JOIN held ON true
            CROSS JOIN LATERAL (
                SELECT held.capacity IS NOT NULL AND held.places_taken >= held.capacity AS event_full) AS counted
            CROSS JOIN LATERAL (
                SELECT held.id IS NOT NULL AND NOT counted.event_full
                       AND NOT EXISTS (SELECT FROM seats WHERE seats.over) AS room,
                       counted.event_full) AS decided)
    """  # noqa: S608 - names come from the models, values are parameters
    return clauses, names, plain


@functools.cache
def lock_event_statement(vendor):
    """(SQL, field names, whether rows need no conversion) of lock_event, per database kind."""
    lock = ""
    if connection.features.has_select_for_no_key_update:
        lock = " FOR NO KEY UPDATE"
    elif connection.features.has_select_for_update:
        lock = " FOR UPDATE"
    quote = connection.ops.quote_name
    fields = Event._meta.concrete_fields
    # The columns by name, not *: a statement prepared on a long-lived connection must keep
    # its result type when a migration adds a column.
    columns = ", ".join(quote(field.column) for field in fields)
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
    # The event's Event.REGISTRATION_WINDOW_FIELDS, in that order.
    window: tuple

    def registration_state(self, now):
        """The event's registration_state() as these facts have it."""
        return Event(**dict(zip(Event.REGISTRATION_WINDOW_FIELDS, self.window, strict=True))).registration_state(now)


def registration_facts(event_id, email):
    """What registering needs to know before the event is locked, in one raw query (for
    the reason given at lock_event).

    When a crowd arrives, most who come after the last place see the event full; knowing
    that before anything is written saves them the rows, the wait for the lock and the
    rollback. Someone already registered is still told so (their insert is refused).
    """
    with connection.cursor() as cursor:
        cursor.execute(facts_statement(connection.vendor), [email, event_id])
        rows = cursor.fetchall()
    if not rows:
        raise Event.DoesNotExist(f"Event {event_id} does not exist.")
    series_id, looked_full, registered = rows[0][:3]
    round_of = {workshop: rnd for *_event, workshop, rnd in rows if workshop is not None}
    values = rows[0][3 : 3 + len(Event.REGISTRATION_WINDOW_FIELDS)]
    window = tuple(
        from_db(Event._meta.get_field(name), value)
        for name, value in zip(Event.REGISTRATION_WINDOW_FIELDS, values, strict=True)
    )
    return RegistrationFacts(series_id, round_of, bool(looked_full), bool(registered), window)


def from_db(field, value):
    """A column's value from a plain cursor as the ORM would give it (SQLite gives dates as
    text; PostgreSQL needs nothing done)."""
    column = field.get_col(field.model._meta.db_table)
    for converter in connection.ops.get_db_converters(column) + field.get_db_converters(connection):
        value = converter(value, column, connection)
    return value


@functools.cache
def facts_statement(vendor):
    """The SQL of registration_facts, with two parameters: the address and the event id.

    The statuses are literals, not parameters: only then can the generic plan of a
    prepared statement use the partial unique index on (event, email) of active
    registrations; with parameters it read every registration of the event instead.
    """
    from registrations.models import Registration
    from workshops.models import Round

    quote = connection.ops.quote_name
    registrations = quote(Registration._meta.db_table)
    window = ", ".join(
        f"event.{quote(Event._meta.get_field(name).column)}" for name in Event.REGISTRATION_WINDOW_FIELDS
    )
    if vendor == "postgresql":
        # The place counter kept by the database (migration registrations 0005).
        held, materialized = "event.places_taken", "MATERIALIZED"
    else:
        held = f"""(SELECT count(*) FROM {registrations} AS held
                    WHERE held.event_id = event.id AND held.status IN ({sql_literals(Registration.HOLDS_PLACE)}))"""  # noqa: S608
        materialized = ""
    return f"""
        WITH event AS {materialized} (
            SELECT event.id, event.series_id, {window},
                   event.capacity IS NOT NULL AND event.capacity <= {held} AS looked_full,
                   EXISTS (
                       SELECT 1 FROM {registrations} AS same
                       WHERE same.event_id = event.id AND same.email = %s
                         AND same.status IN ({sql_literals(Registration.ACTIVE)})) AS registered
            FROM {quote(Event._meta.db_table)} AS event
            WHERE event.id = %s
        )
        SELECT event.series_id, event.looked_full, event.registered, {window}, workshop.id, workshop.round_id
        FROM event
        LEFT JOIN {quote(Round._meta.db_table)} AS rnd ON rnd.event_id = event.id
        LEFT JOIN {quote(Workshop._meta.db_table)} AS workshop ON workshop.round_id = rnd.id
    """  # noqa: S608 - names come from the models, statuses are checked words, values are parameters


def sql_literals(values):
    """Fixed words (statuses) as a list of SQL string literals; refuses anything else."""
    if not all(re.fullmatch(r"[a-z_]+", value) for value in values):
        raise ValueError(f"Not a fixed word: {values!r}")
    return ", ".join(f"'{value}'" for value in values)


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


def take_places_portably(registration, event, demand, status):
    """Give a waiting registration its place(s) if there is room, counting them, with the
    event locked (SQLite lets one writer at a time in, which serialises registrations as
    the event lock does on PostgreSQL); returns whether it did."""
    from registrations.models import Registration

    if event.capacity is not None and selectors.places_taken(event) >= event.capacity:
        return False
    taken = selectors.workshop_taken(demand.keys(), exclude_registration=registration)
    capacity = dict(Workshop.objects.filter(pk__in=demand).values_list("pk", "capacity"))
    if any(taken[w] + seats > capacity[w] for w, seats in demand.items()):
        return False
    return bool(Registration.objects.filter(pk=registration.pk).update(status=status, waitlisted_at=None))
