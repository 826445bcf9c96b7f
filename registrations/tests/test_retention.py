from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import make_conference, make_team_session, person
from events.models import Event, HostOffer
from registrations import tasks
from registrations.models import Mail, Participant, Registration
from registrations.services.registering import register
from registrations.services.retention import anonymise_expired, anonymise_expired_host_offers


@pytest.mark.django_db
def test_personal_data_of_events_past_retention_is_anonymised(client, organisation):
    old = make_conference(organisation, slug="oud", rounds=0)
    recent = make_conference(organisation, slug="recent", rounds=0)
    gone = register(old.pk, people=[person(1, dietary_wishes="vegetarisch")])
    kept = register(recent.pk, people=[person(2)])
    old_code = gone.participants.get().checkin_code
    later = old.ends_at + timedelta(days=400)
    recent.starts_at, recent.ends_at = later - timedelta(days=10), later - timedelta(days=9)
    recent.save()

    assert anonymise_expired(now=later, retention_days=365) == 1
    old_participant = Participant.objects.get(registration__event=old)
    assert "Mark" not in old_participant.full_name and old_participant.dietary_wishes == ""
    assert old_participant.email.endswith("anoniem.invalid")
    assert not Mail.objects.filter(registration__event=old, recipient__contains="example.org").exists()
    assert Participant.objects.get(registration__event=recent).family_name == "Mark2"
    # The old personal link and badge code lead nowhere any more; the recent ones still work.
    assert client.get(f"/aanmelding/{gone.token}/").status_code == 404
    assert client.get(f"/aanmelding/{kept.token}/").status_code == 200
    assert old_participant.checkin_code != old_code
    gone.refresh_from_db()
    assert gone.updated_at == later
    assert anonymise_expired(now=later, retention_days=365) == 0


def offer(series, municipality, *, sessions=(), received=None):
    host_offer = HostOffer.objects.create(
        series=series,
        municipality=municipality,
        address="Hoofdstraat 1",
        postcode="1234 AB",
        city=municipality,
        contact_name=f"Contact {municipality}",
        contact_email=f"contact@{municipality.lower()}.example.org",
        contact_phone="06-12345678",
        room_capacity=30,
        dates_note="Liever niet op vrijdag",
        organiser_notes="Gebeld met de contactpersoon",
    )
    host_offer.sessions.set(sessions)
    if received:
        HostOffer.objects.filter(pk=host_offer.pk).update(created_at=received)
    return host_offer


@pytest.mark.django_db
def test_host_offers_past_retention_are_anonymised_and_the_venue_kept(organisation):
    now = timezone.now()
    past = make_team_session(organisation, slug="lang-geleden", starts_in=-timedelta(days=400))
    future = make_team_session(organisation, slug="binnenkort", starts_in=timedelta(days=30))
    series = past.series
    for_past_session = offer(series, "Epe", sessions=[past])
    without_session = offer(series, "Ede", received=now - timedelta(days=400))
    recent_without_session = offer(series, "Olst", received=now - timedelta(days=10))
    for_future_session = offer(series, "Putten", sessions=[future], received=now - timedelta(days=400))
    for_past_and_future = offer(series, "Elburg", sessions=[past, future], received=now - timedelta(days=400))

    assert anonymise_expired_host_offers(now=now, retention_days=365) == 2

    for anonymised in (for_past_session, without_session):
        anonymised.refresh_from_db()
        assert anonymised.anonymised_at == now
        # A queryset update skips auto_now: the service sets it, so the admin shows the change.
        assert anonymised.updated_at == now
        assert anonymised.contact_name == "Geanonimiseerd"
        assert anonymised.contact_email.endswith(".invalid") and "example.org" not in anonymised.contact_email
        assert (anonymised.contact_phone, anonymised.dates_note, anonymised.organiser_notes) == ("", "", "")
        assert (anonymised.address, anonymised.room_capacity) == ("Hoofdstraat 1", 30)
    assert for_past_session.municipality == "Epe" and list(for_past_session.sessions.all()) == [past]
    for kept in (recent_without_session, for_future_session, for_past_and_future):
        last_changed = kept.updated_at
        kept.refresh_from_db()
        assert kept.anonymised_at is None and kept.updated_at == last_changed
        assert kept.contact_name == f"Contact {kept.municipality}" and kept.contact_phone == "06-12345678"


@pytest.mark.django_db
def test_anonymising_host_offers_twice_changes_nothing_the_second_time(organisation):
    past = make_team_session(organisation, slug="lang-geleden", starts_in=-timedelta(days=400))
    anonymised = offer(past.series, "Epe", sessions=[past])
    now = timezone.now()
    assert anonymise_expired_host_offers(now=now, retention_days=365) == 1
    first = HostOffer.objects.values().get(pk=anonymised.pk)

    assert anonymise_expired_host_offers(now=now + timedelta(days=1), retention_days=365) == 0
    assert HostOffer.objects.values().get(pk=anonymised.pk) == first


@pytest.mark.django_db
def test_nightly_task_anonymises_registrations_and_host_offers(organisation, settings):
    settings.REGIODAG_RETENTION_DAYS = 365
    old = make_conference(organisation, slug="oud", rounds=0)
    register(old.pk, people=[person(1)])
    Event.objects.filter(pk=old.pk).update(
        starts_at=timezone.now() - timedelta(days=401), ends_at=timezone.now() - timedelta(days=400)
    )
    past = make_team_session(organisation, slug="lang-geleden", starts_in=-timedelta(days=400))
    offer(past.series, "Epe", sessions=[past])

    assert tasks.anonymise_expired() == {"registrations": 1, "host_offers": 1, "contacts": 0, "documents": 0}
    assert tasks.anonymise_expired() == {"registrations": 0, "host_offers": 0, "contacts": 0, "documents": 0}


@pytest.mark.django_db
def test_anonymising_many_registrations_takes_statements_per_kind_not_per_row(organisation):
    one = make_conference(organisation, slug="een", rounds=0, starts_in=timedelta(days=-500))
    register_in_the_past(one, [person(99)])
    old = make_conference(organisation, slug="oud", rounds=0, capacity=50)
    registrations = [register(old.pk, people=[person(n)]) for n in range(1, 7)]
    tokens = {r.token for r in registrations}
    codes = set(Participant.objects.values_list("checkin_code", flat=True))
    later = old.ends_at + timedelta(days=400)
    anonymise_expired(now=one.ends_at, retention_days=365)  # nothing yet: what is looked up once is
    with CaptureQueriesContext(connection) as for_one:
        assert anonymise_expired(now=one.ends_at + timedelta(days=400), retention_days=365) == 1
    with CaptureQueriesContext(connection) as for_six:
        assert anonymise_expired(now=later, retention_days=365) == 6
    assert len(for_six) == len(for_one)  # one row at a time took 17 for six

    for registration in Registration.objects.filter(event=old):
        assert registration.email == f"geanonimiseerd-{registration.pk}@anoniem.invalid"
        assert registration.token not in tokens and registration.anonymised_at == later
    new_tokens = set(Registration.objects.filter(event=old).values_list("token", flat=True))
    assert len(new_tokens) == 6
    for participant in Participant.objects.filter(registration__event=old):
        assert (participant.family_name, participant.email, participant.search_name) == (
            str(participant.pk),
            f"deelnemer-{participant.pk}@anoniem.invalid",
            "",
        )
        assert participant.checkin_code not in codes
    assert len(set(Participant.objects.filter(registration__event=old).values_list("checkin_code", flat=True))) == 6


def register_in_the_past(event, people):
    """Registering is for events to come: register first, then move the event back."""
    starts, ends = event.starts_at, event.ends_at
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + timedelta(days=30), ends_at=timezone.now() + timedelta(days=31)
    )
    registration = register(event.pk, people=people)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=ends)
    return registration
