"""Privacy that keeps its word: after retention or on request nothing identifies a person,
the organiser's counts stay right, and a person can download what we hold about them."""

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count
from django.urls import reverse

from conftest import make_conference, make_team_session, person
from events.models import HostOffer
from registrations.checkin.attendance import check_in, record_attendance
from registrations.driehoek.admission import admit, register_team
from registrations.models import Attendance, Mail, Participant, Registration, TeamRegistration, WorkshopChoice
from registrations.services.registering import cancel, register
from registrations.services.retention import anonymise_expired, anonymise_expired_host_offers, erase_on_request
from workshops.models import Workshop

TEXT_FIELDS = (models.CharField, models.TextField)


MEMBERS = [
    ("griffier", "Jozefien", "Dekkers"),
    ("burgemeester", "Marinus", "Terpstra"),
    ("gemeentesecretaris", "Roelie", "Hoekstra"),
]


def sign_up_team(event, municipality):
    """A driehoek whose names differ from its roles, so that a scan for the names finds only them."""
    people = [
        person(10 + n, given_name=given, family_name=family, role=role, email=f"{role}@{municipality.lower()}.example")
        for n, (role, given, family) in enumerate(MEMBERS)
    ]
    return register_team(
        event.pk,
        municipality=municipality,
        people=people,
        contact_name="Cornelis Contactpersoon",
        contact_email=f"cc@{municipality.lower()}.example",
    )


def personal_values(registrations):
    """Every identifying value these registrations hold, as typed in by or for the person."""
    values = set()
    for registration in registrations:
        values |= {registration.email, registration.contact_name, registration.municipality}
        for participant in registration.participants.all():
            values |= {
                participant.given_name,
                participant.family_name,
                participant.full_name,
                participant.email,
                participant.organisation,
                participant.function,
                participant.dietary_wishes,
                participant.accessibility_needs,
            }
    return {value for value in values if value}


def where_found(values):
    """(table, column, value) of every text column of every row in the database holding one of ``values``."""
    found = []
    for model in apps.get_models():
        columns = [f.attname for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        for row in model._base_manager.values_list(*columns) if columns else []:
            for column, text in zip(columns, row, strict=True):
                found += [(model._meta.db_table, column, v) for v in values if text and v.casefold() in text.casefold()]
    return found


def log(user, obj, flag, message, model=None):
    """What the admin writes on adding, changing or deleting (ModelAdmin.log_* call this)."""
    content_type = ContentType.objects.get_for_model(model or type(obj), for_concrete_model=False)
    return LogEntry.objects.create(
        user=user,
        content_type=content_type,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message,
    )


def counts(event):
    registrations = Registration.objects.filter(event=event)
    participants = Participant.objects.filter(registration__event=event)
    return {
        "by_status": dict(registrations.values_list("status").annotate(n=Count("pk")).order_by()),
        "participants": participants.count(),
        "by_role": dict(participants.values_list("role").annotate(n=Count("pk")).order_by()),
        "attended": Attendance.objects.filter(
            participant__registration__event=event, status=Attendance.Status.PRESENT
        ).count(),
        "per_workshop": dict(
            WorkshopChoice.objects.filter(participant__registration__event=event)
            .values_list("workshop__title")
            .annotate(n=Count("pk"))
            .order_by()
        ),
    }


@pytest.mark.django_db
def test_after_retention_nothing_identifies_a_person_and_the_counts_stay(organisation, organiser):
    conference = make_conference(organisation, slug="oud", rounds=1, per_round=2)
    workshops = list(Workshop.objects.filter(round__event=conference).order_by("pk"))
    came = register(
        conference.pk,
        people=[
            person(
                1,
                given_name="Wilhelmina",
                family_name="Zwanenburg",
                email="w.zwanenburg@apeldoorn.example",
                organisation="Stichting Zonnebloemhof",
                function="kwartiermaker sociaal domein",
                dietary_wishes="notenallergie",
                accessibility_needs="rolstoelplek",
                workshops=[workshops[0].pk],
            )
        ],
    )
    cancelled = register(
        conference.pk,
        people=[person(2, given_name="Hendrikje", family_name="Kloosterboer", workshops=[workshops[1].pk])],
    )
    cancel(cancelled.pk)
    check_in(came.participants.get().pk, by=organiser)
    session = make_team_session(organisation, slug="driehoek-oud")
    team = sign_up_team(session, "Zutphen")
    admit([team.pk])
    for member in team.participants.all():
        record_attendance(member.pk, Attendance.Status.PRESENT, by=organiser)
    Mail.objects.filter(registration=cancelled).update(
        status=Mail.Status.FAILED, last_error="550 5.1.1 <deelnemer2@example.org>: Recipient address rejected"
    )
    erased_in_admin = register(
        conference.pk, people=[person(3, given_name="Gerbrand", family_name="Ommeren", workshops=[workshops[1].pk])]
    )
    registrations = [came, cancelled, team, erased_in_admin]
    values = personal_values(registrations)
    participant = came.participants.get()
    log(organiser, came, CHANGE, json.dumps([{"changed": {"name": "deelnemer", "object": str(participant)}}]))
    log(organiser, participant, CHANGE, "Dieetwensen: notenallergie")
    log(organiser, Attendance.objects.get(participant=participant), ADDITION, "")
    log(organiser, team, CHANGE, "Driehoek Zutphen toegelaten", model=TeamRegistration)
    log(organiser, Mail.objects.filter(registration=cancelled).first(), CHANGE, "")
    log(organiser, erased_in_admin, DELETION, "")
    assert {value for _t, _c, value in where_found(values)} == values  # the scan sees them all
    erased_in_admin.delete()
    assert ("django_admin_log", "object_repr", "Ommeren") in where_found(values)
    before = [counts(conference), counts(session)]

    later = session.ends_at + timedelta(days=400)
    assert anonymise_expired(now=later, retention_days=365) == 3

    assert where_found(values) == []
    assert [counts(conference), counts(session)] == before
    assert before[0]["attended"] == 1 and before[1]["attended"] == 3 and before[0]["per_workshop"]
    assert before[1]["by_role"] == {"griffier": 1, "burgemeester": 1, "gemeentesecretaris": 1}


@pytest.mark.django_db
def test_retention_leaves_registrations_of_recent_events_and_their_log_alone(organisation, organiser):
    old = make_conference(organisation, slug="oud", rounds=0)
    recent = make_conference(organisation, slug="recent", rounds=0, starts_in=timedelta(days=500))
    gone = register(old.pk, people=[person(1)])
    kept = register(recent.pk, people=[person(2, given_name="Aaltje", family_name="Blijft")])
    entry = log(organiser, kept, CHANGE, "Aaltje Blijft gewijzigd")
    # Another kind of object with the same id as an erased registration: its log is not theirs.
    same_id = LogEntry.objects.create(
        user=organiser,
        content_type=ContentType.objects.get_for_model(Workshop),
        object_id=str(gone.pk),
        object_repr="Workshop met dezelfde id",
        action_flag=CHANGE,
        change_message="Titel gewijzigd",
    )

    assert anonymise_expired(now=old.ends_at + timedelta(days=400), retention_days=365) == 1

    assert where_found({"Aaltje", "Blijft", "deelnemer2@example.org"})
    for kept_entry, text in [
        (entry, ("Aaltje van der Blijft", "Aaltje Blijft gewijzigd")),
        (same_id, ("Workshop met dezelfde id", "Titel gewijzigd")),
    ]:
        kept_entry.refresh_from_db()
        assert (kept_entry.object_repr, kept_entry.change_message) == text


def erased(registration, values):
    """Whether ``values`` (taken before) are gone from the whole database."""
    registration.refresh_from_db()
    return registration.anonymised_at is not None and where_found(values) == []


@pytest.mark.django_db
def test_the_personal_page_offers_erasure_after_cancelling(client, organisation):
    conference = make_conference(organisation, rounds=0)
    registration = register(conference.pk, people=[person(1, dietary_wishes="halal")])
    values = personal_values([registration])
    manage = reverse("registrations:manage", args=[registration.token])
    erase_url = reverse("registrations:erase", args=[registration.token])
    assert erase_url not in client.get(manage).content.decode()
    # Still registered for an event to come: erasing would leave a place taken by nobody.
    response = client.post(erase_url)
    assert response.status_code == 302 and not erased(registration, values)

    client.post(reverse("registrations:cancel", args=[registration.token]))
    # Cancelling erases at once what was asked only for the day itself.
    assert registration.participants.get().dietary_wishes == ""
    assert erase_url in client.get(manage).content.decode()
    response = client.post(erase_url, follow=True)
    assert "Uw gegevens zijn gewist" in response.content.decode()
    assert erased(registration, values)
    assert client.get(manage).status_code == 404
    # The cancellation mail that was waiting has nobody to go to.
    assert not Mail.objects.filter(registration=registration, status=Mail.Status.QUEUED).exists()


@pytest.mark.django_db
def test_the_admin_action_erases_through_the_same_service(client, organiser, organisation):
    conference = make_conference(organisation, rounds=0)
    cancelled = register(conference.pk, people=[person(1)])
    cancel(cancelled.pk)
    active = register(conference.pk, people=[person(2, organisation="Provincie Gelderland", function="jurist")])
    values = personal_values([cancelled])
    kept = personal_values([active])
    client.force_login(organiser)
    response = client.post(
        reverse("admin:registrations_registration_changelist"),
        {"action": "erase_personal_data", "_selected_action": [cancelled.pk, active.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "Van 1 aanmelding zijn de persoonsgegevens gewist." in html
    assert "1 aanmelding is nog actief" in html
    assert erased(cancelled, values - kept)
    assert {value for _t, _c, value in where_found(kept)} == kept


@pytest.mark.django_db
def test_the_admin_action_erases_a_driehoek(client, organiser, team_session):
    team = sign_up_team(team_session, "Zutphen")
    values = personal_values([team])
    cancel(team.pk)
    client.force_login(organiser)
    client.post(
        reverse("admin:registrations_teamregistration_changelist"),
        {"action": "erase_personal_data", "_selected_action": [team.pk]},
    )
    assert erased(team, values)


@pytest.mark.django_db
def test_erasing_twice_changes_nothing(organisation):
    conference = make_conference(organisation, rounds=0)
    registration = register(conference.pk, people=[person(1)])
    cancel(registration.pk)
    assert erase_on_request(registration.pk) == 1
    first = Registration.objects.values().get(pk=registration.pk)
    assert erase_on_request(registration.pk) == 0
    assert Registration.objects.values().get(pk=registration.pk) == first


@pytest.mark.django_db
def test_the_data_download_holds_the_persons_data_and_no_one_elses(client, organisation):
    conference = make_conference(organisation, rounds=1)
    workshop = Workshop.objects.filter(round__event=conference).first()
    mine = register(
        conference.pk,
        people=[person(1, given_name="Ymkje", dietary_wishes="veganistisch", workshops=[workshop.pk])],
    )
    theirs = register(conference.pk, people=[person(2, given_name="Teunis", workshops=[workshop.pk])])
    url = reverse("registrations:my_data", args=[mine.token])
    assert url in client.get(reverse("registrations:manage", args=[mine.token])).content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    [participant] = data["deelnemers"]
    assert (participant["voornaam"], participant["e-mailadres"]) == ("Ymkje", "deelnemer1@example.org")
    assert participant["dieetwensen"] == "veganistisch"
    assert participant["workshops"] == [{"ronde": 1, "workshop": workshop.title}]
    assert data["e-mails"] and all(mail["aan"] == "deelnemer1@example.org" for mail in data["e-mails"])
    assert data["e-mails"][0]["onderwerp"].startswith("Aanmelding")
    text = response.content.decode()
    for other in personal_values([theirs]) - {"Gemeente Nijmegen", "beleidsadviseur", "van der"}:
        assert other not in text, other
    # Another registration's token gives that registration's data, never this one's.
    other_text = client.get(reverse("registrations:my_data", args=[theirs.token])).content.decode()
    assert "Teunis" in other_text and "Ymkje" not in other_text and "veganistisch" not in other_text


@pytest.mark.django_db
def test_the_data_download_needs_the_registrations_own_token(client, organisation):
    conference = make_conference(organisation, rounds=0)
    mine = register(conference.pk, people=[person(1)])
    assert client.get(reverse("registrations:my_data", args=[mine.token + "x"])).status_code == 404
    assert client.get(reverse("registrations:my_data", args=["a" * 43])).status_code == 404
    assert client.post(reverse("registrations:erase", args=["a" * 43])).status_code == 404


@pytest.mark.django_db
def test_host_offers_past_retention_lose_their_contact_in_the_admin_log_too(organiser, organisation):
    past = make_team_session(organisation, slug="lang-geleden", starts_in=-timedelta(days=400))
    offer = HostOffer.objects.create(
        series=past.series,
        municipality="Epe",
        address="Hoofdstraat 1",
        postcode="1234 AB",
        city="Epe",
        contact_name="Trijntje Tuinman",
        contact_email="t.tuinman@epe.example",
        contact_phone="06-99887766",
        room_capacity=30,
    )
    offer.sessions.set([past])
    log(organiser, offer, CHANGE, "Gebeld met Trijntje Tuinman, 06-99887766")
    values = {"Trijntje", "Tuinman", "t.tuinman@epe.example", "06-99887766"}
    assert where_found(values)

    assert anonymise_expired_host_offers(retention_days=365) == 1

    assert where_found(values) == []
    offer.refresh_from_db()
    assert (offer.municipality, offer.address, offer.room_capacity) == ("Epe", "Hoofdstraat 1", 30)
