"""The core place-taking services: register, waitlist, cancel, promote."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_conference, person
from events.models import Event
from registrations.errors import DuplicateRegistration, EventFull, InvalidChoice, RegistrationClosed, WorkshopFull
from registrations.models import Mail, Participant, Registration
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
def test_someone_already_registered_hears_so_also_when_the_event_is_full(conference):
    conference.capacity = 1
    conference.save()
    first = register(conference.pk, people=[person(1, first_workshops(conference))])
    with pytest.raises(DuplicateRegistration) as refused:
        register(conference.pk, people=[person(1, first_workshops(conference))])
    assert refused.value.existing == first


@pytest.mark.django_db(transaction=True)
def test_a_closed_window_is_refused_and_nothing_stored(conference):
    Event.objects.filter(pk=conference.pk).update(registration_closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(RegistrationClosed):
        register(conference.pk, people=[person(1, first_workshops(conference))])
    assert not Registration.objects.exists() and not Participant.objects.exists() and not Mail.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_workshop_removed_after_the_page_was_read_is_an_invalid_choice_and_nothing_stored(conference):
    chosen = first_workshops(conference)
    Workshop.objects.filter(pk=chosen[0]).delete()
    with pytest.raises(InvalidChoice):
        register(conference.pk, people=[person(1, chosen)])
    assert not Registration.objects.exists() and not Participant.objects.exists()


@pytest.mark.django_db
def test_a_workshop_of_another_event_is_an_invalid_choice(organisation, conference):
    other = make_conference(organisation, slug="anderedag")
    chosen = [first_workshops(other)[0], first_workshops(conference)[1]]
    with pytest.raises(InvalidChoice):
        register(conference.pk, people=[person(1, chosen)])
    assert not Registration.objects.exists()


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
