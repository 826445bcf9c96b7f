"""Proof of attendance: who gets a certificate, what it says, its public check, sending them
all at once, the organisation boundary and erasure."""

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conftest import make_conference, make_organiser, make_team_session, person
from events.models import Event, ProgrammeItem
from events.templatetags.regiodag import long_date
from regiodag.log_redaction import redact
from registrations.checkin.attendance import check_in, record_attendance
from registrations.driehoek.admission import admit
from registrations.mails.delivery import deliver_many
from registrations.models import Attendance, Certificate, Mail
from registrations.services.certificates import certificate_for, send_certificates, verified
from registrations.services.registering import register
from registrations.services.retention import erase_on_request
from registrations.tests.pdf_helpers import pdf_pages, squash
from registrations.tests.team_helpers import sign_up

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script></style>"


def first_workshops(event):
    return [r.workshops.order_by("pk").first().pk for r in event.rounds.order_by("number")]


def move_to_past(event, days=2):
    """The event took place ``days`` ago (registering happened before, while it was open)."""
    starts = timezone.now().replace(microsecond=0) - timedelta(days=days)
    Event.objects.filter(pk=event.pk).update(starts_at=starts, ends_at=starts + timedelta(hours=6, minutes=30))
    event.refresh_from_db()
    return event


def sign_in(event, n, **fields):
    registration = register(event.pk, people=[person(n, first_workshops(event), **fields)])
    return registration, registration.participants.get()


@pytest.fixture
def day(conference):
    """A conference that ended two days ago: one person came, one was recorded absent, one
    never checked in."""
    ProgrammeItem.objects.create(
        event=conference, starts_at=conference.starts_at, title="Plenaire opening over brede welvaart"
    )
    people = {name: sign_in(conference, n, family_name=name) for n, name in enumerate(["Aanwezig", "Afwezig", "Weg"])}
    check_in(people["Aanwezig"][1].pk)
    record_attendance(people["Afwezig"][1].pk, Attendance.Status.ABSENT)
    move_to_past(conference)
    return people


def download_url(registration, participant):
    return reverse("registrations:certificate_download", args=[registration.token, participant.pk])


def verify_url(code):
    return reverse("registrations:certificate", args=[code])


def test_present_participant_downloads_a_certificate_with_name_event_date_duration_programme_organiser(
    client, conference, day
):
    registration, participant = day["Aanwezig"]

    page = client.get(reverse("registrations:manage", args=[registration.token]))
    assert download_url(registration, participant).encode() in page.content

    response = client.get(download_url(registration, participant))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    text = "\n".join(pdf_pages(response.content))
    assert "Bewijs van deelname" in text
    assert "Esther van der Aanwezig" in text
    assert conference.title in text
    assert long_date(conference.starts_at) in text
    assert "6,5 uur" in text
    assert "Plenaire opening over brede welvaart" in text
    assert "BMC" in text  # the organiser
    code = Certificate.objects.get(participant=participant).code
    assert squash(code) in squash(text)


def test_absent_or_unrecorded_participants_get_no_certificate(client, conference, day):
    for name in ("Afwezig", "Weg"):
        registration, participant = day[name]
        page = client.get(reverse("registrations:manage", args=[registration.token]))
        assert b"certificate" not in page.content and b"bewijs/" not in page.content
        assert client.get(download_url(registration, participant)).status_code == 404
    assert not Certificate.objects.exists()


def test_nobody_gets_one_before_the_event_has_ended(client, conference):
    registration, participant = sign_in(conference, 1)
    check_in(participant.pk)  # checked in, but the day is still to come (or still going on)

    assert client.get(download_url(registration, participant)).status_code == 404
    assert certificate_for(participant.pk) is None
    with pytest.raises(Exception, match="pas als het evenement is afgelopen"):
        send_certificates(conference.pk)


def test_a_personal_link_gives_only_its_own_participants_certificate(client, conference, day):
    registration, _participant = day["Weg"]
    _other, present = day["Aanwezig"]

    assert client.get(download_url(registration, present)).status_code == 404


def test_a_teams_page_offers_one_certificate_per_present_member(client, organisation):
    session = make_team_session(organisation)
    registration = sign_up(session)
    admit([registration.pk])
    griffier, burgemeester, secretaris = registration.participants.order_by("pk")
    move_to_past(session)
    record_attendance(griffier.pk, Attendance.Status.PRESENT)
    record_attendance(burgemeester.pk, Attendance.Status.PRESENT)
    record_attendance(secretaris.pk, Attendance.Status.ABSENT)

    page = client.get(reverse("registrations:manage", args=[registration.token])).content.decode()
    assert page.count("/bewijs/") == 2
    assert download_url(registration, griffier) in page and download_url(registration, burgemeester) in page
    assert client.get(download_url(registration, secretaris)).status_code == 404

    text = "\n".join(pdf_pages(client.get(download_url(registration, griffier)).content))
    assert griffier.full_name in text and "Lokale driehoeken" in text  # the learning programme
    assert "6,5 uur" in text


def test_the_code_verifies_and_a_forged_or_altered_one_does_not(client, conference, day):
    _registration, participant = day["Aanwezig"]
    code = certificate_for(participant.pk).code
    assert len(code) >= 22  # 128 bits, URL-safe

    response = client.get(verify_url(code))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Dit bewijs van deelname is echt" in page
    assert participant.full_name in page and escape(conference.title) in page
    assert long_date(conference.starts_at) in page
    # Name, event and date only: nothing else about the person.
    assert participant.email not in page and participant.organisation not in page

    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    for wrong in (altered, code[:-1], "A" * 22, code.upper() if code.upper() != code else code.lower()):
        response = client.get(verify_url(wrong))
        assert response.status_code == 404
        assert "Deze pagina bestaat niet" in response.content.decode()
        assert participant.full_name not in response.content.decode()


def test_the_public_check_is_rate_limited(client, conference, day, settings):
    settings.REGIODAG_RATE_LIMITS = {**settings.REGIODAG_RATE_LIMITS, "certificate-ip": "3/m"}
    code = certificate_for(day["Aanwezig"][1].pk).code

    statuses = [client.get(verify_url(code if n % 2 else "A" * 22)).status_code for n in range(5)]
    assert statuses[:3] == [404, 200, 404]
    assert statuses[3:] == [429, 429]


def test_a_hostile_name_prints_literally_in_the_pdf_and_escaped_on_the_page(client, conference):
    registration, participant = sign_in(conference, 7, given_name=HOSTILE, organisation=HOSTILE)
    check_in(participant.pk)
    move_to_past(conference)

    text = "\n".join(pdf_pages(client.get(download_url(registration, participant)).content))
    assert squash(HOSTILE) in squash(text)

    page = client.get(verify_url(certificate_for(participant.pk).code)).content.decode()
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;/style&gt;" in page


def test_the_certificate_is_in_the_participants_language(client, conference):
    registration = register(conference.pk, people=[person(3, first_workshops(conference))], language="en")
    participant = registration.participants.get()
    check_in(participant.pk)
    move_to_past(conference)

    response = client.get(download_url(registration, participant))
    assert response["Content-Disposition"].endswith('-certificate-of-attendance.pdf"')
    text = "\n".join(pdf_pages(response.content))
    assert "Certificate of attendance" in text
    assert "6.5 hours" in text
    assert "Bewijs van deelname" not in text


def test_an_erased_registrations_code_no_longer_verifies(client, conference, day):
    registration, participant = day["Aanwezig"]
    code = certificate_for(participant.pk).code
    assert client.get(verify_url(code)).status_code == 200

    erase_on_request(registration.pk)

    assert not Certificate.objects.filter(participant=participant).exists()
    assert verified(code) is None
    assert client.get(verify_url(code)).status_code == 404


def test_corrected_to_absent_the_certificate_stops_verifying(client, conference, day):
    _registration, participant = day["Aanwezig"]
    code = certificate_for(participant.pk).code

    record_attendance(participant.pk, Attendance.Status.ABSENT)

    assert client.get(verify_url(code)).status_code == 404


def test_sending_records_one_mail_per_present_participant_once_and_each_goes_out_with_its_pdf(conference, day):
    _registration, second = sign_in_late(conference)  # a second present person

    first_run = send_certificates(conference.pk)
    second_run = send_certificates(conference.pk)

    assert sorted(mail.participant_id for mail in first_run) == sorted([day["Aanwezig"][1].pk, second.pk])
    assert second_run == []
    mails = Mail.objects.filter(kind="certificate")
    assert mails.count() == 2

    django_mail.outbox.clear()
    assert deliver_many(list(mails.values_list("pk", flat=True))) == []
    assert sorted(message.to[0] for message in django_mail.outbox) == sorted([day["Aanwezig"][1].email, second.email])
    for message in django_mail.outbox:
        assert message.subject == f"Uw bewijs van deelname: {conference.title}"
        [(name, content, mimetype)] = [a for a in message.attachments if a[2] == "application/pdf"]
        assert name.endswith("-bewijs-van-deelname.pdf")
        assert "Bewijs van deelname" in "\n".join(pdf_pages(content))
    assert set(mails.values_list("status", flat=True)) == {Mail.Status.SENT}
    # Delivered once: a second delivery of the same ids sends nothing more.
    deliver_many(list(mails.values_list("pk", flat=True)))
    assert len(django_mail.outbox) == 2


def sign_in_late(event):
    """Someone registered and checked in before the day was moved into the past."""
    registration = register(
        event.pk, people=[person(9, first_workshops(event))], now=event.starts_at - timedelta(days=3)
    )
    participant = registration.participants.get()
    check_in(participant.pk)
    return registration, participant


def test_a_mail_for_someone_corrected_to_absent_meanwhile_is_skipped(conference, day):
    [mail] = send_certificates(conference.pk)
    record_attendance(day["Aanwezig"][1].pk, Attendance.Status.ABSENT)

    deliver_many([mail.pk])

    mail.refresh_from_db()
    assert mail.status == Mail.Status.SKIPPED
    assert django_mail.outbox == []


def test_the_admin_action_sends_for_the_organisers_own_events_only(client, organisation, other_organisation, day):
    conference = Event.objects.get(slug="testdag")
    action = {"action": "send_certificates_to_present", "_selected_action": [conference.pk]}
    changelist = reverse("admin:events_event_changelist")

    client.force_login(make_organiser("vreemde", other_organisation))
    client.post(changelist, action)
    assert not Mail.objects.filter(kind="certificate").exists()

    client.force_login(make_organiser("eigen", organisation))
    response = client.post(changelist, action, follow=True)
    assert response.status_code == 200
    assert Mail.objects.filter(kind="certificate").count() == 1
    assert "1 nieuwe bewijzen van deelname" in response.content.decode()

    client.post(changelist, action)
    assert Mail.objects.filter(kind="certificate").count() == 1


def test_another_organisations_event_sends_nothing_even_next_to_its_own(client, organisation, other_organisation, day):
    foreign = make_conference(other_organisation, slug="vreemde-dag")
    _registration, participant = sign_in(foreign, 5)
    check_in(participant.pk)
    move_to_past(foreign)
    conference = Event.objects.get(slug="testdag")

    client.force_login(make_organiser("eigen", organisation))
    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "send_certificates_to_present", "_selected_action": [conference.pk, foreign.pk]},
    )

    assert list(Mail.objects.filter(kind="certificate").values_list("participant_id", flat=True)) == [
        day["Aanwezig"][1].pk
    ]


def test_a_certificates_code_is_kept_out_of_the_logs(conference, day):
    code = certificate_for(day["Aanwezig"][1].pk).code

    assert redact(f"Not Found: /bewijs/{code}/") == "Not Found: /bewijs/[verborgen]/"


def test_the_demo_has_past_editions_whose_present_participants_can_have_certificates(client, demo):
    from registrations.demo import PAST_CONFERENCE, PAST_SESSION, load_demo_registrations

    load_demo_registrations()
    load_demo_registrations()  # a second run changes nothing
    for slug in (PAST_CONFERENCE, PAST_SESSION):
        event = Event.objects.get(slug=slug)
        assert event.ends_at < timezone.now()
        present = Attendance.objects.filter(participant__registration__event=event, status="present").count()
        absent = Attendance.objects.filter(participant__registration__event=event, status="absent").count()
        assert present > 0
        assert len(send_certificates(event.pk)) == present
        if slug == PAST_CONFERENCE:
            assert event.registrations.count() - present > 0  # someone did not come
        else:
            assert absent > 0
    holder = Attendance.objects.filter(participant__registration__event__slug=PAST_SESSION, status="present").first()
    registration = holder.participant.registration
    page = client.get(reverse("registrations:manage", args=[registration.token]))
    assert download_url(registration, holder.participant).encode() in page.content


def test_the_no_show_page_has_a_button_that_sends_them_for_its_own_organisation_only(
    client, organisation, other_organisation, day
):
    conference = Event.objects.get(slug="testdag")
    url = reverse("admin:events_event_certificates", args=[conference.pk])

    client.force_login(make_organiser("vreemde", other_organisation))
    assert client.post(url).status_code == 404
    assert not Mail.objects.filter(kind="certificate").exists()

    client.force_login(make_organiser("eigen", organisation))
    page = client.get(reverse("admin:events_event_no_shows", args=[conference.pk])).content.decode()
    assert f'action="{url}"' in page
    assert client.get(url).status_code == 200 and not Mail.objects.filter(kind="certificate").exists()
    response = client.post(url)
    assert response.status_code == 302
    assert Mail.objects.filter(kind="certificate").count() == 1


def test_the_privacy_statement_and_the_data_download_tell_of_the_certificate(client, conference, day):
    registration, participant = day["Aanwezig"]
    code = certificate_for(participant.pk).code

    statement = client.get(reverse("events:privacy")).content.decode()
    assert "bewijs van deelname" in statement
    assert "uw naam, het evenement en de datum, en verder niets" in statement
    assert "bevestigt de pagina het" in statement  # and that erasure ends it

    data = client.get(reverse("registrations:my_data", args=[registration.token])).json()
    assert code in str(data)
