"""The public registration form for a conference day: fields, errors, spam trap, window."""

import re
import time
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client
from django.utils import timezone

from conftest import make_conference, person
from events import privacy_links
from registrations import form_page, forms
from registrations.forms import sign_start
from registrations.models import Mail, Participant, Registration, WorkshopChoice
from registrations.services.registering import register
from registrations.tests.conference_helpers import form_data, register_url, workshop_ids
from workshops.models import Workshop


@pytest.mark.django_db
def test_form_shows_rounds_places_and_suggestions(client, conference):
    response = client.get(register_url(conference))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<legend") >= 2 + 2  # personal details, workshops, one per round
    assert "Workshopronde 1" in html and "Workshopronde 2" in html
    assert "nog 10 plaatsen" in html
    assert '<datalist id="organisatie-suggesties">' in html
    assert '<option value="Gemeente Nijmegen">' in html and '<option value="Provincie Gelderland">' in html
    assert 'name="website"' in html and 'name="started"' in html


@pytest.mark.django_db
def test_valid_form_registers_and_says_a_mail_was_sent(client, conference):
    chosen = workshop_ids(conference, 1)
    response = client.post(register_url(conference), form_data(conference, workshops=chosen))
    registration = Registration.objects.get()
    assert response.status_code == 302
    # Not the personal page: the answer is the same for an address that registered before.
    assert response["Location"] == f"/evenement/{conference.slug}/aanmelden/verstuurd/"
    sent = client.get(response["Location"]).content.decode()
    assert "We hebben u een e-mail gestuurd" in sent and registration.token not in sent
    assert Mail.objects.get().kind == "acknowledgement"
    participant = registration.participants.get()
    assert (participant.given_name, participant.name_prefix, participant.family_name) == ("Esther", "van der", "Mark1")
    assert participant.dietary_wishes == "vegetarisch"
    assert sorted(participant.choices.values_list("workshop_id", flat=True)) == sorted(chosen)
    assert registration.privacy_accepted_at is not None

    page = client.get(f"/aanmelding/{registration.token}/bevestiging/").content.decode()
    assert "U bent aangemeld" in page
    assert "Workshop 1.2" in page and "Workshop 2.2" in page


@pytest.mark.django_db
def test_full_workshop_is_marked_vol_and_cannot_be_picked(client, organisation):
    event = make_conference(organisation, workshop_capacity=1)
    client.post(register_url(event), form_data(event, 1))
    forget_places(event)  # the form's places may be two seconds old; let them pass
    html = client.get(register_url(event)).content.decode()
    assert '<span class="status-full">vol</span>' in html
    assert html.count("disabled") >= 2  # the first workshop of each round

    response = client.post(register_url(event), form_data(event, 2))
    assert response.status_code == 200
    assert "is vol. Kies een andere workshop" in response.content.decode()
    assert Registration.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_name", "", "Vul uw voornaam in."),
        ("email", "geen-adres", "Vul een geldig e-mailadres in"),
        ("organisation", "", "Vul de naam van uw organisatie in."),
        ("privacy", None, "akkoord gaat met de privacyverklaring"),
        ("round_2", None, "Kies een workshop in deze ronde."),
    ],
)
@pytest.mark.django_db
def test_errors_are_dutch_beside_their_field_and_store_nothing(client, conference, field, value, message):
    response = client.post(register_url(conference), form_data(conference, **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    # Beside the field: inside its error block, which the input points at.
    assert f'id="id_{field}_error"' in html
    assert re.search(rf'aria-describedby="[^"]*\bid_{field}_error\b', html)
    # And listed above the form, linking to the field.
    assert f'<a href="#id_{field}' in html
    assert not Registration.objects.exists()
    assert not Participant.objects.exists() and not WorkshopChoice.objects.exists()


@pytest.mark.django_db
def test_workshop_of_another_event_is_refused(client, organisation, conference):
    other = make_conference(organisation, slug="anderedag")
    response = client.post(register_url(conference), form_data(conference, round_1=str(workshop_ids(other)[0])))
    assert "Kies een van de workshops van deze ronde." in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_honeypot_refuses_and_stores_nothing(client, conference):
    response = client.post(register_url(conference), form_data(conference, website="http://spam.example"))
    assert response.status_code == 200
    assert "kon niet worden verwerkt" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_form_sent_too_fast_is_refused(client, conference, settings):
    settings.REGIODAG_MIN_FILL_SECONDS = 3
    response = client.post(register_url(conference), form_data(conference, started=sign_start(time.time())))
    assert "erg snel verstuurd" in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_tampered_timestamp_is_refused_with_a_fresh_one(client, conference):
    response = client.post(register_url(conference), form_data(conference, started="12345"))
    html = response.content.decode()
    assert "formulier is verlopen" in html
    assert 'name="started" value="' in html
    assert not Registration.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (timedelta(days=2), None, "Aanmelden kan vanaf"),
        (None, timedelta(days=-1), "De aanmelding is gesloten"),
    ],
)
def test_outside_the_window_the_form_says_so_and_accepts_nothing(client, conference, opens, closes, message):
    now = timezone.now()
    conference.registration_opens_at = now + opens if opens else None
    conference.registration_closes_at = now + closes if closes else None
    if conference.registration_closes_at:
        conference.registration_opens_at = conference.registration_closes_at - timedelta(days=10)
    conference.save()
    assert message in client.get(register_url(conference)).content.decode()
    response = client.post(register_url(conference), form_data(conference))
    assert message in response.content.decode()
    assert 'name="given_name"' not in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_duplicate_address_stores_nothing_and_mails_the_link(client, conference):
    client.post(register_url(conference), form_data(conference, 1))
    first = Registration.objects.get()
    response = client.post(
        register_url(conference), form_data(conference, 2, email="DEELNEMER1@example.org", family_name="Anders")
    )
    assert response["Location"] == f"/evenement/{conference.slug}/aanmelden/verstuurd/"
    assert Registration.objects.count() == 1
    assert not Participant.objects.filter(family_name="Anders").exists()
    link = Mail.objects.get(kind="personal_link")
    assert link.registration == first and link.is_resend and link.recipient == "deelnemer1@example.org"


@pytest.mark.django_db
def test_team_event_does_not_offer_the_person_form(client, team_session):
    response = client.get(register_url(team_session))
    assert 'name="given_name"' not in response.content.decode()


@pytest.mark.django_db
def test_full_event_offers_the_waiting_list_and_shows_the_position(client, organisation):
    event = make_conference(organisation, capacity=1, slug="volle-dag")
    client.post(register_url(event), form_data(event, 1))
    forget_places(event)  # the form's places may be two seconds old; let them pass
    page = client.get(register_url(event)).content.decode()
    assert "Dit evenement is vol" in page and 'name="waitlist"' in page

    # Without asking for the waiting list: nothing stored, and one button to ask for it
    # with everything that was filled in.
    response = client.post(register_url(event), form_data(event, 2))
    html = response.content.decode()
    assert "het evenement is inmiddels vol" in html
    assert '<input type="hidden" name="email" value="deelnemer2@example.org">' in html
    assert '<input type="hidden" name="waitlist" value="on">' in html
    assert Registration.objects.count() == 1
    kept = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    kept.pop("csrfmiddlewaretoken")
    assert client.post(register_url(event), kept).status_code == 302
    assert Registration.objects.get(email="deelnemer2@example.org").status == Registration.Status.WAITLISTED

    response = client.post(register_url(event), form_data(event, 3, waitlist="on"))
    assert response.status_code == 302
    third = Registration.objects.get(email="deelnemer3@example.org")
    assert third.status == Registration.Status.WAITLISTED
    # Preferences are kept for when a place frees.
    assert third.participants.get().choices.count() == 2
    page = client.get(f"/aanmelding/{third.token}/bevestiging/").content.decode()
    assert "U staat op plaats 2 van de wachtlijst" in page
    assert "plaats 2 van de wachtlijst" in client.get(f"/aanmelding/{third.token}/").content.decode()


@pytest.mark.django_db
def test_cached_form_page_gives_every_visitor_their_own_token_and_start(conference):
    tokens, starts = set(), set()
    for n in (1, 2):
        visitor = Client(enforce_csrf_checks=True)
        html = visitor.get(register_url(conference)).content.decode()
        [token] = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
        [started] = re.findall(r'name="started" value="([^"]+)"', html)
        tokens.add(token)
        starts.add(started)
        # The page came from the cache for the second visitor, and its token works.
        data = {**form_data(conference, n), "csrfmiddlewaretoken": token, "started": sign_start(time.time() - 60)}
        assert visitor.post(register_url(conference), data).status_code == 302
    assert len(tokens) == 2 and len(starts) == 2
    assert Registration.objects.count() == 2


@pytest.mark.django_db
def test_a_waiting_message_is_shown_on_a_page_of_its_own(client, conference):
    client.get(register_url(conference))  # fills the cache
    storage = CookieStorage(None)
    client.cookies["messages"] = storage._encode([Message(constants.INFO, "Bericht voor deze bezoeker")])
    assert "Bericht voor deze bezoeker" in client.get(register_url(conference)).content.decode()
    del client.cookies["messages"]
    assert "Bericht voor deze bezoeker" not in client.get(register_url(conference)).content.decode()


def radio_input(html, workshop_id):
    [tag] = re.findall(rf'<input[^>]*name="round_\d"[^>]*value="{workshop_id}"[^>]*>', html)
    return tag


def forget_places(event):
    """As if the seconds that the event's cached form is kept had passed."""
    form_page.forget(event.slug)


@pytest.mark.django_db
def test_the_form_is_rendered_once_per_event_version_and_language(client, settings, conference, monkeypatch):
    from django.template import loader

    renders = []
    real = loader.render_to_string
    monkeypatch.setattr(form_page, "render_to_string", lambda *a, **k: renders.append(1) or real(*a, **k))
    first = workshop_ids(conference)[0]
    assert "disabled" not in radio_input(client.get(register_url(conference)).content.decode(), first)
    Client().get(register_url(conference))
    assert len(renders) == 1

    for n in range(10):  # the workshop's ten places
        register(conference.pk, people=[person(n, workshop_ids(conference))])
    conference.save()  # a new version of the event: its form is rendered anew
    html = client.get(register_url(conference)).content.decode()
    assert len(renders) == 2
    assert "disabled" in radio_input(html, first)  # with the places of now
    assert '<span class="status-full">vol</span>' in html
    assert "Nog 90 plaatsen" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "90 places left" in client.get(register_url(conference)).content.decode()
    assert len(renders) == 3


@pytest.mark.django_db
def test_the_cached_form_holds_nothing_of_one_visitor(client, conference):
    from django.core.cache import cache

    html = client.get(register_url(conference)).content.decode()
    [token] = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    [started] = re.findall(r'name="started" value="([^"]+)"', html)
    _version, places, form, _offer = cache.get(form_page.cache_key(conference.slug, "nl"))
    assert 'name="given_name"' in form and "Nog 100 plaatsen" in places
    assert token not in form + places and started not in form + places
    assert "csrfmiddlewaretoken" not in form and 'name="started"' not in form


@pytest.mark.django_db
def test_with_the_cache_down_the_form_still_renders_and_registers(client, settings, conference):
    # Redis on a port where nothing listens: every cache call fails.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }
    html = client.get(register_url(conference)).content.decode()
    assert 'name="given_name"' in html and "Nog 100 plaatsen" in html
    assert client.post(register_url(conference), form_data(conference)).status_code == 302
    full = make_conference(conference.organisations.get(), capacity=1, slug="volle-dag")
    register(full.pk, people=[person(1, workshop_ids(full))])
    html = client.post(register_url(full), form_data(full, 2)).content.decode()  # forgets the cached form
    assert "het evenement is inmiddels vol" in html


@pytest.mark.django_db
def test_a_workshop_removed_after_the_page_was_read_is_a_dutch_error_not_a_server_error(client, conference):
    client.get(register_url(conference))
    chosen = workshop_ids(conference)
    Workshop.objects.filter(pk=chosen[0]).delete()
    response = client.post(register_url(conference), form_data(conference, workshops=chosen))
    assert response.status_code == 200
    assert "Kies een van de workshops van deze ronde." in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_cached_form_markup_follows_a_changed_workshop(client, conference):
    client.get(register_url(conference))
    workshop = conference.rounds.get(number=1).workshops.order_by("pk").first()
    workshop.title = "Regionale energiestrategie in de praktijk"
    workshop.save()
    forget_places(conference)
    assert "Regionale energiestrategie in de praktijk" in client.get(register_url(conference)).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "label"),
    [
        ("nl", 'Ik ga akkoord met de <a href="/privacy/">privacyverklaring</a>: mijn gegevens worden'),
        ("en", 'I agree to the <a href="/privacy/">privacy statement</a>: my details'),
    ],
)
def test_consent_label_links_to_the_privacy_statement_in_the_same_tab(client, settings, conference, language, label):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(register_url(conference)).content.decode()
    consent = re.search(r'<label for="id_privacy"[^>]*>(.*?)</label>', html, re.S).group(1)
    assert label in consent
    assert "target=" not in consent


@pytest.mark.django_db
def test_consent_error_lists_the_label_as_text_above_the_form(client, conference):
    html = client.post(register_url(conference), form_data(conference, privacy=None)).content.decode()
    summary = html.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert '<a href="#id_privacy">Ik ga akkoord met de privacyverklaring: mijn gegevens' in summary
    assert "/privacy/" not in summary  # no link inside the link to the field


def test_consent_label_escapes_the_translated_text(monkeypatch):
    monkeypatch.setattr(forms, "_", lambda text: f"<b>{text}</b>")
    monkeypatch.setattr(privacy_links, "_", lambda text: f"<b>{text}</b>")
    label = forms.privacy_label()
    assert label.startswith('&lt;b&gt;Ik ga akkoord met de <a href="/privacy/">&lt;b&gt;privacyverklaring')
    assert "<b>" not in label


@pytest.mark.django_db
def test_a_cached_form_page_asks_the_database_for_the_event_only(client, conference, django_assert_num_queries):
    first = client.get(register_url(conference)).content.decode()
    with django_assert_num_queries(1):
        second = Client().get(register_url(conference)).content.decode()
    # The same page but for the visitor's own token and start stamp.
    own = re.compile(r'(name="(?:csrfmiddlewaretoken|started)" value=")[^"]+"')
    assert own.sub(r"\1", first) == own.sub(r"\1", second)
    assert own.findall(first) and own.findall(first) == own.findall(second)
    assert "Nog 100 plaatsen" in second


@pytest.mark.django_db
def test_full_page_keeps_each_visitors_own_answers_and_token(organisation):
    event = make_conference(organisation, capacity=1, slug="volle-dag")
    Client().post(register_url(event), form_data(event, 1))
    pages = []
    for n, family_name in ((2, "O'Brien & <Zoë>"), (3, "Öztürk")):
        visitor = Client(enforce_csrf_checks=True)
        blank = visitor.get(register_url(event)).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', blank).group(1)
        data = {**form_data(event, n, family_name=family_name), "csrfmiddlewaretoken": token}
        html = visitor.post(register_url(event), data).content.decode()
        assert "het evenement is inmiddels vol" in html
        # As a browser reads the hidden fields back.
        kept = {k: unescape(v) for k, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html)}
        # The second page came from the cached frame, with this visitor's own answers.
        assert kept["email"] == f"deelnemer{n}@example.org"
        pages.append((kept.pop("csrfmiddlewaretoken"), html))
        assert visitor.post(register_url(event), kept | {"csrfmiddlewaretoken": pages[-1][0]}).status_code == 302
    assert "O&#x27;Brien &amp; &lt;Zoë&gt;" in pages[0][1] and "<Zoë>" not in pages[0][1]
    assert "Öztürk" in pages[1][1] and "Brien" not in pages[1][1]
    assert pages[0][0] != pages[1][0]
    waiting = Registration.objects.filter(status="waitlisted")
    assert set(waiting.values_list("participants__family_name", flat=True)) == {"O'Brien & <Zoë>", "Öztürk"}


@pytest.mark.django_db
def test_error_summary_follows_the_order_of_the_page(client, conference):
    data = form_data(conference, given_name="", organisation="", round_1=None, privacy=None)
    html = client.post(register_url(conference), data).content.decode()
    summary = html.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    links = re.findall(r'<a href="#id_(\w+?)(?:_0)?"', summary)
    assert links == ["given_name", "organisation", "round_1", "privacy"]


@pytest.mark.django_db
def test_a_sent_form_leaves_nothing_behind_in_the_next_visitors_form(client, conference):
    """Each form gets fields of its own (the form's rendering marks invalid fields on their
    widgets)."""
    invalid = client.post(register_url(conference), form_data(conference, given_name="", round_2=None))
    assert "is-invalid" in invalid.content.decode()
    response = client.post(register_url(conference), form_data(conference, 1, website="spam"))
    html = response.content.decode()
    assert "Uw aanmelding kon niet worden verwerkt" in html
    assert "is-invalid" not in html
    assert 'value="Esther"' in html


@pytest.mark.django_db
def test_each_language_gets_its_own_error_messages(client, settings, conference):
    data = form_data(conference, given_name="")
    assert "Vul uw voornaam in." in client.post(register_url(conference), data).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(register_url(conference), data).content.decode()
    assert "Vul uw voornaam in." not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nl"
    assert "Vul uw voornaam in." in client.post(register_url(conference), data).content.decode()


@pytest.mark.django_db
def test_the_last_place_taken_since_the_form_was_cached_shows_the_next_visitor_a_full_event(client, organisation):
    event = make_conference(organisation, capacity=1, slug="laatste-plaats")
    assert "Nog 1 plaats" in client.get(register_url(event)).content.decode()
    # Taken elsewhere, unseen by the cached form.
    register(event.pk, people=[person(1, workshop_ids(event))])
    html = client.post(register_url(event), form_data(event, 2)).content.decode()
    assert "het evenement is inmiddels vol" in html
    assert Registration.objects.count() == 1
    assert "Dit evenement is vol" in client.get(register_url(event)).content.decode()


@pytest.mark.django_db
def test_once_the_cached_form_shows_the_event_full_refusals_leave_it_be(client, organisation):
    from django.core.cache import cache

    event = make_conference(organisation, capacity=1, slug="volle-dag")
    register(event.pk, people=[person(1, workshop_ids(event))])
    assert "Dit evenement is vol" in client.get(register_url(event)).content.decode()
    kept = cache.get(form_page.cache_key(event.slug, "nl"))
    assert kept is not None and kept[3]  # offers the waiting list
    html = client.post(register_url(event), form_data(event, 2)).content.decode()
    assert "het evenement is inmiddels vol" in html
    # Not rendered again for each of a crowd refused after the last place.
    assert cache.get(form_page.cache_key(event.slug, "nl")) == kept
