"""The organisers' side of the driehoeken: admission, session files, attendance, no-shows, offers."""

import csv
import io
from dataclasses import replace
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import person, team
from events.models import HostOffer, SessionDocument
from registrations.driehoek.admission import admit, register_team
from registrations.models import Attendance, Mail, Registration
from registrations.services.registering import register
from registrations.tests.team_helpers import form_data, sign_up

CHANGELIST = "admin:registrations_teamregistration_changelist"


@pytest.fixture
def staff(client, organiser):
    client.force_login(organiser)
    return client


@pytest.mark.django_db
def test_bulk_admit_from_the_admin_mails_every_member(staff, team_session):
    teams = [sign_up(team_session, name, n) for n, name in enumerate(["Arnhem", "Ede", "Tiel"], start=1)]
    response = staff.post(
        reverse(CHANGELIST),
        {"action": "admit_teams", "_selected_action": [t.pk for t in teams[:2]]},
        follow=True,
    )
    assert "2 driehoeken toegelaten" in response.content.decode()
    statuses = dict(Registration.objects.values_list("municipality", "status"))
    assert statuses == {"Arnhem": "confirmed", "Ede": "confirmed", "Tiel": "applied"}
    assert Mail.objects.filter(kind="admitted").count() == 6


@pytest.mark.django_db
def test_bulk_decline_frees_places_and_reports_skipped_teams(staff, team_session):
    team_session.capacity = 1
    team_session.save()
    first = sign_up(team_session, "Arnhem", 1)
    waiting = sign_up(team_session, "Ede", 2, waitlist=True)
    response = staff.post(reverse(CHANGELIST), {"action": "decline_teams", "_selected_action": [first.pk]}, follow=True)
    assert "1 driehoek niet toegelaten" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.APPLIED
    assert Mail.objects.filter(registration=first, kind="declined").count() == 3
    response = staff.post(
        reverse(CHANGELIST), {"action": "admit_teams", "_selected_action": [first.pk, waiting.pk]}, follow=True
    )
    assert "1 driehoek overgeslagen" in response.content.decode()


@pytest.mark.django_db
def test_organisers_see_only_their_own_organisations_teams(client, other_organiser, team_session):
    registration = sign_up(team_session, "Arnhem")
    client.force_login(other_organiser)
    page = client.get(reverse(CHANGELIST)).content.decode()
    assert "Arnhem" not in page
    change = reverse("admin:registrations_teamregistration_change", args=[registration.pk])
    assert client.get(change).status_code in (302, 404)
    client.post(reverse(CHANGELIST), {"action": "admit_teams", "_selected_action": [registration.pk]})
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPLIED


def inline_data(registration, statuses):
    data = {
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "3",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "3",
        "contact_name": registration.contact_name,
        "email": registration.email,
        "_save": "Opslaan",
    }
    for index, participant in enumerate(registration.participants.order_by("pk")):
        data |= {
            f"participants-{index}-id": participant.pk,
            f"participants-{index}-registration": registration.pk,
            f"participants-{index}-given_name": participant.given_name,
            f"participants-{index}-name_prefix": participant.name_prefix,
            f"participants-{index}-family_name": participant.family_name,
            f"participants-{index}-email": participant.email,
            f"participants-{index}-attendance": statuses[index],
        }
    return data


@pytest.mark.django_db
def test_attendance_is_recorded_per_member_in_the_admin(staff, organiser, team_session):
    registration = sign_up(team_session, "Arnhem")
    admit([registration.pk])
    change = reverse("admin:registrations_teamregistration_change", args=[registration.pk])
    assert "aanwezigheid" in staff.get(change).content.decode()
    response = staff.post(change, inline_data(registration, ["present", "absent", ""]))
    assert response.status_code == 302, response.content.decode()[:3000]
    members = list(registration.participants.order_by("pk"))
    assert Attendance.objects.get(participant=members[0]).status == "present"
    assert Attendance.objects.get(participant=members[1]).status == "absent"
    assert Attendance.objects.get(participant=members[1]).recorded_by == organiser
    assert not Attendance.objects.filter(participant=members[2]).exists()


@pytest.fixture
def past_session(organisation, team_session):
    """A session that took place yesterday, with two admitted teams."""
    arnhem = sign_up(team_session, "Arnhem", 1)
    ede = sign_up(team_session, "Ede", 2)
    admit([arnhem.pk, ede.pk])
    team_session.starts_at = team_session.starts_at.replace(year=team_session.starts_at.year - 1)
    team_session.ends_at = team_session.starts_at + timedelta(hours=4)
    team_session.registration_closes_at = None
    team_session.save()
    members = {p.email: p for p in Registration.objects.get(pk=arnhem.pk).participants.all()}
    members |= {p.email: p for p in Registration.objects.get(pk=ede.pk).participants.all()}
    for participant in members.values():
        status = "absent" if participant.email == "burgemeester2@ede.nl" else "present"
        if participant.email != "secretaris1@arnhem.nl":  # never recorded: also a no-show
            Attendance.objects.create(participant=participant, status=status)
    return team_session


@pytest.mark.django_db
def test_no_show_report_per_session_and_per_municipality(staff, past_session):
    page = staff.get(reverse("admin:registrations_teamregistration_no_shows")).content.decode()
    assert "2 verwachte deelnemers niet als aanwezig vastgelegd" in page
    assert "Per bijeenkomst" in page and "Per gemeente" in page
    assert "Arnhem" in page and "Ede" in page
    assert "Bram van der Burgemeester" in page and "Sanne van der Secretaris" in page
    assert "Griet van der Griffier" not in page


@pytest.mark.django_db
def test_no_show_csv_export(staff, past_session):
    response = staff.get(
        reverse("admin:registrations_teamregistration_no_shows"), {"event": past_session.pk, "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["bijeenkomst", "datum", "gemeente", "rol", "naam", "e-mailadres", "aanwezigheid"]
    body = sorted((row[2], row[3], row[6]) for row in rows[1:])
    assert body == [("Arnhem", "gemeentesecretaris", "niet vastgelegd"), ("Ede", "burgemeester", "afwezig")]


@pytest.mark.django_db
def test_no_show_report_is_scoped_to_the_organisers_sessions(client, other_organiser, past_session):
    client.force_login(other_organiser)
    response = client.get(reverse("admin:registrations_teamregistration_no_shows"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == []


@pytest.mark.django_db
def test_organiser_attaches_programme_and_homework_to_a_session(staff, settings, tmp_path, team_session):
    settings.MEDIA_ROOT = tmp_path
    change = reverse("admin:events_event_change", args=[team_session.pk])
    page = staff.get(change)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)}
    data |= {
        "organisations": [o.pk for o in team_session.organisations.all()],
        "starts_at_0": team_session.starts_at.astimezone().strftime("%d-%m-%Y"),
        "starts_at_1": team_session.starts_at.astimezone().strftime("%H:%M:%S"),
        "ends_at_0": team_session.ends_at.astimezone().strftime("%d-%m-%Y"),
        "ends_at_1": team_session.ends_at.astimezone().strftime("%H:%M:%S"),
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "series": team_session.series_id,
        "programme-TOTAL_FORMS": "0",
        "programme-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "2",
        "documents-INITIAL_FORMS": "0",
        "documents-0-kind": "programme",
        "documents-0-title": "Programma",
        "documents-0-file": SimpleUploadedFile("programma.pdf", b"%PDF-1.4", content_type="application/pdf"),
        "documents-1-kind": "homework",
        "documents-1-title": "Huiswerk",
        "documents-1-file": SimpleUploadedFile("huiswerk.exe", b"MZ", content_type="application/octet-stream"),
    }
    data = {
        k: v
        for k, v in data.items()
        if k not in ("starts_at", "ends_at", "registration_closes_at", "registration_opens_at")
    }
    response = staff.post(change, data)
    assert response.status_code == 200  # the .exe is refused, so nothing is saved
    assert not SessionDocument.objects.exists()
    data["documents-1-file"] = SimpleUploadedFile("huiswerk.pdf", b"%PDF-1.4", content_type="application/pdf")
    data["documents-0-file"] = SimpleUploadedFile("programma.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = staff.post(change, data)
    assert response.status_code == 302, [f.errors for f in response.context["inline_admin_formsets"][1].formset.forms]
    assert sorted(SessionDocument.objects.values_list("kind", flat=True)) == ["homework", "programme"]


@pytest.mark.django_db
def test_organisers_see_and_handle_host_offers_of_their_series(client, organiser, other_organiser, team_session):
    offer = HostOffer.objects.create(
        series=team_session.series,
        municipality="Epe",
        address="Hoofdstraat 28",
        postcode="8162 AK",
        city="Epe",
        contact_name="Piet",
        contact_email="piet@epe.nl",
        room_capacity=30,
    )
    client.force_login(other_organiser)
    assert "Epe" not in client.get(reverse("admin:events_hostoffer_changelist")).content.decode()
    client.force_login(organiser)
    assert "Epe" in client.get(reverse("admin:events_hostoffer_changelist")).content.decode()
    change = reverse("admin:events_hostoffer_change", args=[offer.pk])
    response = client.post(
        change,
        {
            "status": "accepted",
            "organiser_notes": "Voor de bijeenkomst in het noorden",
            "municipality": "Epe",
            "location_name": "Gemeentehuis",
            "address": "Hoofdstraat 28",
            "postcode": "8162 AK",
            "city": "Epe",
            "room_capacity": 30,
            "dates_note": "",
            "contact_name": "Piet",
            "contact_email": "piet@epe.nl",
            "contact_phone": "",
        },
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.status == HostOffer.Status.ACCEPTED
    # When the retention job wiped the contact details shows, but is not the organiser's to set.
    page = client.get(change).content.decode()
    assert "Geanonimiseerd op" in page and 'name="anonymised_at"' not in page


@pytest.mark.django_db
def test_team_admin_lists_only_team_registrations(staff, organisation, conference, team_session):
    workshops = [r.workshops.order_by("pk").first().pk for r in conference.rounds.all()]
    register(conference.pk, people=[person(1, workshops)])
    sign_up(team_session, "Arnhem")
    page = staff.get(reverse(CHANGELIST)).content.decode()
    assert "Arnhem" in page and "deelnemer1@example.org" not in page


@pytest.mark.django_db
def test_register_admit_mail_programme_and_record_presence(client, staff, settings, tmp_path, team_session):
    """The issue's definition of done, through the same doors people use."""
    from django.core import mail as sent
    from django.core.files.base import ContentFile

    from registrations.mails.delivery import deliver
    from registrations.mails.schedule import queue_due_mails

    settings.MEDIA_ROOT = tmp_path
    client.post(reverse("registrations:register_team", args=[team_session.slug]), form_data())
    registration = Registration.objects.get()
    staff.post(reverse(CHANGELIST), {"action": "admit_teams", "_selected_action": [registration.pk]})
    SessionDocument.objects.create(
        event=team_session, kind="programme", title="Programma", file=ContentFile(b"%PDF", name="programma.pdf")
    )
    SessionDocument.objects.create(
        event=team_session, kind="homework", title="Huiswerk", file=ContentFile(b"%PDF", name="huiswerk.pdf")
    )
    assert (
        len([m for m in queue_due_mails(team_session.starts_at - timedelta(days=7)) if m.kind == "programme_homework"])
        == 3
    )
    sent.outbox.clear()
    for mail in Mail.objects.filter(kind="programme_homework"):
        deliver(mail.pk)
    assert sorted(m.to[0] for m in sent.outbox) == sorted(registration.participants.values_list("email", flat=True))
    assert all(len(m.attachments) == 2 for m in sent.outbox)
    change = reverse("admin:registrations_teamregistration_change", args=[registration.pk])
    registration.refresh_from_db()
    assert staff.post(change, inline_data(registration, ["present"] * 3)).status_code == 302
    assert Attendance.objects.filter(participant__registration=registration, status="present").count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", ["Súdwest-Fryslân"]),
        ("OZTURK", ["Súdwest-Fryslân"]),
        ("zoë öztürk", ["Súdwest-Fryslân"]),
        ("fryslan", ["Súdwest-Fryslân"]),  # all three members match: still one row
        ("griet", ["Arnhem", "Súdwest-Fryslân"]),
        ("arnhem", ["Arnhem"]),
        ("contact1@arnhem", ["Arnhem"]),
        ("zoe arnhem", []),
    ],
)
def test_team_search_ignores_accents_and_case_and_lists_each_team_once(staff, team_session, query, expected):
    members = team("Súdwest-Fryslân", 2)
    members[1] = replace(members[1], given_name="Zoë", family_name="Öztürk")
    register_team(
        team_session.pk,
        municipality="Súdwest-Fryslân",
        people=members,
        contact_name="Carla Contact",
        contact_email="griffie@swf.example.org",
    )
    sign_up(team_session, "Arnhem")
    changelist = staff.get(reverse(CHANGELIST), {"q": query}).context["cl"]
    assert sorted(r.municipality for r in changelist.result_list) == expected
    assert changelist.result_count == len(expected)
