"""Attendance lists to sign and participant lists for hosts, read back from the PDF."""

import pytest
from django.utils import timezone, translation

from conftest import make_conference, person, team
from registrations.models import Registration
from registrations.pdf.lists import (
    event_attendance_pdf,
    participant_list_pdf,
    participant_list_rows,
    when,
    workshop_attendance_pdf,
)
from registrations.services.registering import register
from registrations.tests.event_day import workshops_of
from registrations.tests.pdf_helpers import pdf_pages

# Registered in this (non-alphabetical) order; a naive sort on the whole name or on the
# prefix would put "van Beek", "van der Mark" and "de Vries" under V and D.
PEOPLE = [
    ("Esther", "van der", "Mark"),
    ("Jan", "de", "Vries"),
    ("Zoë", "", "Zwart"),
    ("Anna", "van", "Beek"),
    ("Piet", "", "Aalders"),
    ("Kees", "", "Mulder"),
]
DUTCH_ORDER = ["Aalders, Piet", "Beek, Anna van", "Mark, Esther van der", "Mulder, Kees", "Vries, Jan de", "Zwart, Zoë"]


def register_people(event, people=PEOPLE, workshop_index=0, first=0):
    for n, (given, prefix, family) in enumerate(people, start=first):
        register(
            event.pk,
            people=[
                person(
                    n,
                    workshops_of(event, workshop_index),
                    given_name=given,
                    name_prefix=prefix,
                    family_name=family,
                    organisation=f"Gemeente {family}stad",
                )
            ],
        )


def positions(text, names):
    return [text.index(name) for name in names]


@pytest.mark.django_db
def test_event_list_is_in_dutch_surname_order_with_a_signature_column(conference):
    register_people(conference)

    pages = pdf_pages(event_attendance_pdf([conference]))

    text = pages[0]
    assert "Testdag van de Regio's" in text
    assert "Handtekening" in text
    assert "6 deelnemers verwacht" in text
    assert "Gemeente Markstad" in text
    found = positions(text, DUTCH_ORDER)
    assert found == sorted(found)


@pytest.mark.django_db
def test_people_without_a_place_are_not_on_the_list(conference):
    register_people(conference)
    Registration.objects.filter(participants__family_name="Zwart").update(status=Registration.Status.CANCELLED)

    text = "".join(pdf_pages(event_attendance_pdf([conference])))

    assert "Zwart" not in text
    assert "5 deelnemers verwacht" in text


@pytest.mark.django_db
def test_workshop_list_holds_only_that_workshops_participants(conference):
    register_people(conference, PEOPLE[:3], workshop_index=0)
    register_people(conference, [("Bert", "", "Anders")], workshop_index=1, first=50)
    workshop = conference.rounds.get(number=1).workshops.order_by("pk")[0]

    text = pdf_pages(workshop_attendance_pdf(workshop))[0]

    assert "Workshop 1.1" in text
    assert "Workshopronde 1" in text
    assert "Anders" not in text
    found = positions(text, ["Mark, Esther van der", "Vries, Jan de", "Zwart, Zoë"])
    assert found == sorted(found)


@pytest.mark.django_db
def test_driehoek_session_list_shows_municipality_and_role(team_session):
    register(team_session.pk, people=team("Nijmegen", 1), municipality="Nijmegen")
    register(team_session.pk, people=team("Berg en Dal", 2), municipality="Berg en Dal")

    text = pdf_pages(event_attendance_pdf([team_session]))[0]

    assert "Gemeente · rol" in text
    assert text.count("burgemeester") == 2
    assert "Berg en Dal" in text
    assert "6 deelnemers verwacht" in text


@pytest.mark.django_db
def test_long_list_repeats_its_header_and_numbers_its_pages(organisation):
    event = make_conference(organisation, rounds=0, capacity=None)
    for n in range(70):
        register(event.pk, people=[person(n, family_name=f"Naam{n:02d}")])

    pages = pdf_pages(event_attendance_pdf([event]))

    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Handtekening" in page
        assert f"pagina {number} van {len(pages)}" in page
    everyone = "".join(pages)
    assert positions(everyone, [f"Naam{n:02d}" for n in range(70)]) == sorted(
        positions(everyone, [f"Naam{n:02d}" for n in range(70)])
    )


@pytest.mark.django_db
def test_one_pdf_for_several_events_starts_each_on_a_new_page(organisation, conference):
    other = make_conference(organisation, slug="tweede-dag", rounds=0)
    register_people(conference, PEOPLE[:1])
    register(other.pk, people=[person(9, family_name="Tweededag")])

    pages = pdf_pages(event_attendance_pdf([conference, other]))

    assert len(pages) == 2
    assert "Mark, Esther van der" in pages[0] and "Tweededag" not in pages[0]
    assert "Tweededag" in pages[1]


@pytest.mark.django_db
def test_participant_list_for_hosts_as_pdf_and_rows(conference):
    register_people(conference, PEOPLE[:2])
    workshop = conference.rounds.get(number=1).workshops.order_by("pk")[0]
    workshop.hosts.create(name="Hanneke Host", function="adviseur")

    text = pdf_pages(participant_list_pdf(workshop))[0]
    rows = participant_list_rows(workshop)

    assert "Workshopleiders: Hanneke Host" in text
    assert "Handtekening" not in text
    assert text.index("Mark, Esther van der") < text.index("Vries, Jan de")
    assert rows == [
        ["Mark", "van der", "Esther", "Gemeente Markstad", "beleidsadviseur"],
        ["Vries", "de", "Jan", "Gemeente Vriesstad", "beleidsadviseur"],
    ]


@pytest.mark.django_db
def test_list_headings_write_times_as_the_language_does(conference):
    start, end = timezone.localtime(conference.starts_at), timezone.localtime(conference.ends_at)
    with translation.override("nl"):
        assert when(conference).endswith(f", {start:%H.%M}–{end:%H.%M}")
    with translation.override("en"):
        assert when(conference) == f"{start:%A} {start.day} {start:%B %Y}, {start:%H:%M}–{end:%H:%M}"
