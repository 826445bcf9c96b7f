"""Saving a registration's new rows in one statement: every row, every reference right."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_conference
from events.models import Event
from registrations.mails.outbox import first_mails
from registrations.models import Mail, Participant, Registration, WorkshopChoice
from registrations.services.new_rows import save_new_rows
from registrations.services.places import save_rows_and_lock_event


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
def test_the_event_is_locked_with_the_rows_only_after_they_are_written(organisation):
    """The order that keeps two registrations of one address from deadlocking
    (registrations.services.places.save_rows_and_lock_event)."""
    event = make_conference(organisation)
    registration, participants = new_team(event)
    with CaptureQueriesContext(connection) as queries:
        locked = save_rows_and_lock_event(event.pk, [registration], participants)
    assert len(queries) == 1 and "FOR NO KEY UPDATE" in queries[0]["sql"]
    assert (locked.pk, locked.slug, locked.capacity) == (event.pk, event.slug, event.capacity)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {queries[0]['sql']}")
        plan = "\n".join(line for (line,) in cursor.fetchall())
    # The lock's condition reads the registration's new row: evaluated first, below the lock.
    lock_rows = plan.index("LockRows")
    assert "CTE Scan on new_0" in plan[lock_rows:]


@pytest.mark.django_db
def test_locking_a_missing_event_after_the_rows_says_so(organisation):
    event = make_conference(organisation)
    registration, participants = new_team(event)
    with pytest.raises(Event.DoesNotExist):
        save_rows_and_lock_event(event.pk + 1000, [registration], participants)
