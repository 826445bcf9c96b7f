"""Organisers' mail tools: preview, send now, resend, the log, and event changes told once."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.safestring import SafeData

from conftest import make_conference, make_organiser, person
from events.models import Event, Venue
from registrations.mails import actions
from registrations.mails.delivery import deliver_many
from registrations.models import Mail
from registrations.services.event_changes import notify_event_changed
from registrations.services.registering import cancel, register
from registrations.tests.broker_helpers import queued_tasks

DEFINITIVE = "definitive_confirmation"


def first_workshops(event):
    return [r.workshops.order_by("pk").first().pk for r in event.rounds.all()]


@pytest.fixture
def registered(conference):
    return register(conference.pk, people=[person(1, first_workshops(conference))])


@pytest.mark.django_db
def test_preview_renders_each_kind_as_it_would_be_sent(registered):
    for kind in ["acknowledgement", DEFINITIVE, "event_changed", "event_cancelled", "cancelled"]:
        subject, text, html = actions.preview(registered, kind)
        assert registered.event.title in subject
        assert "Esther van der Mark1" in text and "Esther van der Mark1" in html
    assert not Mail.objects.filter(kind=DEFINITIVE).exists(), "a preview records nothing"


@pytest.mark.django_db
def test_admin_preview_and_pdf_are_scoped_to_the_organisers_events(client, organiser, other_organisation, registered):
    client.force_login(organiser)
    url = reverse("admin:registrations_registration_mail_preview", args=[registered.pk, DEFINITIVE])
    response = client.get(url)
    assert response.status_code == 200
    assert "Definitieve bevestiging" in response.content.decode()
    html_url = reverse("admin:registrations_registration_mail_html", args=[registered.pk, DEFINITIVE])
    assert f'src="{html_url}"' in response.content.decode()
    html = client.get(html_url)
    assert html.status_code == 200 and "Esther van der Mark1" in html.content.decode()
    policy = sorted(part.strip() for part in html["Content-Security-Policy"].split(";"))
    assert policy[:4] == ["base-uri 'none'", "default-src 'none'", "form-action 'none'", "frame-ancestors 'self'"]
    assert policy[4:] == ["img-src data:", "sandbox", "style-src 'unsafe-inline'"]
    assert html["X-Frame-Options"] == "SAMEORIGIN"
    pdf = client.get(reverse("admin:registrations_registration_pdf_preview", args=[registered.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    client.force_login(make_organiser("buitenstaander", other_organisation))
    assert client.get(url).status_code == 404
    assert client.get(html_url).status_code == 404


@pytest.mark.django_db
def test_the_preview_shows_a_hostile_name_as_text(client, organiser, conference):
    """Without a browser (test_hostile_text_browser.py has one): the plain text is escaped in
    the preview page, the HTML mail escapes it itself, and neither page carries it as markup."""
    hostile = '"><script>alert(1)</script>'
    registration = register(conference.pk, people=[person(1, first_workshops(conference), given_name=hostile)])
    _subject, text, _html = actions.preview(registration, "acknowledgement")
    assert not isinstance(text, SafeData), "plain text is not markup"
    client.force_login(organiser)
    for name in ("mail_preview", "mail_html"):
        url = reverse(f"admin:registrations_registration_{name}", args=[registration.pk, "acknowledgement"])
        content = client.get(url).content.decode()
        assert "<script>alert" not in content, name
        assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in content, name


@pytest.mark.django_db
def test_send_now_records_once_and_resend_is_recorded_as_such(registered, organiser):
    [first] = actions.send_definitive_confirmation_now(registered.pk, by=organiser)
    assert actions.send_definitive_confirmation_now(registered.pk, by=organiser) == []
    [again] = actions.resend(first.pk, by=organiser)
    assert again.is_resend and again.requested_by == organiser
    assert deliver_many([first.pk, again.pk]) == []
    assert Mail.objects.filter(kind=DEFINITIVE, status=Mail.Status.SENT).count() == 2
    assert Mail.objects.filter(kind=DEFINITIVE, is_resend=False).count() == 1


@pytest.mark.django_db
def test_send_now_refuses_a_cancelled_registration(registered):
    cancel(registered.pk)
    with pytest.raises(actions.NotAllowed):
        actions.send_definitive_confirmation_now(registered.pk)


@pytest.mark.django_db
def test_admin_actions_and_mail_log(client, organiser, registered):
    client.force_login(organiser)
    changelist = reverse("admin:registrations_registration_changelist")
    response = client.post(
        changelist, {"action": "send_definitive_now", "_selected_action": [registered.pk]}, follow=True
    )
    assert response.status_code == 200
    mail = Mail.objects.get(kind=DEFINITIVE)
    Mail.objects.filter(pk=mail.pk).update(last_error="SMTPServerDisconnected: weg", attempts=2)
    client.post(changelist, {"action": "resend_definitive", "_selected_action": [registered.pk]})
    assert Mail.objects.filter(kind=DEFINITIVE, is_resend=True).count() == 1

    page = client.get(reverse("admin:registrations_registration_change", args=[registered.pk])).content.decode()
    assert "SMTPServerDisconnected: weg" in page  # failures visible in the log per registration
    log = client.get(
        reverse("admin:registrations_mail_changelist"), {"registration__event__id__exact": registered.event_id}
    ).content.decode()
    assert "SMTPServerDisconnected: weg" in log
    assert "Bij de volgende verzendronde" in log


@pytest.mark.django_db
def test_event_change_is_told_once_per_change(conference, registered, organisation):
    register(conference.pk, people=[person(2, first_workshops(conference))])
    conference.starts_at += timedelta(hours=1)
    conference.ends_at += timedelta(hours=1)
    conference.save()
    first = notify_event_changed(conference, ["starts_at", "ends_at"])
    assert sorted(m.recipient for m in first) == ["deelnemer1@example.org", "deelnemer2@example.org"]
    assert {m.occasion for m in first} == {first[0].occasion}
    # Telling the same change twice records nothing; a new change is told again.
    assert [m.pk for m in (notify_event_changed(conference, ["venue"], now=None))] != [m.pk for m in first]
    assert Mail.objects.filter(kind="event_changed").count() == 4
    assert notify_event_changed(conference, ["title"]) == []
    assert deliver_many([m.pk for m in first]) == []


@pytest.mark.django_db
def test_cancelling_an_event_in_the_admin_tells_everyone_and_stops_the_confirmation(
    client, organiser, organisation, venue
):
    event = make_conference(organisation, venue, slug="afgelast", starts_in=timedelta(days=6))
    registration = register(event.pk, people=[person(1, first_workshops(event))])
    [queued] = actions.send_definitive_confirmation_now(registration.pk)
    event.status = Event.Status.CANCELLED
    event.save()
    told = notify_event_changed(event, ["status"])
    assert [m.kind for m in told] == ["event_cancelled"]
    assert deliver_many([queued.pk, told[0].pk]) == []
    queued.refresh_from_db()
    told[0].refresh_from_db()
    assert (queued.status, told[0].status) == (Mail.Status.SKIPPED, Mail.Status.SENT)


@pytest.mark.django_db
def test_event_admin_save_notifies_on_venue_change(client, organiser, conference, registered):
    other = Venue.objects.create(name="EMMA", address="Wijnhaven 88", postcode="2511 GA", city="Den Haag")
    client.force_login(organiser)
    url = reverse("admin:events_event_change", args=[conference.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if hasattr(value, "all"):
            value = [v.pk for v in value.all()]
        elif isinstance(value, list):
            value = [getattr(v, "pk", v) for v in value]
        data[name] = "" if value is None else value
    for name in ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]:
        value = form.initial.get(name)
        data[f"{name}_0"], data[f"{name}_1"] = (
            (value.strftime("%Y-%m-%d"), value.strftime("%H:%M:%S")) if value else ("", "")
        )
        data.pop(name, None)
    data["venue"] = other.pk
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert Mail.objects.filter(kind="event_changed", registration=registered).count() == 1


@pytest.mark.django_db(transaction=True)
def test_send_now_hands_waiting_mails_over_at_once_and_the_relay_not_again(client, organiser, registered, empty_broker):
    from registrations.mails.outbox import hand_over

    ack = Mail.objects.get(registration=registered, kind="acknowledgement")
    client.force_login(organiser)
    response = client.post(
        reverse("admin:registrations_mail_changelist"), {"action": "send_now", "_selected_action": [ack.pk]}
    )
    assert response.status_code == 302
    assert queued_tasks() == [("registrations.tasks.send_mails", [ack.pk])]
    ack.refresh_from_db()
    assert ack.handed_over_at is not None
    assert hand_over() == 0
