"""The acknowledgement: recorded with the registration, sent after commit, never lost."""

import time
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.utils import timezone

from regiodag.celery import app as celery_app
from registrations.mails.delivery import deliver
from registrations.models import Mail, Registration
from registrations.tasks import sweep_due_mails
from registrations.tests.conference_helpers import form_data, register_url, workshop_ids


@pytest.fixture
def broker_down():
    """Point Celery at a port where nothing listens, as when Redis is down."""
    original = celery_app.conf.broker_url
    reset_broker_pools()
    celery_app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    reset_broker_pools()
    celery_app.conf.broker_url = original


def reset_broker_pools():
    # Forget the app's pools without closing them: kombu keeps one pool per broker URL for
    # the whole process, and a closed one would be handed back to every later user.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.mark.django_db
def test_acknowledgement_has_facts_workshops_link_and_calendar(client, conference):
    chosen = workshop_ids(conference, 1)
    client.post(register_url(conference), form_data(conference, workshops=chosen))
    registration = Registration.objects.get()
    ack = Mail.objects.get(kind="acknowledgement")
    assert deliver(ack.pk)

    message = django_mail.outbox[-1]
    assert message.to == ["deelnemer1@example.org"]
    assert message.subject == f"Aanmelding bevestigd: {conference.title}"
    html = message.alternatives[0][0]
    for body in (message.body, html):
        assert "Workshop 1.2" in body and "Workshop 2.2" in body
        assert f"/aanmelding/{registration.token}/" in body
        assert "De Vasim" in body and "Winselingseweg 41" in body
        assert "Hartelijk dank voor uw aanmelding" in body
    name, content, mimetype = message.attachments[0]
    assert name == "testdag.ics" and mimetype == "text/calendar"
    content = content.decode() if isinstance(content, bytes) else content  # Django decodes text/* parts
    assert "BEGIN:VEVENT" in content and "SUMMARY:Testdag van de Regio's" in content


@pytest.mark.django_db(transaction=True)
def test_registration_succeeds_when_redis_is_down_and_the_sweep_sends_later(client, conference, broker_down, caplog):
    started = time.monotonic()
    response = client.post(register_url(conference), form_data(conference))
    assert response.status_code == 302
    assert "not handed to the broker" in caplog.text  # the broker really was unreachable
    assert time.monotonic() - started < 10  # the broker's short timeouts, not a hang
    ack = Mail.objects.get(kind="acknowledgement")
    assert ack.status == Mail.Status.QUEUED
    assert not django_mail.outbox

    Mail.objects.filter(pk=ack.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert sweep_due_mails() == 1
    ack.refresh_from_db()
    assert ack.status == Mail.Status.SENT
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_mail_is_handed_to_the_broker_only_after_commit(client, conference, monkeypatch):
    handed = []

    def fake_delay(mail_id):
        # Runs after commit: the mail row must already be visible to a worker.
        handed.append(Mail.objects.filter(pk=mail_id).exists())

    monkeypatch.setattr("registrations.tasks.send_mail.delay", fake_delay)
    client.post(register_url(conference), form_data(conference))
    assert handed == [True]


@pytest.mark.django_db
def test_waitlisted_mail_and_personal_link_mail_render(client, conference):
    conference.capacity = 1
    conference.save()
    client.post(register_url(conference), form_data(conference, 1))
    client.post(register_url(conference), form_data(conference, 2, waitlist="on"))
    client.post(register_url(conference), form_data(conference, 3, email="deelnemer2@example.org"))
    for kind in ("waitlisted", "personal_link"):
        mail = Mail.objects.get(kind=kind)
        assert deliver(mail.pk)
    waitlisted, link = django_mail.outbox[-2:]
    assert "wachtlijst" in waitlisted.subject
    assert link.to == ["deelnemer2@example.org"] and "persoonlijke link" in link.subject
    token = Registration.objects.get(email="deelnemer2@example.org").token
    assert f"/aanmelding/{token}/" in link.body
