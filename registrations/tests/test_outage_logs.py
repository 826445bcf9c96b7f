"""With Redis or the database down, the log tells the outage once and the recovery once:
not a line, let alone a traceback, for each of the relay's rounds every second."""

import contextlib
import logging
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from conftest import person
from regiodag.beat import Scheduler
from regiodag.celery import app as celery_app
from regiodag.outages import Outage
from registrations.mails.outbox import hand_over
from registrations.models import Heartbeat, Mail
from registrations.services.registering import register
from registrations.tasks import (
    anonymise_expired,
    hand_over_documents,
    hand_over_mails,
    render_and_send_mails,
    send_due_invitations,
    send_mails,
    sweep_due_mails,
)
from registrations.tests.broker_helpers import queued_tasks
from registrations.tests.mailservers import RedisServer, SmtpSink, Worker, free_port, publishing_to, wait_for

ROUNDS = 30  # half a minute of beat's relay rounds
# Each publication to a broker that is down takes a while (redis-py retries connecting).
BROKER_ROUNDS = 5
OUTAGE_SECONDS = 15
CLOSED_BROKER = "redis://127.0.0.1:1/0"  # nothing listens there


def told(caplog):
    """Every warning or worse that was logged, as text."""
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING]


@pytest.fixture
def beat(tmp_path):
    scheduler = Scheduler(app=celery_app, schedule_filename=str(tmp_path / "beat-schedule"))
    yield scheduler
    scheduler.close()


def test_beat_tells_a_broker_outage_once_and_its_end_once(beat, caplog, empty_broker):
    caplog.set_level(logging.INFO)
    relay = beat.schedule["hand-over-mails"]
    with publishing_to(CLOSED_BROKER):
        for _ in range(BROKER_ROUNDS):
            beat.apply_entry(relay)
    assert len(told(caplog)) == 1
    assert told(caplog)[0].startswith("Broker (Redis) unavailable (OperationalError")
    assert "mails are not handed to the workers" in told(caplog)[0]

    with publishing_to(celery_app.conf.broker_url):
        beat.apply_entry(relay)
        beat.apply_entry(relay)
    assert len(told(caplog)) == 2 and told(caplog)[1].startswith("Broker (Redis) available again after")
    assert [name for name, _ids in queued_tasks()] == ["registrations.tasks.hand_over_mails"] * 2


@pytest.mark.django_db(transaction=True)
def test_the_relay_tells_a_broker_outage_once_and_its_end_once(conference, caplog, empty_broker):
    caplog.set_level(logging.INFO)
    register(conference.pk, people=[person(1, [r.workshops.first().pk for r in conference.rounds.all()])])
    with publishing_to(CLOSED_BROKER):
        for _ in range(BROKER_ROUNDS):
            assert hand_over() == 0
    assert len(told(caplog)) == 1 and told(caplog)[0].startswith("Broker (Redis) unavailable")
    with publishing_to(celery_app.conf.broker_url):
        assert hand_over() == 1
    assert len(told(caplog)) == 2 and told(caplog)[1].startswith("Broker (Redis) available again after")
    assert Mail.objects.get().handed_over_at is not None


@contextlib.contextmanager
def database_unreachable():
    """Point this process's connection where no database answers, as when it is down."""
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent/regiodag/db.sqlite3"
    else:
        connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port(5490, 5499)))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True)
def test_the_relay_tells_a_database_outage_once_and_its_end_once(caplog, empty_broker):
    caplog.set_level(logging.INFO)
    with database_unreachable():
        for _ in range(ROUNDS):
            assert hand_over_mails() is None  # a round that could not run
    assert len(told(caplog)) == 1
    assert told(caplog)[0].startswith("Database unavailable (OperationalError")
    assert hand_over_mails() == 0  # nothing to hand over, but it worked
    assert len(told(caplog)) == 2 and told(caplog)[1].startswith("Database available again after")


@pytest.mark.django_db(transaction=True)
def test_the_sweeps_tell_a_database_outage_once_and_its_end_once(caplog):
    caplog.set_level(logging.INFO)
    with database_unreachable():
        for _ in range(3):  # a quarter of an hour of sweeps every five minutes
            assert sweep_due_mails() is None
            assert send_due_invitations() is None
            assert hand_over_documents() is None
        assert anonymise_expired() is None
        # Batches handed to the workers before the outage began.
        assert send_mails([1, 2]) is None
        assert render_and_send_mails([3]) is None
    assert len(told(caplog)) == 1
    assert told(caplog)[0].startswith("Database unavailable (OperationalError")
    assert sweep_due_mails() == {"recorded": 0, "redispatched": 0}
    assert len(told(caplog)) == 2 and told(caplog)[1].startswith("Database available again after")


@pytest.fixture
def every_line(caplog):
    """caplog with what Django logs too: its loggers do not pass records on to the root."""
    django_logger = logging.getLogger("django")
    django_logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO)
    yield caplog
    django_logger.removeHandler(caplog.handler)


@pytest.mark.both_databases
@pytest.mark.django_db(transaction=True)
def test_pages_answer_503_in_a_database_outage_which_is_told_once_and_its_end_once(
    conference, organiser, every_line, settings
):
    settings.REGIODAG_RATE_LIMITS = {}
    settings.RATELIMIT_ENABLE = False
    visitor, organiser_client, english = (Client(raise_request_exception=False) for _ in range(3))
    organiser_client.force_login(organiser)
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    register_url = reverse("registrations:register", args=[conference.slug])
    with database_unreachable():
        answers = [
            visitor.get("/"),
            visitor.get(conference.get_absolute_url()),
            visitor.post(register_url, {"given_name": "Esther", "email": "esther@example.org"}),
            organiser_client.get("/beheer/"),  # fails in a middleware, reading the session
            english.get("/"),
        ]
    assert [answer.status_code for answer in answers] == [503] * 5
    assert all(answer["Retry-After"] == "60" for answer in answers)
    dutch = answers[0].content.decode()
    assert "Even niet beschikbaar" in dutch and "Probeer het over een paar minuten opnieuw." in dutch
    assert "Temporarily unavailable" in answers[-1].content.decode()
    assert len(told(every_line)) == 1
    assert told(every_line)[0].startswith("Database unavailable (OperationalError")
    assert "pages answer 503" in told(every_line)[0]
    assert not any(record.exc_info for record in every_line.records)  # no traceback

    assert visitor.get("/").status_code == 200
    assert len(told(every_line)) == 2 and told(every_line)[1].startswith("Database available again after")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_with_beat_logs_a_redis_outage_in_a_few_lines(tmp_path):
    with (
        SmtpSink() as smtp,
        RedisServer(tmp_path) as redis_server,
        publishing_to(redis_server.url),
        Worker(tmp_path, redis_server.url, smtp.url, beat=True) as worker,
    ):
        wait_for(lambda: Heartbeat.objects.exists(), 30, "beat's relay to run")
        before = len(worker.output().splitlines())
        redis_server.stop()
        try:
            time.sleep(OUTAGE_SECONDS)  # the outage itself, in real time: beat ticks every second
            during = worker.output().splitlines()[before:]
        finally:
            redis_server.start()
        wait_for(lambda: "Broker (Redis) available again" in worker.output(), 60, "the recovery line")
    print(f"{len(during)} log lines in {OUTAGE_SECONDS} s of Redis down:", *during, sep="\n")
    beat = [line for line in during if "/Beat]" in line]
    assert len(beat) == 1 and "Broker (Redis) unavailable" in beat[0]
    assert not any("Traceback" in line or "Message Error" in line for line in during)
    # The rest is the worker's own consumer, reconnecting at growing intervals.
    assert len(during) < 2 * OUTAGE_SECONDS


def test_an_outage_is_told_when_it_starts_reminded_now_and_then_and_told_when_it_ends(caplog):
    outage = Outage("Testdienst", "niets werkt.", logger="regiodag.test_outage", remind_after=0.05)
    outage.recovered()  # up all along: nothing to tell
    for _ in range(ROUNDS):
        outage.failed(ConnectionRefusedError(111, "Connection refused"))
    refused = "ConnectionRefusedError: [Errno 111] Connection refused"
    assert told(caplog) == [f"Testdienst unavailable ({refused}): niets werkt."]
    time.sleep(0.06)  # past the reminder interval
    outage.failed(TimeoutError("timed out"))
    outage.failed(TimeoutError("timed out"))
    assert len(told(caplog)) == 2
    assert told(caplog)[1].startswith("Testdienst still unavailable after 0 s (TimeoutError)")
    outage.recovered()
    outage.recovered()
    assert told(caplog)[2:] == ["Testdienst available again after 0 s."]
