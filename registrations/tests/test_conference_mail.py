"""The acknowledgement: recorded with the registration, handed to the workers by the
relay, never lost, never handed over twice."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail as django_mail
from django.db import connection
from django.utils import timezone

from conftest import person
from regiodag.celery import app as celery_app
from registrations.mails.delivery import deliver, deliver_many, pending_mails
from registrations.mails.outbox import hand_over
from registrations.mails.rendering import build_message, render_parts
from registrations.models import Mail, Registration
from registrations.services.registering import register
from registrations.tests.broker_helpers import queued_tasks
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


@pytest.mark.django_db
def test_acknowledgement_links_the_privacy_statement_in_html_and_text(conference, settings):
    settings.SITE_URL = "https://regiodag.example.org"
    registration = register(conference.pk, people=[person(1, workshop_ids(conference))])
    subject, text, html = render_parts(Mail.objects.get(registration=registration, kind="acknowledgement"))
    assert "Privacyverklaring: https://regiodag.example.org/privacy/\n" in text
    assert '<a href="https://regiodag.example.org/privacy/" style="color:#01689b;">Privacyverklaring</a>' in html


@pytest.mark.django_db
def test_acknowledgement_tells_whom_to_mail_with_questions_in_html_and_text(conference, organisation):
    organisation.contact_email = "vragen@bmc.nl"
    organisation.save()
    registration = register(conference.pk, people=[person(1, workshop_ids(conference))])
    ack = Mail.objects.get(registration=registration, kind="acknowledgement")
    assert deliver(ack.pk)
    message = django_mail.outbox[-1]
    assert "\nVragen? Mail vragen@bmc.nl.\n" in message.body
    assert (
        'Vragen? Mail <a href="mailto:vragen@bmc.nl" style="color:#01689b;">vragen@bmc.nl</a>.</p>'
        in message.alternatives[0][0]
    )


@pytest.mark.django_db
def test_several_organisers_are_named_beside_their_address_and_those_without_one_left_out(
    conference, organisation, other_organisation, django_assert_num_queries
):
    other_organisation.contact_email = "info@vng.nl"
    other_organisation.save()
    conference.organisations.add(other_organisation)  # BMC has no address: left out
    registration = register(conference.pk, people=[person(1, workshop_ids(conference))], language="en")
    ack = Mail.objects.select_related("registration__event__venue", "participant").get(
        registration=registration, kind="acknowledgement"
    )
    with django_assert_num_queries(4):  # participants, choices, programme, organisations: none for the contacts
        _subject, text, html = render_parts(ack)
    assert "Questions? Email info@vng.nl.\n" in text
    assert "(VNG)" not in text  # one address needs no name beside it

    organisation.contact_email = "vragen@bmc.nl"
    organisation.save()
    ack = Mail.objects.select_related("registration__event__venue", "participant").get(pk=ack.pk)
    _subject, text, html = render_parts(ack)
    assert "Questions? Email vragen@bmc.nl (BMC), info@vng.nl (VNG).\n" in text
    assert '<a href="mailto:info@vng.nl" style="color:#01689b;">info@vng.nl</a> (VNG)' in html


@pytest.mark.django_db
def test_building_a_message_reads_the_mail_context_once(conference, django_assert_num_queries):
    registration = register(conference.pk, people=[person(1, workshop_ids(conference))])
    ack = Mail.objects.select_related("registration__event__venue", "participant").get(
        registration=registration, kind="acknowledgement"
    )
    # The same four as rendering the parts alone: the unsubscribe header and the calendar
    # file ask nothing more of the database.
    with django_assert_num_queries(4):
        message = build_message(ack)
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{settings.SITE_URL}/aanmelding/{registration.token}/afmelden/>"
    )
    assert message.attachments[0][0] == f"{conference.slug}.ics"


@pytest.mark.django_db(transaction=True)
def test_registration_succeeds_when_redis_is_down_and_the_sweep_sends_later(client, conference, broker_down, caplog):
    started = time.monotonic()
    response = client.post(register_url(conference), form_data(conference))
    assert response.status_code == 302
    assert time.monotonic() - started < 10
    ack = Mail.objects.get(kind="acknowledgement")
    assert ack.status == Mail.Status.QUEUED
    assert hand_over() == 0
    assert "Broker (Redis) unavailable" in caplog.text  # the broker really was unreachable
    assert not django_mail.outbox

    # Once the broker is back, the sweep finds the mail that never reached it.
    five_minutes_ago = timezone.now() - timedelta(minutes=5)
    Mail.objects.filter(pk=ack.pk).update(created_at=five_minutes_ago, next_attempt_at=five_minutes_ago)
    assert (ack.pk, "acknowledgement") in pending_mails()
    assert deliver_many([ack.pk]) == []
    ack.refresh_from_db()
    assert ack.status == Mail.Status.SENT
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_registering_records_the_mail_and_the_relay_hands_it_over_once(client, conference, empty_broker):
    client.post(register_url(conference), form_data(conference))
    ack = Mail.objects.get(kind="acknowledgement")
    # The request only recorded it: nothing was published while the participant waited.
    assert ack.handed_over_at is None and queued_tasks() == []

    assert hand_over() == 1
    assert queued_tasks() == [("registrations.tasks.send_mails", [ack.pk])]
    ack.refresh_from_db()
    assert ack.handed_over_at is not None
    assert hand_over() == 0  # the next round finds nothing new
    assert len(queued_tasks()) == 1


@pytest.mark.django_db(transaction=True)
def test_mails_the_broker_refused_are_handed_over_in_a_later_round(client, conference, empty_broker, broker_down):
    client.post(register_url(conference), form_data(conference))
    ack = Mail.objects.get(kind="acknowledgement")
    assert hand_over() == 0
    ack.refresh_from_db()
    assert ack.handed_over_at is None  # released for the next round

    reset_broker_pools()
    celery_app.conf.broker_url = settings.CELERY_BROKER_URL  # Redis is back
    assert hand_over() == 1
    assert queued_tasks() == [("registrations.tasks.send_mails", [ack.pk])]


@pytest.mark.django_db(transaction=True)
def test_relays_running_at_once_hand_each_mail_over_once(conference, empty_broker):
    for n in range(60):
        register(conference.pk, people=[person(n, workshop_ids(conference))], waitlist=True)
    barrier = threading.Barrier(4, timeout=30)

    def relay(_n):
        barrier.wait()
        try:
            while hand_over(limit=5):
                pass
        finally:
            connection.close()  # each thread had a connection of its own

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(relay, range(4)))
    handed = []
    for _task, ids in queued_tasks():
        handed += ids
    assert sorted(handed) == sorted(Mail.objects.values_list("pk", flat=True))
    assert not Mail.objects.filter(handed_over_at__isnull=True).exists()


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
