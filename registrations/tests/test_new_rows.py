"""Saving a registration's new rows in one statement: every row, every reference right."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_conference, person
from events.models import Event
from registrations.errors import EventFull, WorkshopFull
from registrations.mails.outbox import first_mails
from registrations.models import Mail, Participant, Registration, WorkshopChoice
from registrations.services.new_rows import Expression, save_new_rows
from registrations.services.places import WindowChanged, save_rows_taking_places
from registrations.services.registering import register
from registrations.tests.test_place_counters import counters


def new_team(event):
    registration = Registration(event=event, email="contact@example.org", contact_name="Contact")
    participants = [
        Participant(
            registration=registration, given_name=f"Lid{n}", family_name=f"Team{n}", email=f"lid{n}@example.org"
        )
        for n in range(3)
    ]
    return registration, participants


@pytest.mark.django_db
def test_rows_are_saved_with_their_references_in_one_statement(organisation):
    event = make_conference(organisation, per_round=3)
    workshops = [list(r.workshops.order_by("pk")) for r in event.rounds.order_by("number")]
    registration, participants = new_team(event)
    # Each member a different workshop in each round, so a mixed-up reference shows.
    choices = [
        WorkshopChoice(participant=p, workshop=workshops[r][n], round_id=workshops[r][n].round_id)
        for n, p in enumerate(participants)
        for r in range(2)
    ]
    mails = first_mails(registration, "acknowledgement", participants)

    with CaptureQueriesContext(connection) as queries:
        save_new_rows([registration], participants, choices, mails)
    assert len(queries) == 1

    assert Registration.objects.get(pk=registration.pk).email == "contact@example.org"
    assert not registration._state.adding
    for n, participant in enumerate(participants):
        assert participant.registration_id == registration.pk
        stored = Participant.objects.get(pk=participant.pk)
        assert (stored.given_name, stored.registration_id) == (f"Lid{n}", registration.pk)
        assert sorted(stored.choices.values_list("workshop_id", flat=True)) == [
            workshops[0][n].pk,
            workshops[1][n].pk,
        ]
        assert list(stored.mails.values_list("recipient", "registration_id")) == [
            (f"lid{n}@example.org", registration.pk)
        ]
    assert [c.participant_id for c in choices] == [p.pk for p in participants for _round in range(2)]
    assert all(mail.pk and mail.participant_id for mail in mails)
    # Defaults and automatic fields are the models' own.
    stored = Registration.objects.get(pk=registration.pk)
    assert stored.token == registration.token and len(stored.token) >= 40
    assert stored.created_at is not None and stored.status == Registration.Status.CONFIRMED
    assert Mail.objects.get(pk=mails[0].pk).status == Mail.Status.QUEUED


@pytest.mark.django_db
def test_an_empty_list_is_left_out(organisation):
    event = make_conference(organisation)
    registration, participants = new_team(event)
    save_new_rows([registration], participants, [], [])
    assert Participant.objects.filter(registration=registration).count() == 3
    assert WorkshopChoice.objects.count() == 0


@pytest.mark.django_db
def test_a_query_then_runs_in_the_same_statement_and_sees_the_first_rows(organisation):
    event = make_conference(organisation)
    registration, participants = new_team(event)
    with CaptureQueriesContext(connection) as queries:
        row = save_new_rows([registration], participants, then=("SELECT count(*), %s::text FROM {new}", ["zin"]))
    assert len(queries) == 1
    assert tuple(row) == (1, "zin")
    assert registration.pk and all(p.registration_id == registration.pk for p in participants)


@pytest.mark.django_db
def test_a_query_then_that_finds_nothing_gives_nones_and_the_rows_are_saved(organisation):
    event = make_conference(organisation)
    registration, participants = new_team(event)
    row = save_new_rows([registration], participants, then=("SELECT 1, 2 FROM {new} WHERE false", []))
    assert tuple(row) == (None, None)
    assert Participant.objects.filter(registration=registration).count() == 3


@pytest.mark.django_db
def test_an_expression_value_and_a_clause_before_are_written_in_the_same_statement(organisation):
    event = make_conference(organisation)
    registration, participants = new_team(event)
    registration.contact_name = Expression("(SELECT upper(name) FROM chosen)")
    with CaptureQueriesContext(connection) as queries:
        save_new_rows([registration], participants, before=[("chosen AS (SELECT %s::text AS name)", ["gekozen"])])
    assert len(queries) == 1
    assert Registration.objects.get(pk=registration.pk).contact_name == "GEKOZEN"


def team_choices(event, participants):
    first = [r.workshops.order_by("pk").first() for r in event.rounds.order_by("number")]
    return [WorkshopChoice(participant=p, workshop=w, round_id=w.round_id) for p in participants for w in first], {
        w.pk: len(participants) for w in first
    }


def place_counters(event):
    """(places taken, seats taken per workshop in id order), as the triggers counted them."""
    places, seats = counters(event)
    return places, [seats[pk] for pk in sorted(seats)]


@pytest.mark.django_db
def test_rows_are_written_with_their_places_taken_in_one_statement(organisation):
    """save_rows_taking_places: the outcome decided under the locks and written once; the
    counters count each place and seat once (migration 0009)."""
    event = make_conference(organisation, capacity=10, workshop_capacity=5)
    registration, participants = new_team(event)
    choices, demand = team_choices(event, participants)
    mails = first_mails(registration, "acknowledgement", participants)
    now = timezone.now()
    with CaptureQueriesContext(connection) as queries:
        locked, placed = take_places(event, registration, participants, choices, mails, now=now)
    (statement,) = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    assert statement.count("FOR NO KEY UPDATE") == 2
    assert placed and (locked.pk, locked.slug, locked.capacity) == (event.pk, event.slug, event.capacity)
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.status, stored.waitlisted_at) == (Registration.Status.CONFIRMED, None)
    assert (registration.status, registration.waitlisted_at) == (Registration.Status.CONFIRMED, None)
    assert set(Mail.objects.filter(registration=stored).values_list("kind", flat=True)) == {"acknowledgement"}
    assert [mail.kind for mail in mails] == ["acknowledgement"] * 3
    # One place for the team, a seat for each member.
    assert place_counters(event) == (1, [3, 0, 3, 0])

    # The workshops' rows are locked only once the event's is: their scan waits for it.
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {statement}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    seats = plan[plan.index("CTE seats") :]
    assert "One-Time Filter" in seats and "CTE Scan on held" in seats


@pytest.mark.django_db
def test_without_room_the_rows_are_written_waiting(organisation):
    event = make_conference(organisation, capacity=10, workshop_capacity=2)
    registration, participants = new_team(event)
    choices, demand = team_choices(event, participants)
    mails = first_mails(registration, "acknowledgement", participants)
    now = timezone.now()
    _locked, placed = take_places(event, registration, participants, choices, mails, now=now, waitlist=True)
    assert not placed
    stored = Registration.objects.get(pk=registration.pk)
    assert (stored.status, stored.waitlisted_at) == (Registration.Status.WAITLISTED, now)
    assert (registration.status, registration.waitlisted_at) == (Registration.Status.WAITLISTED, now)
    assert set(Mail.objects.filter(registration=stored).values_list("kind", flat=True)) == {"waitlisted"}
    assert [mail.kind for mail in mails] == ["waitlisted"] * 3
    assert place_counters(event) == (0, [0, 0, 0, 0])


@pytest.mark.django_db
def test_an_event_admitting_by_the_organiser_takes_the_places_as_applied(organisation):
    event = make_conference(organisation)
    Event.objects.filter(pk=event.pk).update(admission=Event.Admission.BY_ORGANISER)
    registration, participants = new_team(event)
    choices, demand = team_choices(event, participants)
    _locked, placed = take_places(event, registration, participants, choices, [])
    assert placed and Registration.objects.get(pk=registration.pk).status == Registration.Status.APPLIED
    assert place_counters(event) == (1, [3, 0, 3, 0])


@pytest.mark.django_db
def test_taking_places_in_a_missing_event_says_so(organisation):
    event = make_conference(organisation)
    registration, participants = new_team(event)
    with pytest.raises(Event.DoesNotExist):
        take_places(event, registration, participants, [], [], event_id=event.pk + 1000)


@pytest.mark.django_db
@pytest.mark.parametrize(("capacity", "seats", "refusal"), [(1, 10, EventFull), (10, 2, WorkshopFull)])
def test_without_room_and_without_the_waiting_list_nothing_is_stored(organisation, capacity, seats, refusal):
    event = make_conference(organisation, capacity=capacity, workshop_capacity=seats)
    if refusal is EventFull:
        last = [r.workshops.order_by("pk").last().pk for r in event.rounds.order_by("number")]
        register(event.pk, people=[person(9, last)])  # the one place
    before = (Registration.objects.count(), Participant.objects.count(), Mail.objects.count(), place_counters(event))
    registration, participants = new_team(event)
    choices, _demand = team_choices(event, participants)
    mails = first_mails(registration, "acknowledgement", participants)
    with pytest.raises(refusal) as refused:
        take_places(event, registration, participants, choices, mails)
    if refusal is WorkshopFull:
        assert refused.value.field == "round_1"
    assert (Registration.objects.count(), Participant.objects.count(), Mail.objects.count()) == before[:3]
    assert place_counters(event) == before[3]


@pytest.mark.django_db
def test_a_window_changed_since_it_was_read_stores_nothing(organisation):
    event = make_conference(organisation)
    registration, participants = new_team(event)
    window = tuple(getattr(event, name) for name in Event.REGISTRATION_WINDOW_FIELDS)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    with pytest.raises(WindowChanged):
        take_places(event, registration, participants, [], [], window=window)
    assert not Registration.objects.exists()


def take_places(
    event, registration, participants, choices, mails, *, now=None, waitlist=False, window=None, event_id=None
):
    """save_rows_taking_places with the demand of ``choices`` and the window as ``event`` has it."""
    demand = {}
    for choice in choices:
        demand[choice.workshop_id] = demand.get(choice.workshop_id, 0) + 1
    if window is None:
        window = tuple(getattr(event, name) for name in Event.REGISTRATION_WINDOW_FIELDS)
    return save_rows_taking_places(
        event_id or event.pk,
        demand,
        registration,
        participants,
        choices,
        mails,
        now=now or timezone.now(),
        waitlist=waitlist,
        window=window,
    )
