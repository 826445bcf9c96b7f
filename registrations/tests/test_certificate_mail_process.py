"""Certificates to everyone present, through a real Celery worker (pdf queue) to an SMTP
server: one mail each with its PDF, nobody absent, nothing twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import person
from events.models import Event
from registrations.checkin.attendance import check_in, record_attendance
from registrations.models import Attendance, Mail
from registrations.services.certificates import send_certificates
from registrations.services.registering import register
from registrations.tasks import hand_over_mails
from registrations.tests.mailservers import RedisServer, SmtpSink, Worker, publish, publishing_to, wait_for
from registrations.tests.pdf_helpers import pdf_pages

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SUBJECT = "Uw bewijs van deelname"


def test_a_worker_sends_each_present_participant_one_certificate_and_the_absent_none(tmp_path, conference):
    workshops = [r.workshops.order_by("pk").first().pk for r in conference.rounds.all()]
    people = [register(conference.pk, people=[person(n, workshops)]).participants.get() for n in range(1, 5)]
    check_in(people[0].pk)
    check_in(people[1].pk)
    record_attendance(people[2].pk, Attendance.Status.ABSENT)  # people[3] never came to the door
    starts = timezone.now() - timedelta(days=1)
    Event.objects.filter(pk=conference.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=6))
    # The acknowledgements are not what this test is about: out of the way as sent.
    Mail.objects.update(status=Mail.Status.SENT, handed_over_at=timezone.now())

    with (
        SmtpSink() as smtp,
        RedisServer(tmp_path) as redis,
        publishing_to(redis.url),
        Worker(tmp_path, redis.url, smtp.url) as worker,
    ):
        send_certificates(conference.pk)
        send_certificates(conference.pk)  # the organiser clicks twice
        publish(hand_over_mails)
        wait_for(lambda: len(smtp.received(SUBJECT)) >= 2, 90, "both certificates")
        wait_for(lambda: worker.succeeded("registrations.tasks.render_and_send_mails") >= 1, 20, "the pdf queue's task")
        sent = Mail.objects.filter(kind="certificate", status=Mail.Status.SENT)
        wait_for(lambda: sent.count() == 2, 20, "both mails to be marked sent")

    messages = smtp.received(SUBJECT)
    assert sorted(str(message["To"]) for message in messages) == [people[0].email, people[1].email]
    for message in messages:
        [pdf] = [part for part in message.iter_attachments() if part.get_filename().endswith(".pdf")]
        text = "\n".join(pdf_pages(pdf.get_content()))
        assert "Bewijs van deelname" in text and conference.title in text
    assert Mail.objects.filter(kind="certificate").count() == 2
