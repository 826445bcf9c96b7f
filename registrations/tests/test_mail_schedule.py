"""The due-mail sweep: who gets the definitive confirmation, when, and only once."""

import threading
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import connection
from django.utils import timezone

from conftest import make_conference, make_team_session, person, team
from events.models import Event
from registrations.mails.delivery import deliver_many
from registrations.mails.schedule import due_counts, queue_due_mails
from registrations.models import Mail, Registration
from registrations.services.registering import cancel, register

KIND = "definitive_confirmation"


def first_workshops(event):
    return [r.workshops.order_by("pk").first().pk for r in event.rounds.all()]


def confirmations():
    return Mail.objects.filter(kind=KIND)


def sent_confirmations():
    return [m for m in django_mail.outbox if m.subject.startswith("Definitieve bevestiging")]


@pytest.fixture
def soon(organisation, venue):
    """A conference six days ahead: its definitive confirmation (7 days before) is due."""
    return make_conference(organisation, venue, slug="over-zes-dagen", starts_in=timedelta(days=6))


@pytest.mark.django_db
def test_due_registration_gets_one_confirmation_per_participant(soon):
    registration = register(soon.pk, people=[person(1, first_workshops(soon))])
    created = queue_due_mails()
    assert [m.participant.email for m in created] == ["deelnemer1@example.org"]
    assert created[0].registration == registration and created[0].status == Mail.Status.QUEUED
    # A second sweep finds nothing more to record.
    assert queue_due_mails() == []
    assert confirmations().count() == 1


@pytest.mark.django_db
def test_not_due_before_the_events_own_moment(organisation, venue):
    later = make_conference(organisation, venue, slug="later", starts_in=timedelta(days=8))
    register(later.pk, people=[person(1, first_workshops(later))])
    assert queue_due_mails() == []
    # The number of days is per event: with ten days before, it is due now.
    later.confirmation_days_before = 10
    later.save()
    assert len(queue_due_mails()) == 1


@pytest.mark.django_db
def test_sweep_uses_the_given_moment(conference):
    register(conference.pk, people=[person(1, first_workshops(conference))])
    assert queue_due_mails(timezone.now()) == []
    week_before = conference.starts_at - timedelta(days=7)
    assert len(queue_due_mails(week_before + timedelta(minutes=1))) == 1


@pytest.mark.django_db
def test_late_registration_gets_it_at_the_next_sweep(soon):
    register(soon.pk, people=[person(1, first_workshops(soon))])
    queue_due_mails()
    register(soon.pk, people=[person(2, first_workshops(soon))])
    created = queue_due_mails()
    assert [m.recipient for m in created] == ["deelnemer2@example.org"]


@pytest.mark.django_db
def test_cancelled_waitlisted_and_cancelled_events_get_nothing(organisation, venue, soon):
    cancelled = register(soon.pk, people=[person(1, first_workshops(soon))])
    cancel(cancelled.pk)
    soon.capacity = 1
    soon.save()
    register(soon.pk, people=[person(2, first_workshops(soon))])
    waiting = register(soon.pk, people=[person(3, first_workshops(soon))], waitlist=True)
    assert waiting.status == Registration.Status.WAITLISTED
    called_off = make_conference(organisation, venue, slug="gaat-niet-door", starts_in=timedelta(days=5))
    register(called_off.pk, people=[person(4, first_workshops(called_off))])
    called_off.status = Event.Status.CANCELLED
    called_off.save()

    created = queue_due_mails()
    assert [m.recipient for m in created] == ["deelnemer2@example.org"]


@pytest.mark.django_db
def test_team_gets_it_only_once_admitted(organisation):
    session = make_team_session(organisation, slug="driehoek-binnenkort", starts_in=timedelta(days=40))
    registration = register(session.pk, people=team("Zutphen"), municipality="Zutphen")
    assert registration.status == Registration.Status.APPLIED
    # Time moves on: the session is now five days ahead.
    in_five_days = session.starts_at - timedelta(days=5)
    assert queue_due_mails(in_five_days) == []
    Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.CONFIRMED)
    created = queue_due_mails(in_five_days)
    assert sorted(m.participant.role for m in created) == ["burgemeester", "gemeentesecretaris", "griffier"]


@pytest.mark.django_db
def test_queued_confirmation_of_a_cancelled_registration_is_skipped(soon):
    registration = register(soon.pk, people=[person(1, first_workshops(soon))])
    [queued] = queue_due_mails()
    cancel(registration.pk)
    django_mail.outbox.clear()
    assert deliver_many([queued.pk]) == []
    queued.refresh_from_db()
    assert queued.status == Mail.Status.SKIPPED
    assert sent_confirmations() == []


@pytest.mark.django_db
def test_due_counts_tell_what_the_next_sweep_does(soon):
    register(soon.pk, people=[person(1, first_workshops(soon))])
    register(soon.pk, people=[person(2, first_workshops(soon))])
    counts, _waiting = due_counts()
    assert counts[KIND] == 2
    queue_due_mails()
    counts, waiting = due_counts()
    assert counts[KIND] == 0
    assert waiting >= 2  # recorded, not yet sent: the sweep after next hands them over again


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_and_two_workers_at_once_send_each_mail_once(soon):
    for n in range(1, 11):
        register(soon.pk, people=[person(n, first_workshops(soon))])
    Mail.objects.update(status=Mail.Status.SENT)  # acknowledgements are not the point here
    django_mail.outbox.clear()
    barrier = threading.Barrier(2, timeout=30)
    errors = []

    def sweep_and_send():
        try:
            barrier.wait()
            queue_due_mails()
            barrier.wait()  # both sweeps done recording; now both deliver everything queued
            ids = list(Mail.objects.filter(status=Mail.Status.QUEUED).values_list("pk", flat=True))
            deliver_many(ids)
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep_and_send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert confirmations().count() == 10
    assert confirmations().filter(status=Mail.Status.SENT).count() == 10
    recipients = [m.to[0] for m in sent_confirmations()]
    assert sorted(recipients) == sorted(f"deelnemer{n}@example.org" for n in range(1, 11))
