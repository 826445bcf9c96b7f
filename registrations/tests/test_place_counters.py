"""The place counters the database keeps (migration registrations 0005) always equal the
places counted from the registrations themselves, whatever changes them."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from conftest import make_conference, make_team_session, person
from events.models import Event
from registrations import selectors
from registrations.errors import EventFull, WorkshopFull
from registrations.models import Registration, WorkshopChoice
from registrations.services.admission import admit, decline
from registrations.services.registering import cancel, change_workshops, register
from registrations.tests.team_helpers import sign_up
from workshops.models import Workshop


def counters(event):
    with connection.cursor() as cursor:
        cursor.execute("SELECT places_taken FROM events_event WHERE id = %s", [event.pk])
        (places,) = cursor.fetchone()
        cursor.execute(
            "SELECT workshop.id, workshop.seats_taken FROM workshops_workshop AS workshop "
            "JOIN workshops_round AS rnd ON rnd.id = workshop.round_id WHERE rnd.event_id = %s",
            [event.pk],
        )
        seats = dict(cursor.fetchall())
    return places, seats


def counted(event):
    workshops = list(Workshop.objects.filter(round__event=event).values_list("pk", flat=True))
    return selectors.places_taken(event), selectors.workshop_taken(workshops)


def assert_counters_true(event):
    assert counters(event) == counted(event)


@pytest.mark.django_db
def test_counters_follow_every_change_of_a_conference_day(organisation):
    event = make_conference(organisation, capacity=3, workshop_capacity=2, per_round=3)
    rounds = [list(r.workshops.order_by("pk").values_list("pk", flat=True)) for r in event.rounds.order_by("number")]
    first, second = (rounds[0][0], rounds[1][0]), (rounds[0][1], rounds[1][1])

    a = register(event.pk, people=[person(1, first)])
    b = register(event.pk, people=[person(2, first)])
    seats = {workshop: 0 for workshops in rounds for workshop in workshops}
    assert counters(event) == (2, seats | {rounds[0][0]: 2, rounds[1][0]: 2})
    with pytest.raises(WorkshopFull):
        register(event.pk, people=[person(3, first)])
    waiting = register(event.pk, people=[person(3, first)], waitlist=True)
    assert_counters_true(event)
    c = register(event.pk, people=[person(4, second)])
    with pytest.raises(EventFull):
        register(event.pk, people=[person(5, second)])
    assert counters(event)[0] == 3
    assert_counters_true(event)

    with pytest.raises(WorkshopFull):
        change_workshops(c.pk, c.participants.get().pk, [rounds[0][1], rounds[1][0]])
    change_workshops(c.pk, c.participants.get().pk, [rounds[0][2], rounds[1][2]])
    assert counters(event)[1][rounds[0][1]] == 0 and counters(event)[1][rounds[0][2]] == 1
    assert_counters_true(event)
    cancel(a.pk)  # frees a place in both first workshops: the waiting one moves up
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert_counters_true(event)

    # Changes that bypass the services: a bulk update, a deleted choice, a deleted registration.
    Registration.objects.filter(pk=b.pk).update(status=Registration.Status.CANCELLED)
    assert_counters_true(event)
    WorkshopChoice.objects.filter(participant__registration=c).first().delete()
    assert_counters_true(event)
    Registration.objects.get(pk=waiting.pk).delete()
    assert_counters_true(event)
    assert counters(event)[0] == 1


@pytest.mark.django_db
def test_counters_follow_admission_of_teams(organisation):
    session = make_team_session(organisation, capacity=2)
    teams = [sign_up(session, municipality, n) for n, municipality in enumerate(["Nijmegen", "Arnhem"], 1)]
    waiting = sign_up(session, "Ede", 3, waitlist=True)
    assert counters(session)[0] == 2
    admit([teams[0].pk, teams[1].pk])
    decline([teams[1].pk])  # frees a place: the waiting team applies in its stead
    waiting.refresh_from_db()
    assert waiting.holds_place
    assert_counters_true(session)
    cancel(teams[0].pk)
    assert counters(session)[0] == 1
    assert_counters_true(session)


@pytest.mark.django_db
def test_saving_an_event_leaves_its_counter_alone(organisation):
    event = make_conference(organisation)
    stale = Event.objects.get(pk=event.pk)  # read before the registration, as an organiser's form would be
    register(event.pk, people=[person(1, [r.workshops.first().pk for r in event.rounds.all()])])
    stale.title = "Nieuwe titel"
    stale.save()
    assert counters(event)[0] == 1
    assert_counters_true(event)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_counters_stay_true_under_concurrent_registering_changing_and_cancelling(organisation):
    """Forty sessions at once on separate connections: people register (some for the waiting
    list, some cancelling at once), and others change the workshops of registrations made
    before or cancel them, while the triggers move the counters. Afterwards the counters
    equal the counts, and no event or workshop holds more than its capacity."""
    event = make_conference(organisation, capacity=12, workshop_capacity=4, per_round=6)
    rounds = [list(r.workshops.order_by("pk").values_list("pk", flat=True)) for r in event.rounds.order_by("number")]
    # Made beforehand, so that changing and cancelling happen whichever registrations win
    # the places meanwhile. Two in each of the first three workshops of a round; the changes
    # go to the other three, which nobody else chooses.
    earlier = [register(event.pk, people=[person(100 + k, (rounds[0][k % 3], rounds[1][k % 3]))]) for k in range(6)]
    start = threading.Barrier(40)

    def session(n):
        try:
            start.wait(timeout=30)
            if n < len(earlier):
                registration = earlier[n]
                if n % 2:
                    cancel(registration.pk)
                    return "cancelled"
                other = (rounds[0][3 + n % 3], rounds[1][3 + n % 3])
                change_workshops(registration.pk, registration.participants.get().pk, list(other))
                return "changed"
            choice = (rounds[0][n % 3], rounds[1][(n // 3) % 3])
            try:
                registration = register(event.pk, people=[person(n, choice)], waitlist=n % 3 == 0)
            except (EventFull, WorkshopFull):
                return "full"
            if n % 5 == 1:
                cancel(registration.pk)
                return "cancelled"
            return registration.status
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(session, range(40)))

    assert outcomes[: len(earlier)] == ["changed", "cancelled"] * 3
    assert {"confirmed", "full", "waitlisted"} <= set(outcomes[len(earlier) :])
    places, seats = counters(event)
    assert (places, seats) == counted(event)
    assert places <= 12 and all(taken <= 4 for taken in seats.values())
