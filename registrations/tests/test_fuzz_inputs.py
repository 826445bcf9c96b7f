"""No input gives a server error: a property-based fuzz of every public form and URL.

Hypothesis sends valid forms with some fields replaced by hostile values (NUL, lone
surrogates, control characters, line breaks, huge strings, numbers where text belongs and
the other way round), fields left out and keys repeated, to the registration, team and
host-offer forms, the personal pages and their forms, and the organiser's check-in search;
and odd tokens, ids and slugs to the URLs. Every answer must be below 500, and a refused
post must store nothing: the row counts are those from before. Requests are in Dutch (the
default language), and so must be every form error a page shows: none of Django's own
messages may appear in English. Accepted posts are allowed
(a dietary wish with an emoji is a fine one), but what they store is one line where it must
be and within its column.

Bodies are encoded by hand, as a hostile client would: a lone surrogate goes out as the
bytes UTF-8 would give it (invalid UTF-8), which Django's test client could not send.
Examples are derandomised so that CI is repeatable; each runs in a savepoint rolled back
afterwards, so the examples do not fill the event for each other.
"""

import itertools
import time
from urllib.parse import quote

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import add_material, make_conference, make_team_session, person
from events.models import HostOffer
from regiodag.spam_trap import sign_start
from regiodag.text_validators import one_line
from registrations.models import Mail, Participant, Registration, WorkshopChoice
from registrations.services.registering import register
from registrations.tests.team_helpers import form_data, host_offer_data

pytestmark = pytest.mark.django_db

TRIED = itertools.count(1)
FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

HOSTILE = [
    "\x00",
    "a\x00b",
    "\ud800",
    "x\udfffy",
    "Esther\nvan der Mark",
    "\r\n",
    "\t",
    "\x1b[31m",
    "\u2028",
    "\u202eevil",
    "A" * 5000,
    "a" * 250 + "@example.org",  # valid to Django's form field (320), longer than the column (254)
    "é" * 100_000,
    "😀" * 300,
    "Zoë 😀 Çakır",
    "0",
    "-1",
    "99999999999999999999",
    "1e308",
    "NaN",
    "[]",
    "{}",
    "null",
    "true",
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "' OR 1=1 --",
    "%00",
    "../../etc/passwd",
    "",
    " ",
]

hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=50),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x1F), max_size=10),
    st.text(alphabet=st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF), min_size=1, max_size=3),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(lambda char, n: char * n, st.sampled_from(["x", "é", "\n", "😀"]), st.integers(100, 3000)),
)


# Django's own form and model messages as they read untranslated. On a Dutch page one of
# these is a message nobody translated, or a refusal answered in the wrong language.
ENGLISH_DEFAULTS = [
    "This field is required",
    "Enter a valid",
    "Enter a whole number",
    "Enter a number",
    "Ensure this value",
    "Ensure that there are no more than",
    "Select a valid choice",
    "is not one of the available choices",
    "Null characters are not allowed",
    "already exists",
    "is violated",
    "Constraint “",
    "The submitted file",
    "No file was submitted",
    "This value may contain only",
]


def english_messages(response):
    if "text/html" not in response.get("Content-Type", ""):
        return []
    page = response.content.decode(errors="replace")
    return [message for message in ENGLISH_DEFAULTS if message in page]


def encode(pairs):
    """An x-www-form-urlencoded body, lone surrogates sent as their (invalid) UTF-8 bytes."""

    def part(text):
        return quote(str(text).encode("utf-8", "surrogatepass"), safe="")

    return "&".join(f"{part(key)}={part(value)}" for key, value in pairs).encode("ascii")


@st.composite
def spoiled(draw, valid):
    """``valid`` (field -> value or list) with some fields hostile, some left out, some repeated."""
    names = sorted(valid)
    pairs = []
    for name in names:
        values = valid[name] if isinstance(valid[name], list) else [valid[name]]
        action = draw(st.sampled_from(["keep", "keep", "hostile", "drop", "repeat"]))
        if action == "drop":
            continue
        if action == "hostile":
            values = [draw(hostile_text)]
        if action == "repeat":
            values = [*values, draw(hostile_text)]
        pairs += [(name, value) for value in values]
    if draw(st.booleans()):
        pairs.append((draw(hostile_text), draw(hostile_text)))  # a key nobody asked for
    return pairs


def counts():
    return {
        model.__name__: model.objects.count() for model in (Registration, Participant, WorkshopChoice, Mail, HostOffer)
    }


def attempt(client, method, path, pairs=None):
    """One request in a savepoint that is rolled back: (status, row counts before, after)."""
    next(TRIED)
    with transaction.atomic():
        before = counts()
        if method == "GET":
            response = client.get(path)
        else:
            response = client.generic("POST", path, encode(pairs or []), "application/x-www-form-urlencoded")
        after = counts()
        stored = list(Participant.objects.values_list("given_name", "name_prefix", "family_name", "organisation"))
        transaction.set_rollback(True)
    assert response.status_code < 500, (method, path, pairs)
    assert response.get("Content-Language", "nl") == "nl", (method, path)
    assert english_messages(response) == [], (method, path, pairs)
    event(f"{method} answered {response.status_code}")  # shown by --hypothesis-show-statistics
    for value in itertools.chain.from_iterable(stored):
        one_line(value)  # raises on a line break or control character that got through
    return response.status_code, before, after


def unchanged_unless_accepted(status, before, after, accepted_status=302):
    if status != accepted_status:
        assert after == before, (status, before, after)


@pytest.fixture
def world(settings, organisation, venue, client, organiser):
    settings.REGIODAG_RATE_LIMITS = {}
    settings.RATELIMIT_ENABLE = False
    settings.REGIODAG_MIN_FILL_SECONDS = 0
    conference = make_conference(organisation, venue, capacity=10_000, workshop_capacity=10_000)
    session = make_team_session(organisation, capacity=10_000)
    registration = register(
        conference.pk, people=[person(1, [r.workshops.first().pk for r in conference.rounds.all()])]
    )
    material = add_material(conference.rounds.first().workshops.first(), "Sheets", filename="sheets.pdf")
    client.force_login(organiser)
    return {
        "conference": conference,
        "session": session,
        "registration": registration,
        "material": material,
        "mail": registration.mails.first(),
        "client": client,
    }


def stamp():
    return sign_start(time.time() - 60)


EMAILS = itertools.count(1000)


def registration_form(conference):
    rounds = {f"round_{r.number}": str(r.workshops.first().pk) for r in conference.rounds.all()}
    return {
        "given_name": "Zoë",
        "name_prefix": "van der",
        "family_name": "Çakır",
        "email": f"fuzz{next(EMAILS)}@example.org",
        "organisation": "Gemeente Epe",
        "function": "adviseur",
        "dietary_wishes": "",
        "accessibility_needs": "",
        "privacy": "on",
        "waitlist": "",
        "website": "",
        "started": stamp(),
        **rounds,
    }


@FUZZ
@given(data=st.data())
def test_registration_form(world, data):
    conference = world["conference"]
    pairs = data.draw(spoiled(registration_form(conference)))
    path = reverse("registrations:register", args=[conference.slug])
    status, before, after = attempt(world["client"], "POST", path, pairs)
    unchanged_unless_accepted(status, before, after)
    if after != before:
        assert after["Registration"] == before["Registration"] + 1
        assert after["Participant"] == before["Participant"] + 1
        assert after["WorkshopChoice"] == before["WorkshopChoice"] + conference.rounds.count()


@FUZZ
@given(data=st.data())
def test_team_form(world, data):
    pairs = data.draw(spoiled(form_data()))
    path = reverse("registrations:register_team", args=[world["session"].slug])
    status, before, after = attempt(world["client"], "POST", path, pairs)
    unchanged_unless_accepted(status, before, after)
    if after != before:
        assert after["Participant"] == before["Participant"] + 3


@FUZZ
@given(data=st.data())
def test_host_offer_form(world, data):
    session = world["session"]
    valid = {**host_offer_data(session), "dates_note": "", "contact_phone": ""}
    pairs = data.draw(spoiled(valid))
    path = reverse("registrations:host_offer", args=[session.series.slug])
    status, before, after = attempt(world["client"], "POST", path, pairs)
    # The offer form thanks on the same URL with a 200: accepted means exactly one offer more.
    assert after["HostOffer"] - before["HostOffer"] in (0, 1)
    assert {name: n for name, n in after.items() if name != "HostOffer"} == {
        name: n for name, n in before.items() if name != "HostOffer"
    }


@FUZZ
@given(data=st.data(), form=st.sampled_from(["change_details", "change_workshops"]))
def test_personal_page_forms(world, data, form):
    registration, conference = world["registration"], world["conference"]
    if form == "change_details":
        valid = {name: value for name, value in registration_form(conference).items() if not name.startswith("round_")}
    else:
        valid = {f"round_{r.number}": str(r.workshops.last().pk) for r in conference.rounds.all()}
    pairs = data.draw(spoiled(valid))
    status, before, after = attempt(
        world["client"], "POST", reverse(f"registrations:{form}", args=[registration.token]), pairs
    )
    assert after["Registration"] == before["Registration"]
    assert after["Participant"] == before["Participant"]


odd_segment = st.one_of(
    st.sampled_from(["%00", "%00abc", "%ED%A0%80", "..", "%2F", "0", "-1", "9" * 30, "a" * 300, "%E2%80%AE", "%0A"]),
    st.text(min_size=1, max_size=40).map(lambda text: quote(text.encode("utf-8", "surrogatepass"), safe="")),
)


@FUZZ
@given(segment=odd_segment, shape=st.integers(0, 11))
def test_urls_with_odd_tokens_ids_and_slugs(world, segment, shape):
    token = world["registration"].token
    material, mail = world["material"], world["mail"]
    conference = world["conference"]
    paths = [
        f"/aanmelding/{segment}/",
        f"/aanmelding/{segment}/bevestiging/",
        f"/aanmelding/{segment}/afmelden/",
        f"/aanmelding/{token}/mail/{segment}/",
        f"/aanmelding/{token}/materiaal/{segment}/",
        f"/aanmelding/{segment}/mail/{mail.pk}/",
        f"/aanmelding/{segment}/materiaal/{material.pk}/",
        f"/materiaal/{material.pk}/{segment}",
        f"/evenement/{segment}/",
        f"/reeks/{segment}/locatie-aanbieden/",
        f"/?organisatie={segment}&reeks={segment}&provincie={segment}",
        f"/inchecken/{conference.pk}/?q={segment}",
    ]
    attempt(world["client"], "GET", paths[shape])
    for name in ("cancel", "erase", "change_details"):
        path = (
            f"/aanmelding/{segment}/" + {"cancel": "afmelden/", "erase": "wissen/", "change_details": "gegevens/"}[name]
        )
        status, before, after = attempt(world["client"], "POST", path)
        assert after == before


@FUZZ
@given(query=hostile_text, payload=hostile_text)
def test_checkin_search_and_scan(world, query, payload):
    event = world["conference"]
    client = world["client"]
    attempt(client, "GET", reverse("checkin:event", args=[event.pk]) + "?" + encode([("q", query)]).decode("ascii"))
    status, before, after = attempt(client, "POST", reverse("checkin:scan", args=[event.pk]), [("payload", payload)])
    assert after == before


def test_report_how_many_inputs_were_tried():
    # Runs after the fuzz tests of this module (pytest keeps the file's order).
    tried = next(TRIED) - 1
    print(f"\nfuzz: {tried} requests with hostile input")
