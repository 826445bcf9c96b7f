"""Delivery over real SMTP: retried while the server defers, given up when it refuses for
good, and due mails found by the periodic sweep rather than by tasks waiting days."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.mail import get_connection as django_get_connection

from conftest import make_conference, person
from regiodag.celery import app as celery_app
from registrations.mails import delivery
from registrations.mails.delivery import deliver_many
from registrations.mails.schedule import queue_due_mails
from registrations.models import Mail
from registrations.services.registering import register
from registrations.tests.mailservers import SmtpSink, send_through


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


@pytest.mark.django_db
def test_deferred_mail_stays_queued_for_a_retry(smtp, queued):
    smtp.refusing = True
    assert deliver_many(queued) == queued  # both to be retried
    assert states(queued) == [(Mail.Status.QUEUED, 1)] * 2
    smtp.refusing = False
    assert deliver_many(queued) == []
    assert states(queued) == [(Mail.Status.SENT, 2)] * 2
    assert len(smtp.received("Definitieve")) == 2


@pytest.mark.django_db
def test_permanent_refusal_or_too_many_attempts_mark_the_mail_failed(smtp, queued):
    first, second = queued
    smtp.refusing, smtp.refusal = True, "550 5.1.1 Onbekende ontvanger"
    assert deliver_many([first]) == []  # nothing worth retrying
    smtp.refusal = "451 4.3.0 Later"
    Mail.objects.filter(pk=second).update(attempts=delivery.MAX_ATTEMPTS - 1)
    assert deliver_many([second]) == []
    failed = Mail.objects.filter(pk__in=queued, status=Mail.Status.FAILED)
    assert sorted(failed.values_list("attempts", flat=True)) == [1, delivery.MAX_ATTEMPTS]
    assert "550" in failed.get(pk=first).last_error
    # Failed mails wait for an organiser; the sweep no longer hands them over.
    an_hour_later = Mail.objects.get(pk=first).created_at + timedelta(hours=1)
    assert delivery.pending_mail_ids(now=an_hour_later) == []


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
