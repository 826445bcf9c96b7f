"""Messages to participants in the admin: write, preview (escaped), send once, see the mails
in the log; an organiser of another organisation can neither see nor send them."""

import pytest
from django.urls import reverse

from conftest import make_conference, person
from registrations.models import Mail, ParticipantMessage
from registrations.services.registering import register
from registrations.tests.conference_helpers import workshop_ids

pytestmark = pytest.mark.django_db

HOSTILE_NAME = "<script>alert('naam')</script>"
BODY = "De zaal is nu Zaal 4.\n\n<script>alert('bericht')</script>"


@pytest.fixture
def day(organisation, venue):
    event = make_conference(organisation, venue, slug="berichtendag")
    register(event.pk, people=[person(1, workshop_ids(event), given_name=HOSTILE_NAME)])
    register(event.pk, people=[person(2, workshop_ids(event, 1))])
    return event


def add_url():
    return reverse("admin:registrations_participantmessage_add")


def send_url(message):
    return reverse("admin:registrations_participantmessage_send", args=[message.pk])


def write(client, event, **fields):
    data = {"event": event.pk, "audience": "all", "workshop": "", "subject": "Andere zaal", "body": BODY, **fields}
    return client.post(add_url(), data)


def test_an_organiser_writes_previews_and_sends_a_message_once(client, organiser, day):
    client.force_login(organiser)
    response = write(client, day)
    message = ParticipantMessage.objects.get()
    assert response.status_code == 302 and response.url == send_url(message)
    assert message.created_by == organiser and message.sent_at is None

    page = client.get(send_url(message)).content.decode()
    # The mail's HTML sits escaped in the sandboxed frame: its own escaping shows once more.
    assert "<iframe" in page and "sandbox" in page
    assert 'srcdoc="&lt;!doctype html&gt;' in page  # the whole mail stays inside the attribute
    assert "&amp;lt;script&amp;gt;alert(&amp;#x27;bericht&amp;#x27;)&amp;lt;/script&amp;gt;" in page
    assert "&amp;lt;script&amp;gt;alert(&amp;#x27;naam&amp;#x27;)" in page
    assert "&lt;script&gt;alert(&#x27;bericht&#x27;)&lt;/script&gt;" in page  # the plain text
    assert "<script>alert" not in page
    assert "Het bericht gaat naar 2 ontvangers." in page

    response = client.post(send_url(message), follow=True)
    assert "Het bericht staat klaar voor 2 ontvangers" in response.content.decode()
    assert Mail.objects.filter(message=message, kind="message").count() == 2
    client.post(send_url(message))  # pressed again
    assert Mail.objects.filter(message=message).count() == 2

    # Sent, it can no longer be changed or deleted, and its mails are in the mail log.
    change = client.get(reverse("admin:registrations_participantmessage_change", args=[message.pk]))
    assert 'name="body"' not in change.content.decode()
    delete = reverse("admin:registrations_participantmessage_delete", args=[message.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    page = client.get(send_url(message)).content.decode()
    assert "Nu versturen" not in page and "in de wachtrij: 2" in page
    log = client.get(reverse("admin:registrations_mail_changelist") + f"?message__id__exact={message.pk}")
    assert log.status_code == 200
    assert sorted(m.pk for m in log.context["cl"].queryset) == sorted(message.mails.values_list("pk", flat=True))


def test_a_workshop_message_names_the_workshop_and_refuses_one_of_another_event(client, organiser, day):
    client.force_login(organiser)
    form = client.get(add_url()).content.decode()
    assert "Testdag van de Regio&#x27;s · Workshopronde 1 · Workshop 1.1" in form
    other = make_conference(day.organisations.get(), slug="andere-dag")
    foreign = other.rounds.get(number=1).workshops.first()
    response = write(client, day, audience="workshop", workshop=foreign.pk)
    assert response.status_code == 200
    assert "Deze workshop hoort niet bij dit evenement." in response.content.decode()
    assert not ParticipantMessage.objects.exists()


def test_another_organisation_can_neither_write_to_nor_see_nor_send_these_participants(
    client, organiser, other_organiser, day
):
    client.force_login(other_organiser)
    response = write(client, day)
    assert response.status_code == 200 and "event" in response.context["adminform"].form.errors
    assert not ParticipantMessage.objects.exists()

    message = ParticipantMessage.objects.create(event=day, subject="Andere zaal", body=BODY, created_by=organiser)
    assert client.get(send_url(message)).status_code == 404
    assert client.post(send_url(message)).status_code == 404
    listed = client.get(reverse("admin:registrations_participantmessage_changelist"))
    assert not listed.context["cl"].queryset.exists()
    message.refresh_from_db()
    assert message.sent_at is None and not Mail.objects.filter(message=message).exists()


def test_an_over_long_body_is_refused_in_dutch(client, organiser, day):
    client.force_login(organiser)
    response = write(client, day, body="x" * (ParticipantMessage.BODY_MAX + 1))
    assert response.status_code == 200
    assert "Zorg dat deze waarde niet meer dan 5000 tekens bevat" in response.content.decode()
    assert not ParticipantMessage.objects.exists()


def test_the_registrations_mail_preview_escapes_a_hostile_name_too(client, organiser, day):
    # The registration's preview shows the HTML mail as a sandboxed document of its own URL
    # and the plain text escaped.
    client.force_login(organiser)
    registration = day.registrations.get(participants__given_name=HOSTILE_NAME)
    url = reverse("admin:registrations_registration_mail_preview", args=[registration.pk, "acknowledgement"])
    page = client.get(url).content.decode()
    assert "sandbox" in page and "srcdoc" not in page
    assert "<script>alert" not in page
    assert "Beste &lt;script&gt;alert(&#x27;naam&#x27;)&lt;/script&gt;" in page  # the plain text, literally
