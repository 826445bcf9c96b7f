"""A message to participants against real processes: beat's relay hands its mails to a real
Celery worker, which sends each recipient exactly one copy over SMTP."""

import pytest

from conftest import person
from registrations.mails.participant_messages import send_message
from registrations.models import Mail, ParticipantMessage
from registrations.services.registering import register
from registrations.tasks import hand_over_mails, sweep_due_mails
from registrations.tests.conference_helpers import workshop_ids
from registrations.tests.mailservers import RedisServer, SmtpSink, Worker, publish, publishing_to, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_worker_sends_each_recipient_one_copy(tmp_path, conference):
    for n in (1, 2, 3):
        register(conference.pk, people=[person(n, workshop_ids(conference))])
    message = ParticipantMessage.objects.create(event=conference, subject="Parkeren is vol", body="Neem de trein.")
    with (
        SmtpSink() as smtp,
        RedisServer(tmp_path) as redis,
        publishing_to(redis.url),
        Worker(tmp_path, redis.url, smtp.url, beat=True) as worker,
    ):
        assert send_message(message.pk) == 3
        # Nobody publishes anything: beat's relay finds the new mails by itself.
        wait_for(lambda: len(smtp.received("Parkeren is vol")) == 3, 90, "three copies of the message")
        wait_for(
            lambda: set(Mail.objects.filter(message=message).values_list("status", flat=True)) == {"sent"},
            20,
            "the mails to be marked sent",
        )
        assert send_message(message.pk) == 0  # a second press
        publish(hand_over_mails)
        publish(sweep_due_mails)
        wait_for(lambda: worker.succeeded("registrations.tasks.sweep_due_mails") >= 1, 30, "a sweep")
    received = smtp.received("Parkeren is vol")
    assert sorted(str(m["To"]) for m in received) == [f"deelnemer{n}@example.org" for n in (1, 2, 3)]
    assert all("Neem de trein." in m.get_body(("plain",)).get_content() for m in received)
