"""Invitations: the audience, one mail per contact and mailing, the mail itself, reminders,
unsubscribing, erasing, results."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from conftest import person
from registrations.invitations import contacts, mailings, results
from registrations.invitations.models import Contact, Invitation, Mailing
from registrations.mails.delivery import deliver, deliver_many
from registrations.models import Mail
from registrations.services.registering import register
from registrations.tests.invitation_helpers import add_contact, make_mailing, sent_mailing

pytestmark = [pytest.mark.django_db, pytest.mark.both_databases]


def invitation_mails(mailing, kind=mailings.INVITATION):
    return Mail.objects.filter(invitation__mailing=mailing, kind=kind)


def sign_up(event, n, email):
    chosen = [rnd.workshops.order_by("pk").first().pk for rnd in event.rounds.all()]
    return register(event.pk, people=[person(n, chosen, email=email)])


def send_all():
    return deliver_many(list(Mail.objects.filter(status=Mail.Status.QUEUED).values_list("pk", flat=True)))


def test_a_mailing_goes_once_to_each_subscribed_contact_of_its_own_organisation(
    organisation, other_organisation, conference
):
    ours = [add_contact(organisation, n) for n in range(1, 4)]
    add_contact(organisation, 9, unsubscribed_at=timezone.now())
    add_contact(other_organisation, 1)  # the same address on another organisation's list
    mailing = make_mailing(organisation, conference)

    assert mailings.send_mailing(mailing.pk) == 3
    assert mailings.send_mailing(mailing.pk) == 0  # again: nothing twice
    assert sorted(invitation_mails(mailing).values_list("recipient", flat=True)) == sorted(c.email for c in ours)
    send_all()
    assert len(django_mail.outbox) == 3
    mailing.refresh_from_db()
    assert mailing.recorded_at is not None


def test_the_database_refuses_a_second_invitation_mail(organisation, conference):
    add_contact(organisation)
    mailing = sent_mailing(organisation, conference)
    invitation = Invitation.objects.get(mailing=mailing)
    with pytest.raises(IntegrityError), transaction.atomic():
        Mail.objects.create(invitation=invitation, kind=mailings.INVITATION, recipient="x@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(mailing=mailing, contact=invitation.contact)


@pytest.mark.parametrize(
    ("audience", "value", "expected"),
    [
        ("everyone", "", {1, 2, 3}),
        ("role", "griffier", {2}),
        ("municipality", "nijmegen", {1}),
        ("province", "Gelderland", {1, 3}),  # Nijmegen and Zutphen
    ],
)
def test_the_audience_by_role_municipality_province_or_everyone(organisation, conference, audience, value, expected):
    add_contact(organisation, 1, role="ambtenaar", municipality="Nijmegen")
    add_contact(organisation, 2, role="griffier", municipality="Tilburg")
    add_contact(organisation, 3, role="wethouder", municipality="Zutphen")
    mailing = make_mailing(organisation, conference, audience=audience, audience_value=value)
    found = {int(c.email.removeprefix("contact").split("@")[0]) for c in mailings.audience(mailing)}
    assert found == expected


def test_the_mail_is_personal_escaped_and_carries_its_links_and_one_click_headers(organisation, conference):
    add_contact(organisation, 1, family_name="Mark", salutation="mevrouw")
    add_contact(organisation, 2, salutation="", family_name="<script>alert(1)</script>")
    sent_mailing(organisation, conference, text="Kom <b>ook</b>!\n\nTot dan.")
    send_all()
    by_recipient = {message.to[0]: message for message in django_mail.outbox}
    known, unknown = by_recipient["contact1@example.org"], by_recipient["contact2@example.org"]
    assert "Geachte mevrouw Van der Mark," in known.body
    assert "Geachte heer, mevrouw," in unknown.body
    html = unknown.alternatives[0][0]
    assert "<script>" not in html and "<b>ook</b>" not in html
    assert "&lt;b&gt;ook&lt;/b&gt;" in html
    contact = Contact.objects.get(email="contact1@example.org")
    invitation = contact.invitations.get()
    for link in [
        f"/uitnodiging/{invitation.token}/",
        f"/uitnodiging/{invitation.token}/deelnemen/",
        f"/contactpersoon/{contact.token}/gegevens/",
        f"/contactpersoon/{contact.token}/afmelden/",
    ]:
        assert link in known.body and link in known.alternatives[0][0], link
    headers = known.extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https, mailto = [part.strip(" <>") for part in headers["List-Unsubscribe"].split(",")]
    assert https.endswith(f"/contactpersoon/{contact.token}/afmelden/een-klik/") and https.startswith("http")
    assert mailto.startswith("mailto:")


def test_an_unsubscribed_contact_gets_no_waiting_invitation_nor_any_later_one(organisation, conference):
    contact = add_contact(organisation)
    mailing = sent_mailing(organisation, conference)
    contacts.unsubscribe(contact.token)
    send_all()
    assert django_mail.outbox == []
    assert invitation_mails(mailing).get().status == Mail.Status.SKIPPED
    later = sent_mailing(organisation, conference, subject="Nog een")
    assert not invitation_mails(later).exists()


def test_reminders_go_before_the_deadline_to_whoever_neither_registered_nor_unsubscribed(organisation, conference):
    conference.registration_closes_at = conference.starts_at - timedelta(days=10)
    conference.save()
    waiting, registered, unsubscribed = (add_contact(organisation, n) for n in range(1, 4))
    mailing = sent_mailing(organisation, conference, reminder_days_before=3)
    send_all()
    sign_up(conference, 5, registered.email)
    contacts.unsubscribe(unsubscribed.token)
    closes = conference.registration_closes_at

    assert mailings.send_due_reminders(closes - timedelta(days=4)) == []  # not yet
    assert mailings.send_due_reminders(closes - timedelta(days=2)) == [mailing.pk]
    assert mailings.send_due_reminders(closes - timedelta(days=1)) == []  # once
    assert list(invitation_mails(mailing, mailings.REMINDER).values_list("recipient", flat=True)) == [waiting.email]
    django_mail.outbox.clear()
    send_all()
    reminders = [m.to for m in django_mail.outbox if m.subject.startswith("Herinnering: ")]
    assert reminders == [[waiting.email]]


def test_a_reminder_that_waits_is_skipped_once_the_contact_registers(organisation, conference):
    contact = add_contact(organisation)
    mailing = sent_mailing(organisation, conference, reminder_days_before=60)
    send_all()
    mailings.send_reminder(mailing.pk)
    sign_up(conference, 5, contact.email)
    reminder = invitation_mails(mailing, mailings.REMINDER).get()
    assert deliver(reminder.pk) is False
    reminder.refresh_from_db()
    assert (reminder.status, reminder.last_error) == (Mail.Status.SKIPPED, "registered")


def test_a_scheduled_mailing_leaves_with_the_sweep_once_its_moment_has_come(organisation, conference):
    add_contact(organisation)
    moment = timezone.now() + timedelta(hours=1)
    mailing = make_mailing(organisation, conference, send_at=moment)
    assert mailings.send_due_mailings(moment - timedelta(minutes=1)) == []
    assert mailings.send_due_mailings(moment) == [mailing.pk]
    assert mailings.send_due_mailings(moment + timedelta(minutes=5)) == []
    assert invitation_mails(mailing).count() == 1


def test_results_count_sent_failed_opened_registered_and_unsubscribed(organisation, conference):
    people = [add_contact(organisation, n) for n in range(1, 6)]
    mailing = sent_mailing(organisation, conference)
    send_all()
    Mail.objects.filter(recipient=people[0].email).update(status=Mail.Status.FAILED)
    Invitation.objects.filter(contact=people[1]).update(opened_at=timezone.now())
    sign_up(conference, 7, people[1].email)
    contacts.unsubscribe(people[2].token)
    summary = results.summary(results.invitation_rows(mailing))
    assert summary == {
        "invited": 5,
        "sent": 4,
        "failed": 1,
        "waiting": 0,
        "opened": 1,
        "registered": 1,
        "unsubscribed": 1,
        "reminded": 0,
    }


def test_erasing_a_contact_removes_them_and_their_address_but_keeps_the_numbers(organisation, conference):
    kept, erased = add_contact(organisation, 1), add_contact(organisation, 2)
    mailing = sent_mailing(organisation, conference)
    assert contacts.erase_contacts([erased.pk]) == 1
    assert not Contact.objects.filter(pk=erased.pk).exists()
    assert not Mail.objects.filter(recipient=erased.email).exists()
    assert results.summary(results.invitation_rows(mailing))["invited"] == 2
    send_all()
    assert [m.to for m in django_mail.outbox] == [[kept.email]]


def test_retention_erases_contacts_neither_changed_nor_invited_for_the_retention_period(organisation, conference):
    old, invited, fresh = (add_contact(organisation, n) for n in range(1, 4))
    long_ago = timezone.now() - timedelta(days=400)
    Contact.objects.filter(pk__in=[old.pk, invited.pk]).update(updated_at=long_ago)
    make_mailing(organisation, conference, audience="municipality", audience_value="Nijmegen")
    Invitation.objects.create(mailing=Mailing.objects.get(), contact=invited)
    assert contacts.erase_expired_contacts(retention_days=365) == 1
    assert set(Contact.objects.values_list("pk", flat=True)) == {invited.pk, fresh.pk}


def test_the_demo_holds_a_contact_list_and_a_sent_mailing_once():
    from registrations.invitations.demo import CONTACTS, load_demo_invitations
    from workshops.demo import load_demo

    load_demo()
    mailing = load_demo_invitations()
    assert load_demo_invitations() is None  # a second run changes nothing
    assert Contact.objects.filter(owner=mailing.owner).count() == len(CONTACTS)
    assert mailing.recorded_at is not None
    assert invitation_mails(mailing).count() == len(CONTACTS)


def test_a_reminder_counts_back_from_a_steps_deadline_when_one_is_chosen(organisation, conference):
    from events.models import ProgrammeItem

    step = ProgrammeItem.objects.create(
        event=conference, starts_at=conference.starts_at - timedelta(days=20), title="Stap 1", is_deadline=True
    )
    add_contact(organisation)
    mailing = sent_mailing(organisation, conference, reminder_days_before=2, deadline_step=step)
    send_all()
    assert mailings.send_due_reminders(step.starts_at - timedelta(days=3)) == []
    assert mailings.send_due_reminders(step.starts_at - timedelta(days=1)) == [mailing.pk]


def test_a_series_mailing_counts_a_registration_for_any_of_its_events(organisation, conference):
    from events.models import Series

    series = Series.objects.create(title="Reeks", slug="reeks")
    series.organisations.add(organisation)
    conference.series = series
    conference.save()
    contact = add_contact(organisation)
    mailing = Mailing.objects.create(owner=organisation, series=series, subject="Reeks", text="x")
    mailings.send_mailing(mailing.pk)
    sign_up(conference, 3, contact.email)
    assert results.summary(results.invitation_rows(mailing))["registered"] == 1


def test_an_invitation_that_failed_to_send_stays_queued_and_goes_once_later(organisation, conference, settings):
    from registrations.mails.delivery import DeliveryFailed
    from registrations.tests.mailservers import free_port

    add_contact(organisation)
    mailing = sent_mailing(organisation, conference)
    mail = invitation_mails(mailing).get()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(8600, 8699), 1
    with pytest.raises(DeliveryFailed):
        deliver(mail.pk)
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (Mail.Status.QUEUED, 1)
    assert deliver(mail.pk) is False  # not before its next attempt is due
    Mail.objects.filter(pk=mail.pk).update(next_attempt_at=timezone.now())  # the wait is over
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver(mail.pk) is True
    assert deliver(mail.pk) is False  # sent: never twice
    assert len(django_mail.outbox) == 1
