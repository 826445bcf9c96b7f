"""A mailing of the demo contacts through a real Celery worker (with beat's relay) to a
real SMTP server: one mail per contact, nothing for whoever unsubscribed, and the personal
link that fills in the form."""

import re
from urllib.parse import urlparse

import pytest
from django.test import Client

from registrations.invitations.demo import CONTACTS, SUBJECT, load_demo_invitations
from registrations.invitations.mailings import send_mailing
from registrations.invitations.models import Contact, Mailing
from registrations.models import Mail
from registrations.tasks import send_due_invitations
from registrations.tests.mailservers import RedisServer, SmtpSink, Worker, publish, publishing_to, wait_for
from workshops.demo import load_demo

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True), pytest.mark.both_databases]


def link(message, path_part):
    text = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"https?://\S+{path_part}\S*", text).group(0)


def test_a_mailing_of_the_demo_contacts_reaches_each_once_and_spares_the_unsubscribed(tmp_path, settings):
    settings.REGIODAG_MIN_FILL_SECONDS = 0
    load_demo()
    mailing = load_demo_invitations()
    contacts = list(Contact.objects.filter(owner=mailing.owner))
    assert len(contacts) == len(CONTACTS)
    with (
        SmtpSink() as smtp,
        RedisServer(tmp_path) as redis,
        publishing_to(redis.url),
        Worker(tmp_path, redis.url, smtp.url, beat=True) as worker,
    ):
        wait_for(lambda: len(smtp.received(SUBJECT)) >= len(contacts), 90, "every invitation to arrive")
        received = sorted(str(m["To"]) for m in smtp.received(SUBJECT))
        assert received == sorted(c.email for c in contacts)  # each contact once

        # One contact unsubscribes from the mail client (RFC 8058), another does not react.
        gone = contacts[0]
        message = smtp.received(SUBJECT, to=gone.email)[0]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        one_click = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
        browser = Client(enforce_csrf_checks=True)
        assert browser.post(urlparse(one_click).path, {"List-Unsubscribe": "One-Click"}).status_code == 204

        # The personal link opens the form with the contact's details filled in.
        other = contacts[1]
        take_part = link(smtp.received(SUBJECT, to=other.email)[0], "/deelnemen/")
        form = Client().get(urlparse(take_part).path, follow=True).content.decode()
        assert f'value="{other.email}"' in form and f'value="{other.family_name}"' in form

        # A later mailing, and the reminder of the first: nothing for the unsubscribed one.
        later = Mailing.objects.create(owner=mailing.owner, event=mailing.event, subject="Tweede uitnodiging", text="x")
        send_mailing(later.pk)
        Mailing.objects.filter(pk=mailing.pk).update(reminder_days_before=365)
        publish(send_due_invitations)
        wait_for(lambda: worker.succeeded("registrations.tasks.send_due_invitations") >= 1, 60, "the reminder sweep")
        expected = len(contacts) - 1
        wait_for(lambda: len(smtp.received("Tweede uitnodiging")) >= expected, 90, "the second mailing")
        wait_for(lambda: len(smtp.received("Herinnering: ")) >= expected, 90, "the reminders")
        assert not smtp.received("Tweede uitnodiging", to=gone.email)
        assert not smtp.received("Herinnering: ", to=gone.email)
        assert len(smtp.received(SUBJECT)) == len(contacts)  # still once each
    assert not Mail.objects.filter(invitation__mailing__owner=mailing.owner, status=Mail.Status.QUEUED).exists()
