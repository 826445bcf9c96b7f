"""The capacity service (registrations/services/places.py) through the operations that use
it: what each one stores, and that the places counted from the rows never pass a capacity,
whatever changes them, also under concurrent sessions."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from conftest import make_conference, make_team_session, person, team
from events.models import Event
from registrations import selectors
from registrations.driehoek.admission import admit, decline
from registrations.errors import EventFull, InvalidChoice, WorkshopFull
from registrations.models import Mail, Participant, Registration, WorkshopChoice
from registrations.services.registering import cancel, change_workshops, register
from registrations.tests.team_helpers import sign_up
from workshops.models import Workshop


def counted(event):
    """(places taken, {workshop id: seats taken}) counted from the rows."""
    workshops = list(Workshop.objects.filter(round__event=event).values_list("pk", flat=True))
    return selectors.places_taken(event), selectors.workshop_taken(workshops)


def workshops_by_round(event):
    return [list(r.workshops.order_by("pk").values_list("pk", flat=True)) for r in event.rounds.order_by("number")]


@pytest.mark.django_db
def test_a_team_is_written_with_every_row_and_reference_right(organisation):
    event = make_conference(organisation, per_round=3)
    rounds = workshops_by_round(event)
    # Each member a different workshop in each round, so a mixed-up reference shows.
    people = [
        person(n, (rounds[0][n], rounds[1][n]), email=f"lid{n}@example.org", given_name=f"Lid{n}") for n in range(3)
    ]
    registration = register(event.pk, people=people, contact_email="Contact@Example.org", contact_name="Contact")
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.email, stored.status, stored.waitlisted_at) == ("contact@example.org", "confirmed", None)
    for n, participant in enumerate(stored.participants.order_by("pk")):
        assert participant.given_name == f"Lid{n}" and participant.search_name
        assert sorted(participant.choices.values_list("workshop_id", "round_id")) == sorted(
            (rounds[r][n], Workshop.objects.get(pk=rounds[r][n]).round_id) for r in range(2)
        )
        assert list(participant.mails.values_list("kind", "recipient", "registration_id")) == [
            ("acknowledgement", f"lid{n}@example.org", stored.pk)
        ]
    assert counted(event) == (1, {w: 1 for r in rounds for w in r})


@pytest.mark.django_db
def test_without_room_but_asking_for_the_waiting_list_the_rows_are_written_waiting(organisation):
    event = make_conference(organisation, capacity=10, workshop_capacity=2)
    first = [r[0] for r in workshops_by_round(event)]
    people = [person(n, first, email=f"lid{n}@example.org") for n in range(3)]
    registration = register(event.pk, people=people, waitlist=True)
    stored = Registration.objects.get(pk=registration.pk)
    assert stored.status == Registration.Status.WAITLISTED and stored.waitlisted_at is not None
    assert set(Mail.objects.filter(registration=stored).values_list("kind", flat=True)) == {"waitlisted"}
    assert WorkshopChoice.objects.filter(participant__registration=stored).count() == 6  # kept as preferences
    assert counted(event)[0] == 0


@pytest.mark.django_db
def test_an_event_admitting_by_the_organiser_takes_the_place_as_applied(organisation):
    event = make_conference(organisation)
    Event.objects.filter(pk=event.pk).update(admission=Event.Admission.BY_ORGANISER)
    registration = register(event.pk, people=[person(1, [r[0] for r in workshops_by_round(event)])])
    assert Registration.objects.get(pk=registration.pk).status == Registration.Status.APPLIED
    assert counted(event)[0] == 1


@pytest.mark.django_db
def test_registering_for_a_missing_event_says_so(organisation):
    with pytest.raises(Event.DoesNotExist):
        register(12345, people=[person(1)])


@pytest.mark.django_db
@pytest.mark.parametrize(("capacity", "seats", "refusal"), [(1, 10, EventFull), (10, 2, WorkshopFull)])
def test_without_room_and_without_the_waiting_list_nothing_is_stored(organisation, capacity, seats, refusal):
    event = make_conference(organisation, capacity=capacity, workshop_capacity=seats)
    rounds = workshops_by_round(event)
    if refusal is EventFull:
        register(event.pk, people=[person(9, [r[-1] for r in rounds])])  # the one place
    before = (Registration.objects.count(), Participant.objects.count(), Mail.objects.count(), counted(event))
    people = [person(n, [r[0] for r in rounds], email=f"lid{n}@example.org") for n in range(3)]
    with pytest.raises(refusal) as refused:
        register(event.pk, people=people)
    if refusal is WorkshopFull:
        assert refused.value.field == "round_1"
    assert (Registration.objects.count(), Participant.objects.count(), Mail.objects.count(), counted(event)) == before


@pytest.mark.django_db
def test_two_workshops_in_one_round_is_an_invalid_choice(organisation):
    event = make_conference(organisation)
    rounds = workshops_by_round(event)
    with pytest.raises(InvalidChoice):
        register(event.pk, people=[person(1, [rounds[0][0], rounds[0][1]])])
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_places_follow_every_change_of_a_conference_day(organisation):
    event = make_conference(organisation, capacity=3, workshop_capacity=2, per_round=3)
    rounds = workshops_by_round(event)
    first, second = (rounds[0][0], rounds[1][0]), (rounds[0][1], rounds[1][1])
    none = {workshop: 0 for workshops in rounds for workshop in workshops}

    a = register(event.pk, people=[person(1, first)])
    register(event.pk, people=[person(2, first)])
    assert counted(event) == (2, none | {rounds[0][0]: 2, rounds[1][0]: 2})
    with pytest.raises(WorkshopFull):
        register(event.pk, people=[person(3, first)])
    waiting = register(event.pk, people=[person(3, first)], waitlist=True)
    c = register(event.pk, people=[person(4, second)])
    with pytest.raises(EventFull):
        register(event.pk, people=[person(5, second)])
    assert counted(event)[0] == 3

    with pytest.raises(WorkshopFull):
        change_workshops(c.pk, c.participants.get().pk, [rounds[0][0], rounds[1][1]])
    change_workshops(c.pk, c.participants.get().pk, [rounds[0][2], rounds[1][2]])
    assert counted(event)[1][rounds[0][1]] == 0 and counted(event)[1][rounds[0][2]] == 1
    cancel(a.pk)  # frees a place in both first workshops: the waiting one moves up
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert counted(event) == (3, none | {rounds[0][0]: 2, rounds[1][0]: 2, rounds[0][2]: 1, rounds[1][2]: 1})


@pytest.mark.django_db
def test_promotion_skips_a_waiting_registration_whose_workshop_is_still_full(organisation):
    event = make_conference(organisation, capacity=2, workshop_capacity=1, per_round=3)
    rounds = workshops_by_round(event)
    a = register(event.pk, people=[person(1, (rounds[0][0], rounds[1][0]))])
    b = register(event.pk, people=[person(2, (rounds[0][1], rounds[1][1]))])
    blocked = register(event.pk, people=[person(3, (rounds[0][0], rounds[1][2]))], waitlist=True)
    behind = register(event.pk, people=[person(4, (rounds[0][2], rounds[1][2]))], waitlist=True)
    cancel(b.pk)  # an event place frees, but not the first workshop 'blocked' wants
    blocked.refresh_from_db()
    behind.refresh_from_db()
    assert (blocked.status, behind.status) == ("waitlisted", "confirmed")
    assert a.pk and counted(event)[0] == 2


@pytest.mark.django_db
def test_places_follow_admission_of_teams(organisation):
    session = make_team_session(organisation, capacity=2)
    teams = [sign_up(session, municipality, n) for n, municipality in enumerate(["Nijmegen", "Arnhem"], 1)]
    waiting = sign_up(session, "Ede", 3, waitlist=True)
    assert counted(session)[0] == 2 and waiting.status == Registration.Status.WAITLISTED
    admit([teams[0].pk, teams[1].pk])
    assert counted(session)[0] == 2
    decline([teams[1].pk])  # frees a place: the waiting team applies in its stead
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.APPLIED
    assert counted(session)[0] == 2
    cancel(teams[0].pk)
    assert counted(session)[0] == 1
    register(session.pk, people=team("Tiel", 7), municipality="Tiel")  # takes the freed place
    with pytest.raises(EventFull):
        register(session.pk, people=team("Epe", 8), municipality="Epe")
    assert counted(session)[0] == 2


@pytest.mark.django_db
def test_the_counters_and_their_triggers_are_gone(organisation):
    """Migration registrations 0012: no column, trigger or function of the old counters."""
    if connection.vendor != "postgresql":
        pytest.skip("the counters only ever existed on PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE column_name IN ('places_taken', 'seats_taken')"
        )
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname IN ('registration_places', 'choice_seats')")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT count(*) FROM pg_proc WHERE proname LIKE 'regiodag\\_%'")
        assert cursor.fetchone() == (0,)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_places_stay_within_capacity_under_concurrent_registering_changing_and_cancelling(organisation):
    """Forty sessions at once on separate connections: people register (some for the waiting
    list, some cancelling at once), and others change the workshops of registrations made
    before or cancel them. Afterwards no event or workshop holds more than its capacity."""
    event = make_conference(organisation, capacity=12, workshop_capacity=4, per_round=6)
    rounds = workshops_by_round(event)
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
    places, seats = counted(event)
    assert places <= 12
    assert all(taken <= 4 for taken in seats.values())
