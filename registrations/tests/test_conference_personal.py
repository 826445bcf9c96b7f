"""The personal page behind the secret link: view, change details and workshops, cancel."""

import pytest
from django.urls import reverse

from conftest import make_conference, person
from registrations.models import Mail, Registration
from registrations.services.registering import register
from registrations.tests.conference_helpers import workshop_ids


def manage_url(registration, name="manage"):
    return reverse(f"registrations:{name}", args=[registration.token])


@pytest.fixture
def registration(conference):
    return register(conference.pk, people=[person(1, workshop_ids(conference))])


@pytest.mark.django_db
def test_personal_page_shows_the_registration(client, registration):
    html = client.get(manage_url(registration)).content.decode()
    assert "Esther van der Mark1" in html
    assert "Workshop 1.1" in html and "Workshop 2.1" in html
    assert reverse("events:ics", args=[registration.event.slug]) in html
    assert 'name="round_1"' in html and 'name="given_name"' in html


@pytest.mark.django_db
def test_personal_page_says_whom_to_contact(client, registration):
    registration.event.organisations.update(contact_email="vragen@bmc.example.org", website="https://www.bmc.nl")
    html = client.get(manage_url(registration)).content.decode()
    assert "Neem contact op met de organisatie van dit evenement" in html
    assert '<a href="mailto:vragen@bmc.example.org">vragen@bmc.example.org</a>' in html
    assert '<a href="https://www.bmc.nl">www.bmc.nl</a>' in html


@pytest.mark.django_db
def test_unknown_token_is_not_found(client, registration):
    assert client.get("/aanmelding/" + "x" * 43 + "/").status_code == 404


@pytest.mark.django_db
def test_change_details(client, registration):
    data = {
        "given_name": "Esther",
        "name_prefix": "",
        "family_name": "Jansen",
        "organisation": "Provincie Gelderland",
        "function": "strateeg",
        "dietary_wishes": "veganistisch",
        "accessibility_needs": "rolstoel",
    }
    response = client.post(manage_url(registration, "change_details"), data)
    assert response.status_code == 302
    participant = registration.participants.get()
    assert (participant.family_name, participant.organisation, participant.accessibility_needs) == (
        "Jansen",
        "Provincie Gelderland",
        "rolstoel",
    )
    assert participant.email == "deelnemer1@example.org"


@pytest.mark.django_db
def test_change_details_with_errors_changes_nothing(client, registration):
    response = client.post(manage_url(registration, "change_details"), {"given_name": "", "family_name": "X"})
    assert response.status_code == 400
    assert "Vul uw voornaam in." in response.content.decode()
    assert registration.participants.get().family_name == "Mark1"


@pytest.mark.django_db
def test_change_workshops(client, conference, registration):
    second = workshop_ids(conference, 1)
    response = client.post(manage_url(registration, "change_workshops"), {"round_1": second[0], "round_2": second[1]})
    assert response.status_code == 302
    chosen = sorted(registration.participants.get().choices.values_list("workshop_id", flat=True))
    assert chosen == sorted(second)


@pytest.mark.django_db
def test_change_to_a_full_workshop_is_refused_beside_its_round(client, organisation):
    event = make_conference(organisation, workshop_capacity=1, slug="klein")
    mine = register(event.pk, people=[person(1, workshop_ids(event, 0))])
    register(event.pk, people=[person(2, workshop_ids(event, 1))])
    target = workshop_ids(event, 1)
    response = client.post(manage_url(mine, "change_workshops"), {"round_1": target[0], "round_2": target[1]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is vol" in html and 'id="id_round_1_error"' in html
    chosen = sorted(mine.participants.get().choices.values_list("workshop_id", flat=True))
    assert chosen == sorted(workshop_ids(event, 0))


@pytest.mark.django_db
def test_cancel_frees_the_place_and_promotes_the_first_waiting(client, organisation):
    event = make_conference(organisation, capacity=1, slug="eenplaats")
    mine = register(event.pk, people=[person(1, workshop_ids(event))])
    waiting = register(event.pk, people=[person(2, workshop_ids(event, 1))], waitlist=True)
    assert waiting.status == Registration.Status.WAITLISTED

    assert client.get(manage_url(mine, "cancel")).status_code == 200
    response = client.post(manage_url(mine, "cancel"))
    assert response.status_code == 302
    mine.refresh_from_db()
    waiting.refresh_from_db()
    assert mine.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED
    assert Mail.objects.filter(registration=waiting, kind="promoted").exists()
    assert Mail.objects.filter(registration=mine, kind="cancelled").exists()
    html = client.get(manage_url(mine)).content.decode()
    assert "niet meer actief" in html and 'name="round_1"' not in html


@pytest.mark.django_db
def test_team_registration_page_offers_no_personal_forms(client, team_session):
    from conftest import team

    registration = register(team_session.pk, people=team("Nijmegen"), municipality="Nijmegen")
    html = client.get(manage_url(registration)).content.decode()
    assert "Griffier" in html and "Burgemeester" in html and 'name="given_name"' not in html
    assert client.post(manage_url(registration, "change_details"), {"given_name": "X"}).status_code == 404
