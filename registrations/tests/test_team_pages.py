"""The public driehoek pages: series overview, team form, personal link, host offers."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from conftest import make_team_session
from events.models import HostOffer
from events.templatetags.regiodag import long_date
from registrations.driehoek.host_offers import ConsentMissing, offer_location
from registrations.models import Mail, Participant, Registration
from registrations.tests.team_helpers import form_data, host_offer_data, sign_up


def url(event):
    return reverse("registrations:register_team", args=[event.slug])


def fill(event, n):
    for index in range(n):
        name = ["Arnhem", "Ede", "Zutphen", "Tiel", "Epe", "Oss", "Elst"][index]
        sign_up(event, name, index)


@pytest.mark.django_db
def test_series_page_lists_sessions_with_places_in_teams_deadline_and_rules(client, organisation, team_session):
    second = make_team_session(
        organisation, series=team_session.series, slug="driehoeken-2", starts_in=timedelta(days=90)
    )
    second.regions = "Limburg / Noord-Brabant / Zuid-Holland (Zuid)"
    second.capacity = 1
    second.save()
    fill(team_session, 4)
    sign_up(second, "Venlo", 9)
    page = client.get(team_session.series.get_absolute_url()).content.decode()
    assert "Nog 2 plaatsen" in page
    assert "Vol" in page
    assert "Limburg / Noord-Brabant / Zuid-Holland (Zuid)" in page
    assert "Elke gemeente mag elke bijeenkomst kiezen" in page
    assert "tot vier weken voor de bijeenkomst" in page
    assert "verplicht zich ook te komen" in page
    assert long_date(team_session.registration_deadline) in page
    assert url(team_session) in page
    assert reverse("registrations:host_offer", args=[team_session.series.slug]) in page


@pytest.mark.django_db
def test_team_form_registers_all_three_and_lands_on_the_personal_page(client, team_session):
    response = client.post(url(team_session), form_data("nijmegen"))
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:manage", args=[registration.token])
    assert registration.municipality == "Nijmegen"
    assert registration.status == Registration.Status.APPLIED
    assert registration.email == "contact@nijmegen.nl"
    assert registration.participants.count() == 3
    assert registration.privacy_accepted_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "Driehoek van gemeente Nijmegen" in page
    assert Mail.objects.filter(kind="acknowledgement").count() == 3


@pytest.mark.django_db
def test_form_page_is_accessible_without_javascript(client, team_session):
    page = client.get(url(team_session)).content.decode()
    assert '<datalist id="gemeenten">' in page and 'list="gemeenten"' in page
    assert '<option value="Súdwest-Fryslân">' in page
    assert page.count("<fieldset") >= 5 and page.count("<legend") >= 5
    assert "<script" not in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, field_id, message",
    [
        ({"municipality": "Gotham"}, "id_municipality", "staat niet in de lijst van Nederlandse gemeenten"),
        ({"lid3-role": "griffier"}, "id_lid3-role", "Elke rol komt precies één keer voor"),
        ({"lid2-email": "griffier@nijmegen.nl"}, "id_lid2-email", "Ieder lid heeft een eigen adres nodig"),
        ({"lid1-family_name": ""}, "id_lid1-family_name", "Dit veld is verplicht"),
        ({"contact_email": "geen-adres"}, "id_contact_email", "geldig e-mailadres"),
        ({"privacy": None}, "id_privacy", "alleen aanmelden als u akkoord gaat met de privacyverklaring"),
    ],
)
def test_bad_input_gets_a_clear_dutch_error_linked_to_its_field_and_stores_nothing(
    client, team_session, overrides, field_id, message
):
    response = client.post(url(team_session), form_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'href="#{field_id}"' in page  # the summary links to the field
    assert f'id="{field_id}"' in page and 'aria-invalid="true"' in page
    assert re.search(rf'aria-describedby="[^"]*{re.escape(field_id)}_error[^"]*" id="{re.escape(field_id)}"', page)
    assert not Registration.objects.exists() and not Participant.objects.exists() and not Mail.objects.exists()


@pytest.mark.django_db
def test_a_municipality_holding_a_place_is_told_which_session(client, organisation, team_session):
    other = make_team_session(organisation, series=team_session.series, slug="driehoeken-2")
    client.post(url(team_session), form_data())
    response = client.post(url(other), form_data(contact_email="ander@nijmegen.nl"))
    page = response.content.decode()
    assert "Gemeente Nijmegen heeft al een plaats bij" in page
    assert team_session.title in page
    assert Registration.objects.count() == 1


@pytest.mark.django_db
def test_full_session_offers_the_waiting_list(client, team_session):
    fill(team_session, 6)
    page = client.get(url(team_session)).content.decode()
    assert "Zet onze driehoek op de wachtlijst" in page
    response = client.post(url(team_session), form_data())
    assert "vol = vol" in response.content.decode()
    assert Registration.objects.filter(municipality="Nijmegen").count() == 0
    response = client.post(url(team_session), form_data(waitlist="on"))
    assert response.status_code == 302
    assert Registration.objects.get(municipality="Nijmegen").status == Registration.Status.WAITLISTED
    assert Registration.objects.filter(status__in=Registration.HOLDS_PLACE).count() == 6


@pytest.mark.django_db
def test_after_the_deadline_the_form_accepts_nothing(client, organisation):
    event = make_team_session(organisation, starts_in=timedelta(weeks=4) - timedelta(minutes=5))
    event.registration_closes_at = None
    event.save()
    page = client.get(url(event)).content.decode()
    assert "gesloten" in page and '<form method="post" novalidate' not in page
    response = client.post(url(event), form_data())
    assert "gesloten" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_team_link_cancels_for_the_whole_team(client, team_session):
    team_session.capacity = 1
    team_session.save()
    client.post(url(team_session), form_data())
    registration = Registration.objects.get()
    fill_waiting = sign_up(team_session, "Ede", 5, waitlist=True)
    # Every member's mail carries the same personal link.
    assert {m.registration.token for m in Mail.objects.filter(registration=registration)} == {registration.token}
    client.post(reverse("registrations:cancel", args=[registration.token]))
    registration.refresh_from_db()
    fill_waiting.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert fill_waiting.status == Registration.Status.APPLIED


@pytest.mark.django_db
def test_event_page_links_team_sessions_to_the_team_form(client, team_session):
    page = client.get(team_session.get_absolute_url()).content.decode()
    assert url(team_session) in page


@pytest.mark.django_db
def test_host_offer_form_records_an_offer_for_the_organiser(client, organisation, team_session):
    make_team_session(organisation, series=team_session.series, slug="driehoeken-2")
    offer_url = reverse("registrations:host_offer", args=[team_session.series.slug])
    assert "Bied" in client.get(team_session.series.get_absolute_url()).content.decode()
    response = client.post(
        offer_url,
        host_offer_data(team_session, municipality="epe", location_name="Gemeentehuis Epe", contact_phone=""),
    )
    assert response.status_code == 200
    assert "Bedankt voor uw aanbod" in response.content.decode()
    offer = HostOffer.objects.get()
    assert offer.municipality == "Epe" and offer.series == team_session.series and offer.room_capacity == 30
    assert list(offer.sessions.all()) == [team_session]
    assert offer.status == HostOffer.Status.NEW
    assert offer.created_at - timedelta(seconds=5) < offer.privacy_accepted_at <= offer.created_at


@pytest.mark.django_db
def test_host_offer_needs_a_known_municipality_a_room_and_a_date(client, team_session):
    offer_url = reverse("registrations:host_offer", args=[team_session.series.slug])
    response = client.post(offer_url, {"municipality": "Atlantis", "room_capacity": "0", "contact_email": "x"})
    page = response.content.decode()
    assert "staat niet in de lijst van Nederlandse gemeenten" in page
    assert "Kies minstens één bijeenkomst" in page
    assert not HostOffer.objects.exists()


@pytest.mark.django_db
def test_the_host_offer_asks_consent_beside_a_link_to_the_statements_section_on_offers(client, team_session):
    page = client.get(reverse("registrations:host_offer", args=[team_session.series.slug])).content.decode()
    consent = re.search(r'<label for="id_privacy"[^>]*>(.*?)</label>', page, re.S).group(1)
    assert (
        'Ik ga akkoord met de <a href="/privacy/#locatie-aanbieden">privacyverklaring</a>: mijn gegevens worden '
        "alleen gebruikt om de locatie af te spreken."
    ) in consent
    assert re.search(r'<input type="checkbox" name="privacy"[^>]*required', page)
    statement = client.get(reverse("events:privacy")).content.decode()
    assert '<h2 id="locatie-aanbieden">Als uw gemeente een locatie aanbiedt</h2>' in statement


@pytest.mark.django_db
def test_without_consent_no_offer_is_stored_and_the_error_stands_beside_the_box_and_in_the_summary(
    client, team_session
):
    offer_url = reverse("registrations:host_offer", args=[team_session.series.slug])
    response = client.post(offer_url, host_offer_data(team_session, privacy=None))
    page = response.content.decode()
    assert response.status_code == 200
    message = "U kunt de locatie alleen aanbieden als u akkoord gaat met de privacyverklaring."
    summary = page.split('role="alert"', 1)[1].split("</div>", 1)[0]
    # The summary entry is a link itself, so the label's link is left out of it.
    assert (
        '<a href="#id_privacy">Ik ga akkoord met de privacyverklaring: mijn gegevens worden alleen gebruikt om de '
        f"locatie af te spreken.: {message}</a>"
    ) in summary
    assert re.search(r'aria-describedby="[^"]*id_privacy_error[^"]*" id="id_privacy"', page)
    assert re.search(rf'id="id_privacy_error"[^>]*>.*?{re.escape(message)}', page, re.S)
    assert not HostOffer.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_an_offer_without_consent(team_session):
    data = {"municipality": "Epe", "address": "Hoofdstraat 28", "postcode": "8162 AK", "city": "Epe"}
    data |= {"room_capacity": 30, "contact_name": "Piet Bode", "contact_email": "bode@epe.nl"}
    with pytest.raises(ConsentMissing):
        offer_location(team_session.series, data | {"privacy": False, "sessions": [team_session]})
    assert not HostOffer.objects.exists()
    offer = offer_location(team_session.series, data | {"privacy": True, "sessions": [team_session]})
    assert offer.privacy_accepted_at is not None and list(offer.sessions.all()) == [team_session]


@pytest.mark.django_db
def test_the_seven_2026_sessions_of_the_seed_on_the_series_page(client, demo):
    page = client.get(reverse("events:series", args=["versterking-lokale-driehoeken-2026"])).content.decode()
    for day, regions in [
        ("vrijdag 10 april 2026", "Friesland / Groningen / Drenthe (Noord)"),
        ("vrijdag 12 juni 2026", "Noord-Brabant / Zeeland / Limburg"),
        ("vrijdag 6 november 2026", "Limburg / Noord-Brabant / Zuid-Holland (Zuid)"),
    ]:
        assert day in page and regions in page
    assert page.count('<th scope="row">') == 7
    # Four weeks before 10 April 2026, 13.00: the last moment to register.
    assert "vrijdag 13 maart 2026</time>, 13.00 uur" in page


@pytest.mark.django_db
def test_team_form_points_to_the_privacy_statement(client, team_session):
    page = client.get(url(team_session)).content.decode()
    assert 'Meer daarover leest u in de <a href="/privacy/">privacyverklaring</a>.' in page


@pytest.mark.django_db
def test_the_contact_person_consents_for_the_team_beside_a_link_to_the_statement(client, team_session):
    page = client.get(url(team_session)).content.decode()
    consent = re.search(r'<label for="id_privacy"[^>]*>(.*?)</label>', page, re.S).group(1)
    assert 'Ik ga akkoord met de <a href="/privacy/">privacyverklaring</a>' in consent
    assert "namens de driehoek: de gegevens van de drie leden" in page
    assert re.search(r'<input type="checkbox" name="privacy"[^>]*required', page)


@pytest.mark.django_db
def test_without_consent_nothing_is_stored_and_the_summary_names_the_box_as_text(client, team_session):
    page = client.post(url(team_session), form_data(privacy=None)).content.decode()
    summary = page.split('id="fouten"', 1)[1].split("</div>", 1)[0]
    assert (
        '<a href="#id_privacy">Ik ga akkoord met de privacyverklaring: mijn gegevens worden alleen voor deze '
        "bijeenkomst gebruikt.: U kunt de driehoek alleen aanmelden als u akkoord gaat met de privacyverklaring.</a>"
    ) in summary
    assert not Registration.objects.exists() and not Mail.objects.exists()


@pytest.mark.django_db
def test_the_error_summary_follows_the_order_of_the_page(client, team_session):
    # The members stand between the municipality and the contact person on the page.
    spoilt = {"municipality": "Gotham", "lid2-family_name": "", "contact_email": "geen-adres", "privacy": None}
    page = client.post(url(team_session), form_data(**spoilt)).content.decode()
    summary, form = page.split('id="fouten"', 1)[1].split("</div>", 1)
    targets = re.findall(r'<a href="#([^"]+)">', summary)
    assert targets == ["id_municipality", "id_lid2-family_name", "id_contact_email", "id_privacy"]
    assert sorted(targets, key=lambda target: form.index(f'id="{target}"')) == targets
    assert "Lid 2 van de driehoek – Achternaam: Dit veld is verplicht." in summary
