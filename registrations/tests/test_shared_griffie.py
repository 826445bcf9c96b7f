"""A shared griffie registers the driehoek of each municipality it serves with one contact
address; each municipality still has one team per session and series."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from conftest import person, team
from registrations.driehoek.admission import MunicipalityHoldsPlace, register_team
from registrations.errors import DuplicateRegistration
from registrations.models import Registration
from registrations.services.registering import register as register_person
from registrations.tests.conference_helpers import workshop_ids
from registrations.tests.team_helpers import form_data

pytestmark = pytest.mark.django_db

GRIFFIE = "griffie@berg-en-dal-heumen.nl"


def register(event, municipality, n, contact_email=GRIFFIE):
    return register_team(
        event.pk,
        municipality=municipality,
        people=team(municipality, n),
        contact_name="Gedeelde griffie",
        contact_email=contact_email,
    )


def test_one_contact_address_registers_two_municipalities_for_one_session(team_session):
    first = register(team_session, "Berg en Dal", 1)
    second = register(team_session, "Heumen", 2)
    assert {first.municipality, second.municipality} == {"Berg en Dal", "Heumen"}
    assert first.email == second.email == GRIFFIE
    assert first.token != second.token

    # Each municipality still has one team: the same address or another.
    with pytest.raises(MunicipalityHoldsPlace):
        register(team_session, "Heumen", 3)
    with pytest.raises(MunicipalityHoldsPlace):
        register(team_session, "Heumen", 4, contact_email="ander@heumen.nl")
    assert Registration.objects.filter(event=team_session).count() == 2


def test_the_database_holds_one_active_registration_per_address_and_municipality(team_session):
    register(team_session, "Berg en Dal", 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=team_session,
            email=GRIFFIE,
            municipality="Berg en Dal",
            contact_name="x",
            status="waitlisted",
            waitlisted_at=team_session.starts_at,
        )
    Registration.objects.create(event=team_session, email=GRIFFIE, municipality="Heumen", contact_name="x")


def test_the_team_form_takes_the_second_municipality_from_the_same_address(client, team_session):
    url = reverse("registrations:register_team", args=[team_session.slug])
    for municipality in ("Berg en Dal", "Heumen"):
        data = form_data(municipality, contact_email=GRIFFIE)
        for number in (1, 2, 3):
            data[f"lid{number}-email"] = f"lid{number}@{municipality.replace(' ', '').lower()}.nl"
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert set(Registration.objects.values_list("municipality", flat=True)) == {"Berg en Dal", "Heumen"}


def test_a_person_registers_once_per_address_as_before(conference):
    register_person(conference.pk, people=[person(1, workshop_ids(conference))])
    with pytest.raises(DuplicateRegistration):
        register_person(conference.pk, people=[person(1, workshop_ids(conference))])
