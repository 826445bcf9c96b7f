"""Mails say how far away the event really is: today, tomorrow, in N days, in a week."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from conftest import make_conference, person
from events.dates import days_until
from registrations.mails.rendering import render_parts
from registrations.models import Mail, Participant, Registration
from registrations.services.registering import register


def rendered(event, kind, sent_days_before, language="nl"):
    registration = register(event.pk, people=[person(1)], language=language)
    participant = registration.participants.get()
    mail = Mail.objects.create(
        registration=registration,
        participant=participant,
        kind=kind,
        occasion="test",
        recipient=participant.email,
        sent_at=event.starts_at - timedelta(days=sent_days_before),
        status=Mail.Status.SENT,
    )
    _, text, html = render_parts(mail)
    return text, html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "days_before, dutch, english",
    [
        (0, "Vandaag is het zover", "Today is the day"),
        (1, "Morgen is het zover", "Tomorrow is the day"),
        (3, "Over 3 dagen is het zover", "It is only 3 days away"),
        (7, "Over een week is het zover", "It is only a week away"),
        (10, "Over 10 dagen is het zover", "It is only 10 days away"),
    ],
)
def test_definitive_confirmation_counts_the_days(organisation, venue, days_before, dutch, english):
    event = make_conference(organisation, venue, rounds=0, starts_in=timedelta(days=40))
    for language, expected in (("nl", dutch), ("en", english)):
        Registration.objects.all().delete()
        text, html = rendered(event, "definitive_confirmation", days_before, language)
        assert expected in text and expected in html, (language, text)
        if days_before != 7:
            assert "week" not in text.split("\n\n")[1].lower(), text


@pytest.mark.django_db
def test_acknowledgement_names_the_events_own_confirmation_moment(organisation, venue):
    event = make_conference(organisation, venue, rounds=0, starts_in=timedelta(days=40))
    event.confirmation_days_before = 10
    event.save()
    text, _ = rendered(event, "acknowledgement", 30)
    assert "10 dagen voor de bijeenkomst ontvangt u een definitieve bevestiging" in text
    Registration.objects.all().delete()
    # Registered after the confirmation moment: no promise of a date that has passed.
    text, _ = rendered(event, "acknowledgement", 3)
    assert "Vóór de bijeenkomst ontvangt u nog een definitieve bevestiging" in text
    assert "10 dagen voor" not in text


def test_days_are_counted_in_calendar_days_of_the_site():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    amsterdam = ZoneInfo("Europe/Amsterdam")
    late = datetime(2026, 6, 17, 23, 30, tzinfo=amsterdam)
    assert days_until(datetime(2026, 6, 18, 9, 0, tzinfo=amsterdam), late) == 1
    assert days_until(datetime(2026, 6, 17, 23, 59, tzinfo=amsterdam), late) == 0


@pytest.mark.django_db
def test_load_demo_refuses_outside_debug(settings):
    settings.DEBUG = False
    with (
        translation.override("nl"),
        pytest.raises(CommandError, match="alleen bedoeld voor de demo: start het met DEBUG=1"),
    ):
        call_command("load_demo")
    assert not Participant.objects.exists()
    assert not Mail.objects.exists()
