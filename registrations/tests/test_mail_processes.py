"""Nothing lost, nothing twice, against real processes: a Redis server we stop and start,
an SMTP server we make refuse, and a real Celery worker on the test database."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from conftest import make_conference, person
from registrations.models import Mail
from registrations.services.registering import register
from registrations.tasks import hand_over_mails, sweep_due_mails
from registrations.tests.mailservers import RedisServer, SmtpSink, Worker, publish, publishing_to, wait_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SWEEP = "registrations.tasks.sweep_due_mails"


def first_workshops(event):
    return [r.workshops.order_by("pk").first().pk for r in event.rounds.all()]


def mail_status(mail_id):
    return Mail.objects.values_list("status", "attempts", "last_error").get(pk=mail_id)


def later_sweep(minutes=5):
    """Beat's next run, some minutes on: mails recorded now are then overdue."""
    publish(sweep_due_mails, now=(timezone.now() + timedelta(minutes=minutes)).isoformat())


@pytest.fixture
def servers(tmp_path):
    with SmtpSink() as smtp, RedisServer(tmp_path) as redis, publishing_to(redis.url):
        yield smtp, redis


def test_registering_works_with_redis_down_and_the_mail_goes_out_when_it_is_back(servers, tmp_path, conference):
    smtp, redis = servers
    with Worker(tmp_path, redis.url, smtp.url) as worker:
        redis.stop()
        try:
            started = timezone.now()
            registration = register(conference.pk, people=[person(1, first_workshops(conference))])
            assert (timezone.now() - started) < timedelta(seconds=10), "registering waited on the broker"
            ack = Mail.objects.get(registration=registration, kind="acknowledgement")
            assert mail_status(ack.pk)[:2] == (Mail.Status.QUEUED, 0)
        finally:
            redis.start()
        # The worker reconnects by itself; beat's next relay round hands the mail over.
        wait_for(
            lambda: "Connected to redis" in worker.output().split("Connection to broker lost")[-1],
            60,
            "the worker to reconnect to Redis",
        )
        publish(hand_over_mails)
        wait_for(lambda: smtp.received("Aanmelding bevestigd"), 60, "the acknowledgement to arrive")
        wait_for(lambda: mail_status(ack.pk)[0] == Mail.Status.SENT, 20, "the mail to be marked sent")
        # A sweep afterwards sends nothing again.
        later_sweep()
        wait_for(lambda: worker.succeeded(SWEEP) >= 1, 30, "the sweep")
    assert len(smtp.received("Aanmelding bevestigd")) == 1


# The outage the fault test simulates: more than the 72 hours the README promises.
OUTAGE = timedelta(hours=73)


def deferred(ids, attempts):
    """Whether every mail of ``ids`` failed its ``attempts``-th attempt and waits for the next."""
    rows = Mail.objects.filter(pk__in=ids).values_list("status", "attempts", "handed_over_at")
    return all(row == (Mail.Status.QUEUED, attempts, None) for row in rows)


def move_clock(ids):
    """Let the time until the next attempt pass, for these mails: every moment on their
    rows moves back by that wait, as if the clock had moved on; returns the wait."""
    now = timezone.now()
    wait = max(Mail.objects.get(pk=pk).next_attempt_at for pk in ids) - now
    Mail.objects.filter(pk__in=ids).update(
        created_at=F("created_at") - wait, next_attempt_at=F("next_attempt_at") - wait
    )
    return wait


def test_a_mail_server_that_refuses_for_three_days_delays_the_mails_and_loses_none(servers, tmp_path, conference):
    smtp, redis = servers
    smtp.refusing = True  # 451 for everyone
    smtp.refused_for_good["deelnemer9@example.org"] = "550 5.1.1 Deze ontvanger bestaat niet"
    with Worker(tmp_path, redis.url, smtp.url, beat=True) as worker:
        registrations = [register(conference.pk, people=[person(n, first_workshops(conference))]) for n in (1, 2, 9)]
        acks = {
            r.participants.get().email: Mail.objects.get(registration=r, kind="acknowledgement").pk
            for r in registrations
        }
        unknown = acks.pop("deelnemer9@example.org")
        waiting = list(acks.values())

        # The worker's attempts, one round per wait of their schedule; the clock moves on
        # by each wait, so the relay hands the mails over again at once.
        wait_for(lambda: mail_status(unknown)[0] == Mail.Status.FAILED, 30, "the unknown address to be given up")
        outage, attempts, waits = timedelta(0), 0, []
        while outage < OUTAGE:
            attempts += 1
            wait_for(lambda n=attempts: deferred(waiting, n), 30, f"attempt {attempts} to be refused", interval=0.05)
            waits.append(move_clock(waiting))
            outage += waits[-1]
            publish(hand_over_mails)  # what beat's next relay round does, without waiting for it
            assert Mail.objects.filter(status=Mail.Status.FAILED).count() == 1  # the unknown address alone
        assert [round(w.total_seconds() / 60) for w in waits[:8]] == [1, 2, 4, 8, 16, 32, 60, 60]
        assert max(waits) <= timedelta(hours=1, seconds=5)
        assert smtp.received() == []

        smtp.refusing = False
        wait_for(
            lambda: all(mail_status(pk)[0] == Mail.Status.SENT for pk in waiting), 60, "the mails after the outage"
        )
        later_sweep()
        wait_for(lambda: worker.succeeded(SWEEP) >= 1, 30, "a later sweep")
        publish(hand_over_mails)

    for address in acks:
        assert len(smtp.received("Aanmelding bevestigd", to=address)) == 1, address
    assert smtp.received(to="deelnemer9@example.org") == []
    status, tries, error = mail_status(unknown)
    assert (status, tries) == (Mail.Status.FAILED, 1)
    assert error == "SMTPRecipientsRefused: 550 5.1.1 Deze ontvanger bestaat niet"
    assert Mail.objects.get(pk=waiting[0]).attempts == attempts + 1
    print(f"survived a simulated outage of {outage} in {attempts} refused attempts per mail")


def test_a_week_before_the_worker_sends_one_definitive_confirmation_with_ics_and_pdf(
    servers, tmp_path, organisation, venue
):
    smtp, redis = servers
    # Registered earlier; the event is now six days ahead, so its confirmation is due.
    event = make_conference(organisation, venue, slug="volgende-week", starts_in=timedelta(days=6))
    # Two worker processes, so that two sweeps can run at the same moment.
    with Worker(tmp_path, redis.url, smtp.url, concurrency=2, beat=True) as worker:
        registration = register(event.pk, people=[person(1, first_workshops(event))])
        # Nobody publishes anything here: beat's relay round finds the new mail by itself.
        wait_for(lambda: smtp.received("Aanmelding bevestigd"), 60, "the acknowledgement (handed over by the relay)")

        publish(sweep_due_mails)  # exactly what beat publishes, twice at once
        publish(sweep_due_mails)
        wait_for(lambda: smtp.received("Definitieve bevestiging"), 90, "the definitive confirmation")
        wait_for(lambda: worker.succeeded(SWEEP) >= 2, 30, "both sweeps")
        wait_for(lambda: worker.succeeded("registrations.tasks.render_and_send_mails") >= 1, 10, "the pdf task")
        publish(sweep_due_mails)
        wait_for(lambda: worker.succeeded(SWEEP) >= 3, 30, "a later sweep")

    [message] = smtp.received("Definitieve bevestiging")
    assert str(message["To"]) == "deelnemer1@example.org"
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    [pdf] = [part for name, part in attachments.items() if name.endswith(".pdf")]
    [ics] = [part for name, part in attachments.items() if name.endswith(".ics")]
    assert pdf.get_content().startswith(b"%PDF")
    assert "BEGIN:VEVENT" in ics.get_content()
    mail = Mail.objects.get(registration=registration, kind="definitive_confirmation")
    assert mail.status == Mail.Status.SENT and mail.attempts == 1 and mail.sent_at


def test_a_mail_whose_worker_was_killed_while_sending_goes_out_once_with_a_later_sweep(servers, tmp_path, conference):
    smtp, redis = servers
    smtp.holding = True  # the worker will be caught in the middle of its SMTP conversation
    short_claims = {"REGIODAG_MAIL_LEASE_SECONDS": "3"}
    registration = register(conference.pk, people=[person(1, first_workshops(conference))])
    ack = Mail.objects.get(registration=registration, kind="acknowledgement")
    with Worker(tmp_path, redis.url, smtp.url, env=short_claims) as worker:
        publish(hand_over_mails)
        assert smtp.recipient_waiting.wait(60), "the worker never reached the SMTP server"
        assert mail_status(ack.pk)[:2] == (Mail.Status.SENDING, 1)
        worker.kill()
    smtp.holding = False
    assert mail_status(ack.pk)[0] == Mail.Status.SENDING  # left behind by the dead worker

    with Worker(tmp_path, redis.url, smtp.url, env=short_claims) as worker:
        wait_for(
            lambda: Mail.objects.get(pk=ack.pk).claimed_until < timezone.now(), 10, "the dead worker's claim to end"
        )
        later_sweep()
        wait_for(lambda: mail_status(ack.pk)[0] == Mail.Status.SENT, 60, "the mail to go out again")
        later_sweep()
        wait_for(lambda: worker.succeeded(SWEEP) >= 2, 30, "a later sweep")
    assert mail_status(ack.pk)[:2] == (Mail.Status.SENT, 2)
    assert len(smtp.received("Aanmelding bevestigd")) == 1
