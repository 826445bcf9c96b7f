"""Names as a Dutch reader looks them up, and printed with the characters people use.

One key (registrations/names.py): accents folded, case ignored, 'van der' after the surname.
Used by the database (Participant.sort_name, for querysets) and in Python (PDFs); the PDFs
fall back to system fonts (scripts/ensure-fonts.sh) for what Source Sans 3 lacks: emoji.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conftest import make_conference, person
from registrations.exports import participants as export_participants
from registrations.models import Participant
from registrations.names import sort_name
from registrations.pdf.badges import badges_pdf
from registrations.pdf.lists import event_attendance_pdf
from registrations.reports import expected_participants
from registrations.services.details import update_details
from registrations.services.registering import register
from registrations.services.retention import erase
from registrations.tests.event_day import organiser_client_fixture, workshops_of  # noqa: F401
from registrations.tests.pdf_helpers import pdf_fonts, pdf_pages, squash

# (given, prefix, family) in the order of a Dutch list.
DUTCH_ORDER = [
    ("Anouk", "", "Bakker"),
    ("Zeynep", "", "Çakır"),
    ("Cor", "", "Cornelissen"),
    ("Esther", "van der", "Mark"),
    ("anna", "", "mulder"),
    ("Olga", "", "Ovens"),
    ("Emre", "", "Öztürk"),
    ("Pieter", "de", "Vries"),
    ("Jan", "", "Zanden"),
]


def test_the_sort_key_folds_accents_and_case_and_files_prefixes_after_the_surname():
    assert sort_name("Esther", "van der", "Mark") == "mark, esther van der"
    assert sort_name("Zoë", "", "Öztürk") == "ozturk, zoe"
    keys = [sort_name(*name) for name in DUTCH_ORDER]
    assert keys == sorted(keys)
    # Code-point order, as before, put the accented names after Z.
    assert sorted(family for _, _, family in DUTCH_ORDER)[-2:] == ["Çakır", "Öztürk"]


@pytest.fixture
def crowd(organisation):
    event = make_conference(organisation, rounds=0, capacity=None)
    # Registered in reverse, so that neither the id nor the time gives the order.
    for n, (given, prefix, family) in enumerate(reversed(DUTCH_ORDER)):
        register(event.pk, people=[person(n, given_name=given, name_prefix=prefix, family_name=family)])
    return event


def families(participants):
    return [p.family_name for p in participants]


EXPECTED = [family for _, _, family in DUTCH_ORDER]


@pytest.mark.django_db
def test_the_database_orders_by_the_stored_key(crowd):
    assert families(expected_participants([crowd])) == EXPECTED
    assert families(export_participants(event=crowd)) == EXPECTED


@pytest.mark.django_db
def test_the_key_follows_a_change_of_name_and_goes_with_erasure(crowd):
    participant = Participant.objects.get(family_name="Zanden")
    update_details(participant.registration_id, participant.pk, family_name="Aalders")
    assert Participant.objects.get(pk=participant.pk).sort_name.startswith("aalders, ")
    assert families(expected_participants([crowd]))[0] == "Aalders"
    with transaction.atomic():
        erase([participant.registration_id], timezone.now())
    assert Participant.objects.get(pk=participant.pk).sort_name == ""


@pytest.mark.django_db
def test_bulk_created_participants_carry_the_key(crowd):
    registration = Participant.objects.first().registration
    [made] = Participant.objects.bulk_create(
        [Participant(registration=registration, given_name="Ilse", family_name="Ütrecht", email="u@example.org")]
    )
    assert Participant.objects.get(pk=made.pk).sort_name == "utrecht, ilse"


@pytest.mark.django_db
def test_attendance_list_and_badges_print_in_dutch_order(crowd):
    for pdf in (event_attendance_pdf([crowd]), badges_pdf([crowd])):
        text = squash("".join(pdf_pages(pdf)))
        positions = [text.index(squash(family)) for family in EXPECTED]
        assert positions == sorted(positions), EXPECTED


@pytest.mark.django_db
def test_check_in_search_results_in_dutch_order(crowd, organiser_client):
    response = organiser_client.get(reverse("checkin:event", args=[crowd.pk]), {"q": "e"})
    page = response.content.decode()
    found = [family for family in EXPECTED if family in page]
    assert len(found) > 3
    assert sorted(found, key=page.index) == found


@pytest.mark.django_db
def test_a_badge_prints_an_emoji_with_a_real_glyph(organisation):
    event = make_conference(organisation)  # its badge has digits too: "Ronde 1", times
    register(
        event.pk, people=[person(1, workshops_of(event), given_name="Zoë 😀", name_prefix="", family_name="Çakır")]
    )
    pdf = badges_pdf([event])
    fonts = pdf_fonts(pdf)
    # The emoji comes from the emoji font (a font without it would print an empty box,
    # from a font that has no such glyph); the letters from the shipped font.
    assert any("Noto-Color-Emoji" in name for name in fonts), fonts
    assert any(name.endswith("Regiodag-Sans-Bold") or name.endswith("Regiodag-Sans") for name in fonts)
    assert "😀" in pdf_pages(pdf)[0] and "Çakır" in pdf_pages(pdf)[0]
    # Digits stay in the shipped font: only the emoji is drawn from the emoji font.
    assert drawn_with(pdf, "Noto-Color-Emoji") == "😀"


def drawn_with(pdf, font):
    import io

    import pypdf

    runs = []
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    page.extract_text(
        visitor_text=lambda text, cm, tm, font_dict, size: runs.append(
            (str(font_dict.get("/BaseFont", "")) if font_dict else "", text)
        )
    )
    return "".join(text for name, text in runs if font in name).strip()


@pytest.mark.django_db
def test_no_shows_are_grouped_by_organisation_in_dutch_order(organisation):
    from registrations.reports import no_shows_by

    event = make_conference(organisation, rounds=0, capacity=None)
    for n, name in enumerate(["Zaanstad", "Ähnlich BV", "bureau Ede"]):
        register(event.pk, people=[person(n, organisation=name)])
    assert list(no_shows_by([event], "organisation")) == ["Ähnlich BV", "bureau Ede", "Zaanstad"]
