"""The public site shows every seed event with the seed's facts, in Dutch."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from events.models import Event, Organisation, ProgrammeItem, Series
from registrations.models import Participant, Registration
from workshops.demo import load_demo
from workshops.models import Workshop


def page(client, url, **params):
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_demo_command_is_idempotent_and_registers_invented_people(settings):
    settings.DEBUG = True
    call_command("load_demo")
    registrations = {
        (e, s): n
        for e, s, n in Registration.objects.values_list("event__slug", "status")
        .annotate(n=Count("id"))
        .values_list("event__slug", "status", "n")
    }
    assert registrations == {
        ("ambtelijke-dag-van-de-regios-demo", "confirmed"): 40,
        ("leerbijeenkomst-driehoeken-demo-1", "confirmed"): 2,
        ("leerbijeenkomst-driehoeken-demo-1", "applied"): 2,
        # The past editions, with who came (registrations.demo.load_past_attendance).
        ("ambtelijke-dag-van-de-regios-demo-afgelopen", "confirmed"): 40,
        ("leerbijeenkomst-driehoeken-demo-afgelopen", "confirmed"): 2,
        ("leerbijeenkomst-driehoeken-demo-afgelopen", "applied"): 1,
    }
    assert not Participant.objects.exclude(email__endswith="example.org").exists()
    counts = [Event.objects.count(), Registration.objects.count(), Participant.objects.count()]
    call_command("load_demo")
    assert [Event.objects.count(), Registration.objects.count(), Participant.objects.count()] == counts


@pytest.mark.django_db
def test_demo_loading_is_idempotent():
    load_demo()
    counts = [Event.objects.count(), ProgrammeItem.objects.count(), Workshop.objects.count(), Series.objects.count()]
    load_demo()
    assert [
        Event.objects.count(),
        ProgrammeItem.objects.count(),
        Workshop.objects.count(),
        Series.objects.count(),
    ] == counts
    assert Event.objects.filter(slug__startswith="leerbijeenkomst-driehoeken-2026-").count() == 7


def test_conference_day_page_shows_the_seed(client, demo):
    html = page(client, reverse("events:detail", args=["ambtelijke-dag-van-de-regios-2026"]))
    assert '<html lang="nl">' in html
    assert "donderdag 18 juni 2026" in html
    assert "10.00–16.30 uur" in html
    assert "De Vasim" in html and "Nijmegen" in html
    for name in ["Eva Boswinkel", "Hubert Bruls", "Andries Kok", "Martin Rommers"]:
        assert name in html
    assert "Deelname is gratis" in html
    assert html.count('<h4 class="h5 mb-1">') == 9
    assert "De regio in het bestuur van morgen" in html
    hosts = html.split("De regio in het bestuur van morgen", 1)[1][:600]
    assert all(name in hosts for name in ["Melanie Huurneman", "Han Peter Voerman", "Kees de Vries"])
    for item in ["Ontvangst", "Plenair programma", "Netwerklunch", "Plenaire afsluiting", "Borrel"]:
        assert item in html


def test_driehoek_series_lists_seven_sessions_with_their_provinces(client, demo):
    html = page(client, reverse("events:series", args=["versterking-lokale-driehoeken-2026"]))
    for day in [
        "vrijdag 10 april 2026",
        "vrijdag 17 april 2026",
        "vrijdag 29 mei 2026",
        "vrijdag 12 juni 2026",
        "vrijdag 18 september 2026",
        "vrijdag 9 oktober 2026",
        "vrijdag 6 november 2026",
    ]:
        assert day in html
    assert "Friesland / Groningen / Drenthe (Noord)" in html
    assert "Limburg / Noord-Brabant / Zuid-Holland (Zuid)" in html
    assert "vol = vol" in html


def test_ambtenaar_van_nu_episode_has_its_address_and_guests(client, demo):
    html = page(client, reverse("events:detail", args=["ambtenaar-van-nu-welvarende-regios"]))
    assert "EMMA" in html and "Wijnhaven 88" in html and "2511 GA" in html and "Den Haag" in html
    assert "aflevering 2" in html
    for name in ["Sjoerd Jansen", "Dave van der Valk", "Natalie Burgers", "Christiaan van der Kaaij"]:
        assert name in html
    assert "Zet in mijn agenda" in html


def test_vng_dialogue_shows_its_step_deadline(client, demo):
    html = page(client, reverse("events:detail", args=["verenigingsdialoog-regionale-samenwerking"]))
    assert "maandag 7 oktober 2024" in html
    assert "De eerste interactieve stap staat open" in html
    assert "raadsleden" in html


def test_catalogue_upcoming_and_past_and_filters(client, demo):
    upcoming = page(client, reverse("events:catalogue"))
    assert "Derde editie" in upcoming
    assert "Tweede editie" not in upcoming
    past = page(client, reverse("events:past"))
    assert "Tweede editie" in past and "Welvarende regio" in past
    gelderland = page(client, reverse("events:past"), provincie="Gelderland")
    assert "Tweede editie" in gelderland and "Welvarende regio" not in gelderland
    bmc = page(client, reverse("events:past"), organisatie="bmc")
    assert "Leerbijeenkomst lokale driehoeken" in bmc and "Tweede editie" not in bmc


def test_draft_events_are_not_public(client, demo):
    Event.objects.filter(slug="ambtenaar-van-nu-welvarende-regios").update(status=Event.Status.DRAFT)
    response = client.get(reverse("events:detail", args=["ambtenaar-van-nu-welvarende-regios"]))
    assert response.status_code == 404


def test_calendar_file_parses_with_a_real_icalendar_parser(client, demo):
    response = client.get(reverse("events:ics", args=["ambtelijke-dag-van-de-regios-2026"]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    start = vevent.decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/Amsterdam"
    assert (start.year, start.month, start.day, start.hour, start.minute) == (2026, 6, 18, 10, 0)
    assert vevent.decoded("DTEND").hour == 16 and vevent.decoded("DTEND").minute == 30
    assert "De Vasim" in str(vevent["LOCATION"])
    assert "regionale samenwerking" in str(vevent["DESCRIPTION"])
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]


def test_dutch_by_default_english_when_chosen(client, demo):
    url = reverse("events:detail", args=["ambtelijke-dag-van-de-regios-2026"])
    # A browser that prefers English still gets the Dutch site until the visitor chooses.
    assert "donderdag 18 juni 2026" in client.get(url, HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    html = client.get(url).content.decode()
    assert '<html lang="en">' in html
    assert "Thursday 18 June 2026" in html


@pytest.mark.django_db
def test_event_page_shows_whom_to_contact_with_no_query_per_organisation(client, conference, other_organisation):
    conference.organisations.update(contact_email="vragen@bmc.example.org", website="https://www.bmc.nl")
    url = reverse("events:detail", args=[conference.slug])
    with CaptureQueriesContext(connection) as with_one:
        html = page(client, url)
    assert '<a href="mailto:vragen@bmc.example.org">vragen@bmc.example.org</a>' in html
    assert '<a href="https://www.bmc.nl">www.bmc.nl</a>' in html

    gelderland = Organisation.objects.create(
        name="Provincie Gelderland", slug="gelderland", contact_email="post@gelderland.example.org"
    )
    conference.organisations.add(other_organisation, gelderland)
    with CaptureQueriesContext(connection) as with_three:
        html = page(client, url)
    assert "Vereniging van Nederlandse Gemeenten" in html and "mailto:post@gelderland.example.org" in html
    assert len(with_three) == len(with_one)
