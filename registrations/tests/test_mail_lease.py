"""A mail is claimed for a while, sent outside any transaction, and claimed again only
once the claim of a worker that died has run out."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conftest import make_conference, person
from registrations.mails import delivery
from registrations.mails.delivery import claim, deliver, deliver_many, pending_mail_ids
from registrations.models import Mail
from registrations.services.registering import register
from registrations.tests.mailservers import SmtpSink, send_through, wait_for


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        send_through(settings, sink, timeout=20)
        yield sink


@pytest.fixture
def acknowledgement(organisation, venue):
    event = make_conference(organisation, venue, slug="lease")
    register(event.pk, people=[person(1, [r.workshops.first().pk for r in event.rounds.all()])])
    return Mail.objects.get(kind="acknowledgement")


def state(mail):
    return Mail.objects.values_list("status", "attempts").get(pk=mail.pk)


@pytest.mark.django_db
def test_a_mail_whose_worker_died_goes_out_once_after_its_claim_ran_out(smtp, acknowledgement):
    now = timezone.now()
    assert claim(acknowledgement.pk, now) is not None  # a worker claimed it, then died
    assert state(acknowledgement) == (Mail.Status.SENDING, 1)

    # While the claim lasts nobody else sends it, and the sweep does not hand it over.
    assert deliver(acknowledgement.pk, now=now + timedelta(minutes=5)) is False
    before_it_ends = now + delivery.LEASE - timedelta(seconds=1)
    assert acknowledgement.pk not in pending_mail_ids(now=before_it_ends)
    assert smtp.received() == []

    after_it_ends = now + delivery.LEASE + timedelta(seconds=1)
    assert pending_mail_ids(now=after_it_ends) == [acknowledgement.pk]
    assert deliver_many([acknowledgement.pk], now=after_it_ends) == []
    assert deliver(acknowledgement.pk, now=after_it_ends + timedelta(seconds=1)) is False
    assert state(acknowledgement) == (Mail.Status.SENT, 2)  # the dead worker's attempt counts
    assert Mail.objects.get(pk=acknowledgement.pk).claimed_until is None
    assert len(smtp.received("Aanmelding bevestigd")) == 1


def change_the_row(pk):
    try:
        Mail.objects.filter(pk=pk).update(requested_by=None)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_while_a_mail_is_being_sent_its_row_is_not_locked_and_nobody_else_sends_it(smtp, acknowledgement):
    smtp.holding = True  # the SMTP server keeps the sending worker waiting mid-conversation
    errors = []

    def worker():
        try:
            deliver_many([acknowledgement.pk])
        except Exception as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    sending = threading.Thread(target=worker)
    sending.start()
    changing = None
    try:
        assert smtp.recipient_waiting.wait(30), "the worker never reached the SMTP server"
        assert state(acknowledgement) == (Mail.Status.SENDING, 1)
        # Changing the row does not wait for the send: no transaction holds it meanwhile.
        changing = threading.Thread(target=change_the_row, args=[acknowledgement.pk])
        changing.start()
        changing.join(timeout=3)
        assert not changing.is_alive(), "the row stayed locked while the mail was being sent"
        # A second worker (a redelivered task, a sweep) leaves it alone.
        assert deliver(acknowledgement.pk) is False
        assert deliver_many([acknowledgement.pk]) == []
    finally:
        smtp.holding = False
        sending.join(timeout=60)
        if changing is not None:
            changing.join(timeout=60)
    assert not errors, errors
    wait_for(lambda: state(acknowledgement) == (Mail.Status.SENT, 1), 10, "the mail to be marked sent")
    assert len(smtp.received("Aanmelding bevestigd")) == 1
