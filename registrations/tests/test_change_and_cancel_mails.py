"""A workshop change is confirmed by mail; a cancellation takes the event out of the
participant's calendar and offers nothing to cancel or add to a calendar any more."""

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from icalendar import Calendar

from conftest import person
from registrations.mails.delivery import deliver
from registrations.models import Mail
from registrations.services.registering import cancel, change_workshops, register
from registrations.tests.conference_helpers import workshop_ids

pytestmark = pytest.mark.django_db


def sent(registration, kind):
    """Deliver the one mail of ``kind`` and return the message that left."""
    before = len(django_mail.outbox)
    (mail,) = Mail.objects.filter(registration=registration, kind=kind).exclude(status="sent")
    assert deliver(mail.pk)
    assert len(django_mail.outbox) == before + 1
    return django_mail.outbox[-1]


def calendar_of(message):
    (ics,) = [content for name, content, mimetype in message.attachments if name.endswith(".ics")]
    return Calendar.from_ical(ics)


def test_changing_workshops_sends_a_mail_with_the_new_choice_each_time(conference):
    first, second = workshop_ids(conference, 0), workshop_ids(conference, 1)
    registration = register(conference.pk, people=[person(1, first)])
    participant = registration.participants.get()

    change_workshops(registration.pk, participant.pk, second)
    message = sent(registration, "workshops_changed")
    assert message.subject.startswith("Uw workshopkeuze is gewijzigd")
    titles = set(participant.choices.values_list("workshop__title", flat=True))
    assert all(title in message.body for title in titles)

    change_workshops(registration.pk, participant.pk, second)  # nothing changes: no mail
    change_workshops(registration.pk, participant.pk, first)
    assert Mail.objects.filter(registration=registration, kind="workshops_changed").count() == 2


def test_the_cancellation_mail_cancels_the_calendar_event_and_offers_no_cancel_link(conference, client):
    registration = register(conference.pk, people=[person(1, workshop_ids(conference, 0))])
    invitation = calendar_of(sent(registration, "acknowledgement"))
    (invited,) = invitation.walk("VEVENT")

    cancel(registration.pk)
    message = sent(registration, "cancelled")
    cancel_url = reverse("registrations:cancel", args=[registration.token])
    html = message.alternatives[0][0]
    assert cancel_url not in message.body and cancel_url not in html
    assert "Afmelden" not in message.body and "Afmelden" not in html
    assert "List-Unsubscribe" not in message.extra_headers

    cancellation = calendar_of(message)
    assert cancellation["METHOD"] == "CANCEL"
    (event,) = cancellation.walk("VEVENT")
    assert event["UID"] == invited["UID"]
    assert event["STATUS"] == "CANCELLED"
    assert int(event["SEQUENCE"]) > int(invited.get("SEQUENCE", 0))
    assert str(event["ATTENDEE"]) == f"mailto:{registration.email}"

    page = client.get(reverse("registrations:manage", args=[registration.token])).content.decode()
    assert "Zet in mijn agenda" not in page
    assert reverse("events:ics", args=[conference.slug]) not in page
