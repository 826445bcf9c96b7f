"""Name search at the door: accents and case do not matter, and the search text stays current."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse

from conftest import make_conference, person
from registrations.models import Participant, Registration
from registrations.search import normalise
from registrations.services.details import update_details
from registrations.services.registering import register
from registrations.services.retention import anonymise_expired
from registrations.tests.event_day import organiser_client_fixture, workshops_of  # noqa: F401
from registrations.tests.team_helpers import sign_up
from registrations.tests.test_conference_admin import submit_change_form

PEOPLE = [
    ("Zoë", "", "Jansen"),
    ("Jan", "", "Müller"),
    ("Céline", "", "Dubois"),
    ("Ayşe", "", "Öztürk"),
    ("Esther", "van der", "Mark"),
    ("Esther", "", "Bakker"),
]


@pytest.fixture
def people(conference):
    """{full name: participant} for the conference, one registration each."""
    registered = [
        register(
            conference.pk,
            people=[person(n, workshops_of(conference), given_name=g, name_prefix=p, family_name=f)],
        ).participants.get()
        for n, (g, p, f) in enumerate(PEOPLE)
    ]
    return {participant.full_name: participant for participant in registered}


def found(client, event, query):
    response = client.get(reverse("checkin:event", args=[event.pk]), {"q": query})
    assert response.status_code == 200
    return {participant.full_name for participant in response.context["results"]}


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("Zoë", "zoe"),
        ("Müller", "muller"),
        ("Céline", "celine"),
        ("Öztürk", "ozturk"),
        ("  Esther \t van der\n Mark ", "esther van der mark"),
        ("Straße", "strasse"),
        ("Sørensen", "sorensen"),
        ("Yıldız", "yildiz"),
        ("Súdwest-Fryslân", "sudwest-fryslan"),
    ],
)
def test_normalise_drops_case_accents_and_extra_whitespace(text, normalised):
    assert normalise(text) == normalised


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("zoe", "Zoë Jansen"),
        ("ZOË", "Zoë Jansen"),
        ("muller", "Jan Müller"),
        ("MÜLLER", "Jan Müller"),
        ("Celine", "Céline Dubois"),
        ("ozturk", "Ayşe Öztürk"),
        ("ayse ozturk", "Ayşe Öztürk"),
        ("van der mark", "Esther van der Mark"),
        ("  Van   der  MARK ", "Esther van der Mark"),
    ],
)
def test_search_ignores_accents_and_case(organiser_client, conference, people, query, name):
    assert found(organiser_client, conference, query) == {name}


@pytest.mark.django_db
def test_every_word_must_match_so_more_words_narrow_the_results(organiser_client, conference, people):
    assert found(organiser_client, conference, "esther") == {"Esther van der Mark", "Esther Bakker"}
    assert found(organiser_client, conference, "esther mark") == {"Esther van der Mark"}
    assert found(organiser_client, conference, "bakker esther") == {"Esther Bakker"}
    assert found(organiser_client, conference, "esther müller") == set()


@pytest.mark.django_db
def test_search_matches_the_organisation_and_the_teams_municipality(organiser_client, conference, team_session):
    register(conference.pk, people=[person(1, workshops_of(conference), organisation="Provincie Fryslân")])
    sign_up(team_session, municipality="Súdwest-Fryslân")

    assert found(organiser_client, conference, "fryslan") == {"Esther van der Mark1"}
    # The members' organisation is Nijmegen (see conftest.team): only the municipality matches.
    assert found(organiser_client, team_session, "sudwest fryslan") == {
        "Griet van der Griffier",
        "Bram van der Burgemeester",
        "Sanne van der Secretaris",
    }
    assert found(organiser_client, team_session, "fryslân griet") == {"Griet van der Griffier"}


@pytest.mark.django_db
def test_a_query_without_words_finds_nothing(organiser_client, conference, people):
    response = organiser_client.get(reverse("checkin:event", args=[conference.pk]), {"q": "\u0308 "})

    assert list(response.context["results"]) == []


@pytest.mark.django_db
def test_registering_a_person_or_a_team_fills_the_search_text(conference, team_session):
    single = register(
        conference.pk,
        people=[person(1, workshops_of(conference), given_name="Zoë", name_prefix="", family_name="Öztürk")],
    )
    team = sign_up(team_session, municipality="Súdwest-Fryslân")

    assert single.participants.get().search_name == "zoe ozturk gemeente nijmegen"
    assert {p.search_name for p in Participant.objects.filter(registration=team)} == {
        "griet van der griffier gemeente nijmegen sudwest-fryslan",
        "bram van der burgemeester gemeente nijmegen sudwest-fryslan",
        "sanne van der secretaris gemeente nijmegen sudwest-fryslan",
    }


@pytest.mark.django_db
def test_changing_details_updates_the_search_text(organiser_client, conference, people):
    esther = people["Esther Bakker"]

    update_details(esther.registration_id, esther.pk, family_name="Çelik", organisation="Provincie Gelderland")

    esther.refresh_from_db()
    assert esther.search_name == "esther celik provincie gelderland"
    assert found(organiser_client, conference, "celik") == {"Esther Çelik"}
    assert found(organiser_client, conference, "bakker") == set()


@pytest.mark.django_db
def test_changing_a_name_or_the_municipality_in_the_admin_updates_the_search_text(organiser_client, team_session):
    team = sign_up(team_session, municipality="Nijmegen")
    griet = team.participants.get(role="griffier")
    url = reverse("admin:registrations_registration_change", args=[team.pk])
    index = list(team.participants.order_by("pk")).index(griet)

    response = submit_change_form(
        organiser_client, url, municipality="Súdwest-Fryslân", **{f"participants-{index}-given_name": "Grietje"}
    )

    assert response.status_code == 302
    names = dict(team.participants.values_list("given_name", "search_name"))
    assert names == {
        "Grietje": "grietje van der griffier gemeente nijmegen sudwest-fryslan",
        "Bram": "bram van der burgemeester gemeente nijmegen sudwest-fryslan",
        "Sanne": "sanne van der secretaris gemeente nijmegen sudwest-fryslan",
    }


@pytest.mark.django_db
def test_anonymising_clears_the_search_text(organisation):
    old = make_conference(organisation, slug="oud", rounds=0)
    register(old.pk, people=[person(1, given_name="Zoë")])

    anonymise_expired(now=old.ends_at + timedelta(days=400), retention_days=365)

    assert Participant.objects.get(registration__event=old).search_name == ""


@pytest.mark.django_db
def test_the_migration_fills_the_search_text_of_existing_participants(organisation, conference, people):
    old = make_conference(organisation, slug="oud", rounds=0)
    anonymised = register(old.pk, people=[person(9, given_name="Zoë")])
    Registration.objects.filter(pk=anonymised.pk).update(anonymised_at=old.ends_at)
    Participant.objects.update(search_name="")
    migration = importlib.import_module("registrations.migrations.0004_participant_search_name")

    migration.fill_search_names(apps, None)

    assert Participant.objects.get(pk=people["Zoë Jansen"].pk).search_name == "zoe jansen gemeente nijmegen"
    assert Participant.objects.get(registration__event=old).search_name == ""
    assert not Participant.objects.filter(registration__event=conference, search_name="").exists()
