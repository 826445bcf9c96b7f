"""The core place-taking services: register, waitlist, cancel, promote."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import person
from events.models import Event
from registrations.errors import DuplicateRegistration, EventFull, InvalidChoice, RegistrationClosed, WorkshopFull
from registrations.models import Mail, Participant, Registration
from registrations.services.places import RegistrationFacts
from registrations.services.registering import cancel, register
from workshops.models import Workshop


def first_workshops(event):
    return [r.workshops.order_by("pk").first().pk for r in event.rounds.all()]


@pytest.mark.django_db(transaction=True)
def test_register_confirms_and_records_acknowledgement(conference):
    registration = register(conference.pk, people=[person(1, first_workshops(conference))])
    assert registration.status == Registration.Status.CONFIRMED
    assert len(registration.token) >= 40
    assert Mail.objects.filter(registration=registration, kind="acknowledgement").count() == 1


@pytest.mark.django_db
def test_one_workshop_per_round_is_required(conference):
    with pytest.raises(InvalidChoice):
        register(conference.pk, people=[person(1, first_workshops(conference)[:1])])
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_full_workshop_refuses_and_stores_nothing(conference):
    workshops = first_workshops(conference)
    for n in range(10):
        register(conference.pk, people=[person(n, workshops)])
    with pytest.raises(WorkshopFull):
        register(conference.pk, people=[person(99, workshops)])
    assert Registration.objects.count() == 10


@pytest.mark.django_db
def test_same_email_twice_is_refused(conference):
    register(conference.pk, people=[person(1, first_workshops(conference))])
    with pytest.raises(DuplicateRegistration):
        register(conference.pk, people=[person(1, first_workshops(conference), email="DEELNEMER1@example.org")])


@pytest.mark.django_db
def test_full_event_waitlists_then_promotes_on_cancel(conference):
    conference.capacity = 1
    conference.save()
    first = register(conference.pk, people=[person(1, first_workshops(conference))])
    with pytest.raises(EventFull):
        register(conference.pk, people=[person(2, first_workshops(conference))])
    waiting = register(conference.pk, people=[person(2, first_workshops(conference))], waitlist=True)
    assert waiting.status == Registration.Status.WAITLISTED
    cancel(first.pk)
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert Mail.objects.filter(registration=waiting, kind="promoted").exists()


@pytest.mark.django_db
def test_a_full_event_refuses_before_writing_or_locking_anything(conference):
    conference.capacity = 1
    conference.save()
    workshops = first_workshops(conference)
    register(conference.pk, people=[person(1, workshops)])
    with CaptureQueriesContext(connection) as queries, pytest.raises(EventFull):
        register(conference.pk, people=[person(2, workshops)])
    # One look at the facts: no rows written, no wait for the event's lock.
    statements = [q["sql"] for q in queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) == 1 and "INSERT" not in statements[0] and "FOR UPDATE" not in statements[0]
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_someone_already_registered_hears_so_also_when_the_event_is_full(conference):
    conference.capacity = 1
    conference.save()
    first = register(conference.pk, people=[person(1, first_workshops(conference))])
    with pytest.raises(DuplicateRegistration) as refused:
        register(conference.pk, people=[person(1, first_workshops(conference))])
    assert refused.value.existing == first


def known_facts(event, looked_full=False):
    """What the registration page's snapshot holds of ``event``."""
    round_of = {w.pk: r.pk for r in event.rounds.all() for w in r.workshops.all()}
    window = tuple(getattr(event, name) for name in Event.REGISTRATION_WINDOW_FIELDS)
    return RegistrationFacts(event.series_id, round_of, looked_full=looked_full, registered=False, window=window)


@pytest.mark.django_db
def test_facts_the_caller_knows_are_not_read_again(conference):
    known = known_facts(conference)
    with CaptureQueriesContext(connection) as queries:
        registration = register(conference.pk, people=[person(1, first_workshops(conference))], known=known)
    assert registration.status == Registration.Status.CONFIRMED
    assert not any("EXISTS" in q["sql"] and "same.email" in q["sql"] for q in queries)


@pytest.mark.django_db
def test_known_facts_that_look_full_are_read_again_to_tell_a_registered_address(conference):
    first = register(conference.pk, people=[person(1, first_workshops(conference))])
    with pytest.raises(DuplicateRegistration) as refused:
        register(
            conference.pk,
            people=[person(1, first_workshops(conference))],
            known=known_facts(conference, looked_full=True),
        )
    assert refused.value.existing == first


@pytest.mark.django_db
def test_known_facts_that_missed_the_last_place_still_refuse(conference):
    conference.capacity = 1
    conference.save()
    register(conference.pk, people=[person(1, first_workshops(conference))])
    with pytest.raises(EventFull):
        register(conference.pk, people=[person(2, first_workshops(conference))], known=known_facts(conference))
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_known_facts_that_missed_the_last_place_still_tell_a_registered_address(conference):
    conference.capacity = 1
    conference.save()
    first = register(conference.pk, people=[person(1, first_workshops(conference))])
    with pytest.raises(DuplicateRegistration) as refused:
        register(conference.pk, people=[person(1, first_workshops(conference))], known=known_facts(conference))
    assert refused.value.existing == first


@pytest.mark.django_db
def test_the_registration_window_reads_only_the_fields_registering_checks(conference, team_session):
    """Registering confirms under its lock that Event.REGISTRATION_WINDOW_FIELDS are as read:
    registration_state() must read no other field (a deferred one would cost a query)."""
    for event in (conference, team_session):
        loaded = Event.objects.only("pk", *Event.REGISTRATION_WINDOW_FIELDS).get(pk=event.pk)
        with CaptureQueriesContext(connection) as queries:
            state = loaded.registration_state()
        assert state == event.registration_state() and not queries


@pytest.mark.django_db(transaction=True)
def test_a_window_closed_after_the_facts_were_read_is_refused_and_nothing_stored(conference):
    """The facts said open; under the lock the window is found changed, read again, closed."""
    known = known_facts(conference)
    Event.objects.filter(pk=conference.pk).update(registration_closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(RegistrationClosed):
        register(conference.pk, people=[person(1, first_workshops(conference))], known=known)
    assert not Registration.objects.exists() and not Participant.objects.exists() and not Mail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_window_changed_but_still_open_after_the_facts_were_read_registers(conference):
    known = known_facts(conference)
    Event.objects.filter(pk=conference.pk).update(registration_closes_at=timezone.now() + timedelta(days=1))
    registration = register(conference.pk, people=[person(1, first_workshops(conference))], known=known)
    assert Registration.objects.get().status == registration.status == Registration.Status.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_a_workshop_removed_after_the_facts_were_read_is_refused_and_nothing_stored(conference):
    known = known_facts(conference)
    chosen = first_workshops(conference)
    Workshop.objects.filter(pk=chosen[0]).delete()
    with pytest.raises(InvalidChoice):
        register(conference.pk, people=[person(1, chosen)], known=known)
    assert not Registration.objects.exists() and not Participant.objects.exists()


@pytest.mark.django_db
def test_a_very_long_dutch_name_still_registers(conference):
    long_given = "Anne-Marie Christina Wilhelmina Johanna Elisabeth Frederika"
    long_family = "Hoogstraten-" + "Vermeulen-" * 13
    registration = register(
        conference.pk,
        people=[
            person(
                1, first_workshops(conference), given_name=long_given, name_prefix="van der", family_name=long_family
            )
        ],
    )
    assert registration.participants.get().family_name == long_family
    assert len(registration.contact_name) == 200


@pytest.mark.django_db
def test_facts_statement_finds_a_registered_address_by_index_in_a_generic_plan(conference):
    """Prepared statements switch to a generic plan, in which parameters are unknown: the
    address check must still go through the unique index, not through every registration
    of the event (which made each registration slower as the event filled)."""
    from registrations.services.places import facts_statement

    # An event of some size, with statistics, as the planner meets it in production: on
    # empty tables any index is as good as another.
    Registration.objects.bulk_create(
        Registration(event=conference, email=f"deelnemer{n}@example.org", contact_name=f"Deelnemer {n}")
        for n in range(300)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE registrations_registration")
    numbered = iter(range(1, 3))
    sql = re.sub(r"%s", lambda _match: f"${next(numbered)}", facts_statement("postgresql"))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE facts (text, bigint) AS {sql}")
        cursor.execute(f"EXPLAIN EXECUTE facts('iemand@example.org', {int(conference.pk)})")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE facts")
    assert "registration_one_active_per_email_per_event" in plan
