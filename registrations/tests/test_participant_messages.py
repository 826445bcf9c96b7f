"""An organiser's message to an event's participants: whom each audience reaches, sent
once through the outbox (one mail per recipient, never twice), escaped in every part, read
online, resent, skipped after cancelling, and erased with the registration."""

import dataclasses
from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import make_conference, make_team_session, person, team
from registrations.driehoek.admission import admit, decline, register_team
from registrations.errors import NotAllowed
from registrations.mails.actions import resend
from registrations.mails.delivery import deliver_many
from registrations.mails.participant_messages import audience, recipients, send_message
from registrations.models import Mail, ParticipantMessage, Registration
from registrations.services.registering import cancel, register
from registrations.services.retention import anonymise_expired
from registrations.tests.conference_helpers import workshop_ids
from registrations.tests.test_erasure import personal_values, where_found

pytestmark = pytest.mark.django_db

HOSTILE_NAME = '<img src=x onerror=alert("naam")>'
HOSTILE_BODY = "Parkeren is vol.\n\n<script>alert('bericht')</script> Neem de trein & kom op tijd."


@pytest.fixture
def day(organisation, venue):
    """A full conference: three confirmed (two in workshop A), one cancelled, one waiting."""
    event = make_conference(organisation, venue, capacity=3, slug="berichtendag")
    a, b = workshop_ids(event, 0), workshop_ids(event, 1)
    people = {
        "hostile": register(event.pk, people=[person(1, a, given_name=HOSTILE_NAME)]),
        "b": register(event.pk, people=[person(2, b)]),
        "cancelled": register(event.pk, people=[person(3, a)]),
    }
    cancel(people["cancelled"].pk)
    people["a"] = register(event.pk, people=[person(4, a)])
    people["waiting"] = register(event.pk, people=[person(5, a)], waitlist=True)
    assert people["waiting"].status == Registration.Status.WAITLISTED
    event.people = people
    event.workshop_a = event.rounds.get(number=1).workshops.order_by("pk")[0]
    return event


def message_for(event, audience_=ParticipantMessage.Audience.ALL, **fields):
    data = {"subject": "De zaal is veranderd", "body": HOSTILE_BODY, **fields}
    return ParticipantMessage.objects.create(event=event, audience=audience_, **data)


def names(participants):
    return sorted(p.registration.email for p in participants)


def emails(event, *keys):
    return sorted(event.people[key].email for key in keys)


def test_each_audience_reaches_its_participants(day):
    expected = {
        ParticipantMessage.Audience.ALL: ("hostile", "b", "a", "waiting"),
        ParticipantMessage.Audience.CONFIRMED: ("hostile", "b", "a"),
        ParticipantMessage.Audience.WAITING: ("waiting",),
    }
    for audience_, keys in expected.items():
        assert names(recipients(message_for(day, audience_))) == emails(day, *keys), audience_
    # A workshop's participants are those with a place in it, not those waiting for one.
    workshop = message_for(day, ParticipantMessage.Audience.WORKSHOP, workshop=day.workshop_a)
    assert names(recipients(workshop)) == emails(day, "hostile", "a")


def test_admitted_teams_means_every_member_of_an_admitted_team_and_each_address_once(organisation):
    session = make_team_session(organisation, capacity=4)
    admitted = register_team(
        session.pk, municipality="Nijmegen", people=team("Nijmegen"), contact_name="C", contact_email="c@nijmegen.nl"
    )
    # A griffie that serves two municipalities: one griffier in two teams.
    shared = team("Ede", n=2)
    shared[0] = dataclasses.replace(shared[0], email="griffier1@nijmegen.nl")
    also_admitted = register_team(
        session.pk, municipality="Ede", people=shared, contact_name="C", contact_email="c@ede.nl"
    )
    waiting = register_team(
        session.pk, municipality="Zutphen", people=team("Zutphen", n=3), contact_name="C", contact_email="c@z.nl"
    )
    declined = register_team(
        session.pk, municipality="Arnhem", people=team("Arnhem", n=4), contact_name="C", contact_email="c@a.nl"
    )
    admit([admitted.pk, also_admitted.pk])
    decline([declined.pk])
    message = message_for(session, ParticipantMessage.Audience.ADMITTED_TEAMS)

    assert audience(message).count() == 6
    chosen = recipients(message)
    assert len(chosen) == 5
    assert {p.registration_id for p in chosen} == {admitted.pk, also_admitted.pk}
    assert waiting.status == Registration.Status.APPLIED
    assert send_message(message.pk) == 5
    assert Mail.objects.filter(message=message).count() == 5


def test_sending_records_one_mail_per_recipient_once(day, organiser):
    message = message_for(day)
    before = Mail.objects.count()

    assert send_message(message.pk, by=organiser) == 4
    message.refresh_from_db()
    assert message.sent_at is not None and message.sent_by == organiser
    mails = Mail.objects.filter(message=message)
    assert sorted(mails.values_list("recipient", flat=True)) == emails(day, "hostile", "b", "a", "waiting")
    assert set(mails.values_list("kind", "status", "is_resend")) == {("message", "queued", False)}
    assert Mail.objects.count() == before + 4

    # A second press records nothing more, and the database refuses a second copy anyway.
    assert send_message(message.pk, by=organiser) == 0
    assert Mail.objects.count() == before + 4
    first = mails.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Mail.objects.create(
            registration=first.registration,
            participant=first.participant,
            kind="message",
            occasion="een andere aanleiding",
            recipient=first.recipient,
            message=message,
        )


def test_two_messages_reach_the_same_person_each(day):
    first, second = message_for(day), message_for(day, subject="Parkeren is vol")
    assert send_message(first.pk) == send_message(second.pk) == 4
    assert Mail.objects.filter(participant=day.people["b"].participants.get(), kind="message").count() == 2


def test_an_empty_group_or_a_cancelled_event_sends_nothing(day, organisation):
    session = make_team_session(organisation)
    empty = message_for(session, ParticipantMessage.Audience.ADMITTED_TEAMS)
    with pytest.raises(NotAllowed):
        send_message(empty.pk)
    empty.refresh_from_db()
    assert empty.sent_at is None and not Mail.objects.filter(message=empty).exists()

    message = message_for(day)
    day.status = day.Status.CANCELLED
    day.save()
    with pytest.raises(NotAllowed):
        send_message(message.pk)
    assert not Mail.objects.filter(message=message).exists()


def test_the_mail_shows_the_hostile_texts_literally_and_reads_online(day, client):
    message = message_for(day, subject="Zaal <b>3</b> & meer")
    send_message(message.pk)
    hostile = Mail.objects.get(message=message, participant__registration=day.people["hostile"])
    django_mail.outbox.clear()

    assert deliver_many(list(Mail.objects.filter(message=message).values_list("pk", flat=True))) == []

    assert len(django_mail.outbox) == 4
    [sent] = [m for m in django_mail.outbox if m.to == [hostile.recipient]]
    html = sent.alternatives[0][0]
    assert sent.subject == "Zaal <b>3</b> & meer (Testdag van de Regio's)"
    assert "&lt;script&gt;alert(&#x27;bericht&#x27;)&lt;/script&gt; Neem de trein &amp; kom op tijd." in html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;img src=x onerror=alert(&quot;naam&quot;)&gt;" in html
    assert "<p>Parkeren is vol.</p>" in html  # a blank line starts a paragraph
    assert HOSTILE_BODY in sent.body and HOSTILE_NAME in sent.body  # plain text: as typed
    online = reverse("registrations:mail_online", args=[hostile.registration.token, hostile.pk])
    assert online in html and online in sent.body
    page = client.get(online).content.decode()
    assert "&lt;script&gt;alert(&#x27;bericht&#x27;)&lt;/script&gt;" in page and "<script>" not in page
    hostile.refresh_from_db()
    assert hostile.status == Mail.Status.SENT


def test_a_message_mail_can_be_resent_deliberately(day):
    message = message_for(day)
    send_message(message.pk)
    original = Mail.objects.filter(message=message).first()
    [copy] = resend(original.pk)
    assert copy.is_resend and copy.message == message and copy.occasion == original.occasion
    django_mail.outbox.clear()
    deliver_many([copy.pk])
    assert django_mail.outbox[0].subject.startswith("De zaal is veranderd")


def test_a_mail_to_someone_who_cancelled_meanwhile_is_not_sent(day):
    message = message_for(day)
    send_message(message.pk)
    cancel(day.people["b"].pk)
    django_mail.outbox.clear()
    deliver_many(list(Mail.objects.filter(message=message).values_list("pk", flat=True)))
    assert day.people["b"].email not in [m.to[0] for m in django_mail.outbox]
    assert Mail.objects.get(message=message, registration=day.people["b"]).status == Mail.Status.SKIPPED


def test_erasure_leaves_nothing_of_the_person_in_the_messages_mails(day):
    message = message_for(day)
    send_message(message.pk)
    deliver_many(list(Mail.objects.filter(message=message).values_list("pk", flat=True)))
    registrations = list(Registration.objects.filter(event=day))
    values = personal_values(registrations) - {"Esther", "van der", "Gemeente Nijmegen", "beleidsadviseur"}
    assert any(table == "registrations_mail" for table, _c, _v in where_found(values))

    anonymise_expired(now=day.ends_at + timedelta(days=400), retention_days=365)

    assert where_found(values) == []
    message.refresh_from_db()
    assert message.body == HOSTILE_BODY and message.mails.count() == 4  # the organiser's text stays


def test_the_model_refuses_a_workshop_of_another_event_or_teams_at_a_conference(day, organisation):
    other = make_conference(organisation, slug="andere-dag")
    foreign = other.rounds.get(number=1).workshops.first()
    with pytest.raises(ValidationError) as error:
        ParticipantMessage(event=day, audience="workshop", workshop=foreign, subject="x", body="y").full_clean()
    assert "workshop" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        ParticipantMessage(event=day, audience="workshop", subject="x", body="y").full_clean()
    assert "workshop" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        ParticipantMessage(event=day, audience="admitted_teams", subject="x", body="y").full_clean()
    assert "audience" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        ParticipantMessage(event=day, subject="x", body="y" * (ParticipantMessage.BODY_MAX + 1)).full_clean()
    assert "body" in error.value.message_dict


@pytest.mark.parametrize(
    "fields",
    [
        {"audience": "workshop"},  # a workshop audience without a workshop
        {"body": "y" * (ParticipantMessage.BODY_MAX + 1)},
        {"audience": "iedereen"},
    ],
)
def test_the_database_holds_the_rules_too(day, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantMessage.objects.create(event=day, **{"subject": "x", "body": "y", **fields})
