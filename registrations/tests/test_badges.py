"""Name badges: content, sheets per layout, long Dutch names, shipped fonts only."""

import pytest

from conftest import make_conference, person
from registrations.models import Registration
from registrations.pdf.badges import LAYOUTS, badges_html, badges_pdf
from registrations.pdf.rendering import StaticOnlyFetcher
from registrations.services.registering import register
from registrations.tests.event_day import workshops_of
from registrations.tests.pdf_helpers import boxes_with_class, overflow, pdf_fonts, pdf_pages, squash

MM = 96 / 25.4  # CSS px per millimetre
LONG_NAME = "Maria Johanna Wilhelmina Cornelia van den Heuvel-Oosterbeeks"
LONG_ORGANISATION = (
    "Gemeenschappelijke Regeling Veiligheidsregio Gelderland-Zuid en Omgevingsdienst "
    "Regio Nijmegen, team Strategie en Beleid"
)


@pytest.mark.django_db
def test_badge_shows_name_organisation_function_and_workshops_per_round(conference):
    register(conference.pk, people=[person(1, workshops_of(conference, 1), given_name="Fatima", family_name="Bakr")])

    text = pdf_pages(badges_pdf([conference]))[0]

    assert "Fatima van der Bakr" in text
    assert "Gemeente Nijmegen" in text
    assert "beleidsadviseur" in text
    assert "Ronde 1: Workshop 1.2 · Zaal 2" in text
    assert "Ronde 2: Workshop 2.2 · Zaal 2" in text
    assert "Testdag" not in text  # one event: its name need not be on every badge


@pytest.mark.django_db
def test_badges_of_several_events_say_which_event(organisation, conference):
    other = make_conference(organisation, slug="tweede-dag", rounds=0)
    other.title = "Tweede dag"
    other.save()
    register(conference.pk, people=[person(1, workshops_of(conference), family_name="Eerste")])
    register(other.pk, people=[person(2, family_name="Tweede")])

    text = pdf_pages(badges_pdf([conference, other]))[0]

    assert "Testdag van de Regio's" in text
    assert "Tweede dag" in text


@pytest.mark.django_db
def test_only_people_holding_a_place_get_a_badge(conference):
    kept = register(conference.pk, people=[person(1, workshops_of(conference), family_name="Blijft")])
    gone = register(conference.pk, people=[person(2, workshops_of(conference), family_name="Afgemeld")])
    Registration.objects.filter(pk=gone.pk).update(status=Registration.Status.CANCELLED)

    text = "".join(pdf_pages(badges_pdf([conference])))

    assert kept.participants.get().full_name in text
    assert "Afgemeld" not in text


@pytest.mark.django_db
@pytest.mark.parametrize(("layout", "per_sheet"), [("90x55", 10), ("86x54", 10), ("100x70", 8)])
def test_badges_fill_sheets_in_dutch_name_order(organisation, layout, per_sheet):
    event = make_conference(organisation, rounds=0, capacity=None)
    # Prefixes that would file the names under V or D if sorted naively.
    prefixes = ["van der", "de", "", "van"]
    for n in range(23):
        register(event.pk, people=[person(n, name_prefix=prefixes[n % 4], family_name=f"Achternaam{n:02d}")])

    pages = pdf_pages(badges_pdf([event], layout))

    assert LAYOUTS[layout].per_sheet == per_sheet
    assert len(pages) == -(-23 // per_sheet)
    expected = [f"Achternaam{n:02d}" for n in range(23)]
    for number, page in enumerate(pages):
        on_page = [name for name in expected if name in squash(page)]
        assert on_page == expected[number * per_sheet : (number + 1) * per_sheet]


@pytest.mark.django_db
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_long_names_and_organisations_wrap_inside_the_badge(organisation, layout):
    event = make_conference(organisation, per_round=1)
    long_workshop = "Collectief opdrachtgeverschap: sterker samenspel tussen gemeenten en GR'en in de regio"
    for rnd in event.rounds.all():
        rnd.workshops.update(title=f"{long_workshop} {rnd.number}", room="Grote zaal op de tweede verdieping")
    function = "Senior beleidsadviseur regionale samenwerking en interbestuurlijke verhoudingen"
    for n in range(3):
        register(
            event.pk,
            people=[
                person(
                    n,
                    workshops_of(event),
                    given_name=LONG_NAME.split(" van ")[0],
                    name_prefix="van den",
                    family_name=f"Heuvel-Oosterbeek{n}",
                    organisation=LONG_ORGANISATION,
                    function=function,
                )
            ],
        )
    assert len(LONG_NAME) == 60 and len(LONG_ORGANISATION) == 120

    html = badges_html([event], layout)
    pages = pdf_pages(badges_pdf([event], layout))
    badges = boxes_with_class(html, "badge")

    assert len(pages) == 1
    text = squash(pages[0])
    for n in range(3):
        assert squash(f"{LONG_NAME[:-1]}{n}") in text
    assert text.count(squash(LONG_ORGANISATION)) == 3
    assert len(badges) == 3
    for page_number, box, texts in badges:
        assert page_number == 1
        assert texts
        assert overflow(box, texts) <= 0
    # Row by row, exactly where the cut marks are drawn.
    size = LAYOUTS[layout]
    expected = [(size.left, size.top), (size.left + size.width, size.top), (size.left, size.top + size.height)]
    found = [(box.border_box_x() / MM, box.border_box_y() / MM) for _, box, _ in badges]
    assert found == [pytest.approx(xy, abs=0.01) for xy in expected]


@pytest.mark.django_db
def test_absurdly_long_values_stay_inside_their_own_badge(organisation):
    event = make_conference(organisation, rounds=0)
    for n in range(3):
        register(
            event.pk,
            people=[
                person(
                    n,
                    given_name="G" * 100,
                    name_prefix="v" * 30,
                    family_name=f"{n}" * 60,  # contact_name (max 200) holds the whole name
                    organisation="O" * 200,
                    function="F" * 200,
                )
            ],
        )
    layout = LAYOUTS["86x54"]

    badges = boxes_with_class(badges_html([event], layout.key), "badge")

    assert [page for page, _, _ in badges] == [1, 1, 1]
    for _, box, _ in badges:
        assert box.border_height() == pytest.approx(layout.height * MM)
    assert badges[2][1].border_box_y() == pytest.approx((layout.top + layout.height) * MM)


@pytest.mark.django_db
def test_a_selection_prints_only_the_chosen_people(conference):
    chosen = register(conference.pk, people=[person(1, workshops_of(conference), family_name="Gekozen")])
    register(conference.pk, people=[person(2, workshops_of(conference), family_name="Overgeslagen")])

    text = pdf_pages(badges_pdf([conference], participant_ids=[chosen.participants.get().pk]))[0]

    assert "Gekozen" in text
    assert "Overgeslagen" not in text


@pytest.mark.django_db
def test_badges_use_the_shipped_font(conference):
    register(conference.pk, people=[person(1, workshops_of(conference))])

    fonts = pdf_fonts(badges_pdf([conference]))

    # WeasyPrint names embedded fonts after the CSS family; a system fallback would show
    # up under its own name (DejaVu, Liberation, …).
    assert fonts and all(name.endswith(("Regiodag-Sans", "Regiodag-Sans-Bold")) for name in fonts)


@pytest.mark.parametrize(
    "url", ["https://example.org/logo.png", "file:///etc/passwd", "file:///work/../etc/hostname", "ftp://x/y"]
)
def test_pdf_rendering_fetches_nothing_outside_static(url):
    with pytest.raises(ValueError):
        StaticOnlyFetcher().fetch(url)
