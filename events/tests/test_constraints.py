"""The database itself refuses data that breaks the rules, whatever code writes it."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Event
from registrations.models import Mail, Participant, Registration, WorkshopChoice
from workshops.models import Round, Workshop


def make_event(**fields):
    starts = timezone.now() + timedelta(days=10)
    values = dict(title="Bijeenkomst", slug="bijeenkomst", starts_at=starts, ends_at=starts + timedelta(hours=2))
    values.update(fields)
    return Event.objects.create(**values)


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.django_db
def test_event_must_end_after_it_starts():
    now = timezone.now()
    refused(lambda: make_event(starts_at=now, ends_at=now))
    refused(lambda: make_event(starts_at=now, ends_at=now - timedelta(minutes=1)))


@pytest.mark.django_db
def test_capacity_must_be_positive_or_unlimited():
    refused(lambda: make_event(capacity=0))
    assert make_event(capacity=None).capacity is None


@pytest.mark.django_db
def test_slugs_are_unique():
    make_event()
    refused(lambda: make_event())


@pytest.mark.django_db
def test_registration_window_must_close_after_it_opens():
    now = timezone.now()
    refused(lambda: make_event(registration_opens_at=now, registration_closes_at=now - timedelta(days=1)))


@pytest.mark.django_db
def test_rounds_and_workshops(conference):
    rnd = conference.rounds.first()
    refused(
        lambda: Round.objects.create(event=conference, number=rnd.number, starts_at=rnd.starts_at, ends_at=rnd.ends_at)
    )
    refused(lambda: Round.objects.create(event=conference, number=9, starts_at=rnd.ends_at, ends_at=rnd.starts_at))
    refused(lambda: Workshop.objects.create(round=rnd, title="Nul plaatsen", capacity=0))


@pytest.mark.django_db
def test_one_active_registration_per_address_and_one_workshop_per_round(conference):
    Registration.objects.create(event=conference, email="a@example.org", contact_name="A")
    refused(lambda: Registration.objects.create(event=conference, email="a@example.org", contact_name="A"))
    # A cancelled registration does not block a new one.
    Registration.objects.filter(email="a@example.org").update(status="cancelled")
    registration = Registration.objects.create(event=conference, email="a@example.org", contact_name="A")
    participant = Participant.objects.create(
        registration=registration, given_name="A", family_name="B", email="a@example.org"
    )
    workshops = list(conference.rounds.first().workshops.all())
    WorkshopChoice.objects.create(participant=participant, round=workshops[0].round, workshop=workshops[0])
    refused(
        lambda: WorkshopChoice.objects.create(participant=participant, round=workshops[1].round, workshop=workshops[1])
    )
    refused(
        lambda: Registration.objects.create(
            event=conference, email="w@example.org", contact_name="W", status="waitlisted"
        )
    )


@pytest.mark.django_db
def test_team_roles_and_municipality_place_per_series(team_session):
    registration = Registration.objects.create(
        event=team_session,
        series=team_session.series,
        email="t@example.org",
        contact_name="T",
        municipality="Nijmegen",
        status="applied",
    )
    Participant.objects.create(
        registration=registration, given_name="G", family_name="G", email="g@example.org", role="griffier"
    )
    refused(
        lambda: Participant.objects.create(
            registration=registration, given_name="H", family_name="H", email="h@example.org", role="griffier"
        )
    )
    refused(
        lambda: Registration.objects.create(
            event=team_session,
            series=team_session.series,
            email="u@example.org",
            contact_name="U",
            municipality="Nijmegen",
            status="applied",
        )
    )


@pytest.mark.django_db
def test_a_mail_is_owed_once_unless_deliberately_resent(conference):
    registration = Registration.objects.create(event=conference, email="a@example.org", contact_name="A")
    participant = Participant.objects.create(
        registration=registration, given_name="A", family_name="B", email="a@example.org"
    )
    fields = dict(registration=registration, participant=participant, kind="acknowledgement", recipient="a@example.org")
    Mail.objects.create(**fields)
    refused(lambda: Mail.objects.create(**fields))
    Mail.objects.create(is_resend=True, **fields)
    assert Mail.objects.count() == 2
