"""Delivery over real SMTP: retried on one schedule while the server defers, given up only
when it refuses for good, and due mails found by the periodic sweep rather than by tasks waiting days."""

import logging
import smtplib
import socket
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.mail import get_connection as django_get_connection
from django.utils import timezone

from conftest import make_conference, person
from regiodag.celery import app as celery_app
from registrations.mails import delivery
from registrations.mails.delivery import deliver_many
from registrations.mails.outbox import hand_over
from registrations.mails.schedule import queue_due_mails, sweep
from registrations.models import Mail
from registrations.services.registering import register
from registrations.tests.broker_helpers import queued_tasks
from registrations.tests.mailservers import SmtpSink, free_port, send_through


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        send_through(settings, sink)
        yield sink


@pytest.fixture
def queued(organisation, venue):
    event = make_conference(organisation, venue, slug="smtp", starts_in=timedelta(days=6))
    for n in (1, 2):
        register(event.pk, people=[person(n, [r.workshops.first().pk for r in event.rounds.all()])])
    Mail.objects.update(status=Mail.Status.SENT)  # the acknowledgements are not the point
    return [mail.pk for mail in queue_due_mails()]


def states(ids):
    return sorted(Mail.objects.filter(pk__in=ids).values_list("status", "attempts"))


@pytest.mark.django_db
def test_one_connection_sends_a_batch(smtp, queued):
    assert deliver_many(queued) == []
    assert states(queued) == [(Mail.Status.SENT, 1)] * 2
    assert sorted(str(m["To"]) for m in smtp.received("Definitieve")) == [
        "deelnemer1@example.org",
        "deelnemer2@example.org",
    ]


def schedule_of(ids):
    fields = ("status", "attempts", "next_attempt_at", "handed_over_at")
    return sorted(Mail.objects.filter(pk__in=ids).values_list(*fields))


@pytest.mark.django_db
def test_deferred_mail_waits_for_its_next_attempt_and_then_goes_out(smtp, queued):
    smtp.refusing = True
    failed_at = timezone.now()
    assert deliver_many(queued, now=failed_at) == queued  # both to be retried
    for status, attempts, next_attempt, handed_over in schedule_of(queued):
        assert (status, attempts, handed_over) == (Mail.Status.QUEUED, 1, None)
        assert next_attempt == failed_at + delivery.FIRST_RETRY
    assert all("451" in error for error in Mail.objects.filter(pk__in=queued).values_list("last_error", flat=True))
    smtp.refusing = False
    # Before its moment nobody claims it: a duplicate task or an early sweep sends nothing.
    assert deliver_many(queued, now=failed_at + timedelta(seconds=59)) == []
    assert states(queued) == [(Mail.Status.QUEUED, 1)] * 2
    assert deliver_many(queued, now=failed_at + delivery.FIRST_RETRY) == []
    assert states(queued) == [(Mail.Status.SENT, 2)] * 2
    assert len(smtp.received("Definitieve")) == 2


@pytest.mark.django_db(transaction=True)
def test_the_relay_and_the_sweep_hand_a_deferred_mail_over_only_when_its_attempt_is_due(smtp, queued, empty_broker):
    Mail.objects.filter(pk__in=queued).update(status=Mail.Status.SENT)
    # An acknowledgement: its task goes to the default queue, which the test reads.
    first = Mail.objects.filter(kind="acknowledgement").values_list("pk", flat=True).first()
    smtp.refusing = True
    failed_at = timezone.now()
    Mail.objects.filter(pk=first).update(status=Mail.Status.QUEUED, attempts=3, handed_over_at=failed_at)
    assert deliver_many([first], now=failed_at) == [first]
    due = failed_at + timedelta(minutes=8)
    assert Mail.objects.get(pk=first).next_attempt_at == due

    # Sweeps every five minutes and relay rounds every second leave it alone until then,
    # and leave its schedule as it was.
    for moment in (failed_at + timedelta(minutes=5), due - timedelta(seconds=1)):
        assert sweep(now=moment) == {"recorded": 0, "redispatched": 0}
        assert hand_over(now=moment) == 0
    assert queued_tasks() == []
    assert Mail.objects.values_list("attempts", "next_attempt_at").get(pk=first) == (4, due)

    assert hand_over(now=due) == 1
    assert queued_tasks() == [("registrations.tasks.send_mails", [first])]
    # Handed over once: the sweep does not hand it over again while that task is on its way.
    assert sweep(now=due + timedelta(minutes=1))["redispatched"] == 0


@pytest.mark.django_db
def test_a_mail_server_outage_is_told_once_and_its_end_once_while_each_mail_keeps_its_error(smtp, queued, caplog):
    caplog.set_level(logging.INFO)

    def mail_lines():
        names = ("regiodag.mail", "registrations.mails.delivery")
        return [record.getMessage() for record in caplog.records if record.name in names]

    smtp.refusing = True
    failed_at = timezone.now()
    # Three rounds of attempts of both mails, each when its retry is due (after 1, then 2 minutes).
    for minutes in (0, 1, 3):
        assert deliver_many(queued, now=failed_at + timedelta(minutes=minutes)) == queued
    assert smtp.refusals == 6
    assert mail_lines() == [
        "Mail server unavailable (SMTPRecipientsRefused: 451 4.3.0 Tijdelijk niet beschikbaar): "
        "mails stay queued and are retried on their own schedules until it takes them."
    ]
    assert states(queued) == [(Mail.Status.QUEUED, 3)] * 2
    errors = Mail.objects.filter(pk__in=queued).values_list("last_error", flat=True)
    assert list(errors) == ["SMTPRecipientsRefused: 451 4.3.0 Tijdelijk niet beschikbaar"] * 2

    smtp.refusing = False
    assert deliver_many(queued, now=failed_at + timedelta(minutes=7)) == []
    assert states(queued) == [(Mail.Status.SENT, 4)] * 2
    assert len(mail_lines()) == 2 and mail_lines()[1].startswith("Mail server available again after")


@pytest.mark.django_db
def test_a_mail_that_cannot_be_built_is_told_per_mail_and_is_no_mail_server_outage(smtp, queued, caplog, monkeypatch):
    """A missing attachment is an OSError too, but about that one mail: the server is fine."""
    caplog.set_level(logging.INFO)

    def missing_attachment(mail, connection=None):
        raise FileNotFoundError(2, "No such file or directory", "bevestiging.pdf")

    monkeypatch.setattr(delivery, "build_message", missing_attachment)
    assert deliver_many(queued) == queued
    assert smtp.refusals == 0
    assert [r.name for r in caplog.records if r.name == "regiodag.mail"] == []
    deferred = [r.getMessage() for r in caplog.records if r.name == "registrations.mails.delivery"]
    assert deferred == [f"Mail {pk} deferred on attempt 1 (FileNotFoundError)" for pk in queued]
    assert states(queued) == [(Mail.Status.QUEUED, 1)] * 2


def test_the_wait_doubles_from_a_minute_up_to_an_hour():
    waits = [delivery.retry_delay(attempt) for attempt in range(1, 10)]
    assert [wait.total_seconds() / 60 for wait in waits] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert delivery.retry_delay(10_000) == timedelta(hours=1)


@pytest.mark.django_db
def test_a_passing_failure_is_never_given_up_however_long_it_lasts(smtp, queued):
    first, _second = queued
    smtp.refusing, smtp.refusal = True, "421 4.7.0 Probeer het later opnieuw"
    # Three days and more of refusals, as many attempts as an hourly retry makes in them.
    long_ago = timezone.now() - timedelta(hours=80)
    Mail.objects.filter(pk=first).update(attempts=90, created_at=long_ago, next_attempt_at=long_ago)
    now = timezone.now()
    assert deliver_many([first], now=now) == [first]
    mail = Mail.objects.get(pk=first)
    assert (mail.status, mail.attempts, mail.next_attempt_at) == (Mail.Status.QUEUED, 91, now + timedelta(hours=1))
    smtp.refusing = False
    assert deliver_many([first], now=now + timedelta(hours=1)) == []
    assert Mail.objects.get(pk=first).status == Mail.Status.SENT


@pytest.mark.django_db
def test_a_permanent_refusal_for_the_address_marks_the_mail_failed_with_the_reason(smtp, queued):
    first, second = queued
    smtp.refusing, smtp.refusal = True, "550 5.1.1 Onbekende ontvanger"
    assert deliver_many([first]) == []  # nothing worth retrying
    mail = Mail.objects.get(pk=first)
    assert (mail.status, mail.attempts) == (Mail.Status.FAILED, 1)
    assert mail.last_error == "SMTPRecipientsRefused: 550 5.1.1 Onbekende ontvanger"
    # Failed mails wait for an organiser; neither the sweep nor the relay hands them over.
    an_hour_later = mail.created_at + timedelta(hours=1)
    assert delivery.pending_mail_ids(now=an_hour_later) == [second]


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"5.1.1 unknown")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (452, b"4.2.2 mailbox full")}), False),
        (smtplib.SMTPDataError(554, b"5.7.1 message refused"), True),
        (smtplib.SMTPDataError(451, b"4.3.0 try later"), False),
        # A 5xx about us, not about this mail: an operator fixes it for every mail at once.
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 bad credentials"), False),
        (smtplib.SMTPSenderRefused(550, b"5.7.1 sender not allowed", "noreply@regiodag.nl"), False),
        (smtplib.SMTPConnectError(554, b"no service"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (TimeoutError("timed out"), False),
        (socket.gaierror(-2, "Name or service not known"), False),
    ],
)
def test_only_a_5xx_for_the_recipient_or_the_message_is_permanent(error, permanent):
    assert delivery.is_permanent(error) is permanent


@pytest.mark.django_db
def test_a_mail_server_that_is_down_defers_every_mail_of_the_batch(settings, queued):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(8600, 8699), 2
    assert deliver_many(queued) == queued
    assert states(queued) == [(Mail.Status.QUEUED, 1)] * 2
    assert all(
        error.startswith("ConnectionRefusedError")
        for error in Mail.objects.filter(pk__in=queued).values_list("last_error", flat=True)
    )


def test_due_mails_come_from_a_periodic_sweep_not_from_countdowns():
    schedule = django_settings.CELERY_BEAT_SCHEDULE["send-due-mails"]
    celery_app.loader.import_default_modules()  # what a worker or beat does at start
    assert schedule["task"] in celery_app.tasks
    # Runs every few minutes: crontab minute="*/5" fires at twelve minutes of each hour.
    assert len(schedule["schedule"].minute) >= 12
    assert django_settings.CELERY_TASK_ROUTES["registrations.tasks.render_*"] == {"queue": "pdf"}


@pytest.mark.django_db
def test_a_batch_with_nothing_left_to_send_opens_no_connection(conference, monkeypatch):
    workshops = [r.workshops.first().pk for r in conference.rounds.all()]
    register(conference.pk, people=[person(1, workshops)])
    mail = Mail.objects.get()
    opened = []
    monkeypatch.setattr(delivery, "get_connection", lambda: opened.append(1) or django_get_connection())
    assert delivery.deliver_many([mail.pk]) == []
    assert delivery.deliver_many([mail.pk, 999_999]) == []  # sent already, and one that never existed
    assert len(opened) == 1
