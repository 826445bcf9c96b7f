"""Capacity is hard under real concurrency: separate database connections, one moment.

Fifty people want the ten places of one workshop at the same second; exactly ten get one
and every other gets a clear answer. Once with threads calling the service, once with real
HTTP requests against the live server (each request on its own connection). And thirty
people spread over workshops with room to spare want the ten places of the event: only
the event's lock keeps them apart.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from bench.http import FormClient
from conftest import make_conference, person
from registrations.errors import DuplicateRegistration, WorkshopFull
from registrations.models import Registration, WorkshopChoice
from registrations.services.registering import register
from registrations.tests.conference_helpers import form_data, register_url

PEOPLE = 50
PLACES = 10

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_workshop_day(organisation):
    """One round with one workshop of ten places; the event itself has room for all."""
    return make_conference(organisation, capacity=200, workshop_capacity=PLACES, rounds=1, per_round=1)


def test_fifty_threads_ten_places(small_workshop_day):
    event = small_workshop_day
    workshop = event.rounds.get().workshops.get()
    start = threading.Barrier(PEOPLE)

    def attempt(n):
        try:
            start.wait(timeout=30)
            register(event.pk, people=[person(n, [workshop.pk])])
            return "ok"
        except WorkshopFull as error:
            return error.messages[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        outcomes = list(pool.map(attempt, range(PEOPLE)))

    assert outcomes.count("ok") == PLACES
    refusals = [o for o in outcomes if o != "ok"]
    assert len(refusals) == PEOPLE - PLACES
    assert set(refusals) == {"De workshop ‘Workshop 1.1’ is vol. Kies een andere workshop."}
    assert Registration.objects.filter(status=Registration.Status.CONFIRMED).count() == PLACES
    assert WorkshopChoice.objects.filter(workshop=workshop).count() == PLACES


def test_fifty_http_requests_ten_places(small_workshop_day, live_server, monkeypatch, settings):
    # Fifty people from one address at once: a crowd the rate limits would stop.
    settings.REGIODAG_RATE_LIMITS = {}
    # The live server runs each request in a new thread: a connection kept for reuse would
    # outlive its thread and crowd the (shared) server's connection slots.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    event = small_workshop_day
    path = register_url(event)
    # Each POST its own data (and start stamp), built here: the client threads stay off the
    # database, as real browsers are.
    responses = crowd(live_server, path, [form_data(event, n) for n in range(PEOPLE)])

    confirmed = [r for r in responses if r[0] == 302 and r[1].endswith("/aanmelden/verstuurd/")]
    refused = [r for r in responses if r[0] == 200]
    assert len(confirmed) == PLACES
    assert len(refused) == PEOPLE - PLACES
    for _status, _location, body in refused:
        assert "Workshop 1.1’ is vol. Kies een andere workshop." in body.decode()
    assert Registration.objects.filter(status=Registration.Status.CONFIRMED).count() == PLACES


def crowd(live_server, path, filled_in):
    """Every visitor GETs the form, then all POST at the same moment; their responses."""
    start = threading.Barrier(len(filled_in))

    def attempt(data):
        client = FormClient(live_server.url)
        try:
            _status, _content, hidden = client.get_form(path)
            start.wait(timeout=60)
            return client.post_form(path, {**data, "csrfmiddlewaretoken": hidden["csrfmiddlewaretoken"]})
        finally:
            client.close()

    with ThreadPoolExecutor(max_workers=len(filled_in)) as pool:
        return list(pool.map(attempt, filled_in))


def test_thirty_http_requests_over_five_workshops_for_ten_event_places(
    organisation, live_server, monkeypatch, settings
):
    """The workshops have room for all (five of ten seats): the event's ten places are what
    thirty people contend for. Every other one asks for the waiting list."""
    settings.REGIODAG_RATE_LIMITS = {}
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    event = make_conference(organisation, capacity=PLACES, workshop_capacity=PLACES, rounds=1, per_round=5)
    workshops = list(event.rounds.get().workshops.order_by("pk").values_list("pk", flat=True))
    people = 3 * PLACES
    path = register_url(event)
    filled_in = [
        form_data(event, n, workshops=[workshops[n % 5]], waitlist="on" if n % 2 else None) for n in range(people)
    ]

    responses = crowd(live_server, path, filled_in)

    placed = [r for r in responses if r[0] == 302 and r[1].endswith("/aanmelden/verstuurd/")]
    refused = [r for r in responses if r[0] == 200]
    assert len(placed) + len(refused) == people
    for _status, _location, body in refused:
        assert "het evenement is inmiddels vol" in body.decode()
    confirmed = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
    waiting = Registration.objects.filter(event=event, status=Registration.Status.WAITLISTED)
    assert confirmed.count() == PLACES, f"{confirmed.count()} confirmed for {PLACES} places"
    assert len(placed) == PLACES + waiting.count()
    # Those who asked for the waiting list are placed or on it; the others placed or refused.
    asked = {data["email"] for data in filled_in if data.get("waitlist")}
    assert set(waiting.values_list("email", flat=True)) <= asked
    assert len(refused) == people - len(asked) - confirmed.exclude(email__in=asked).count()
    # The places went to several workshops: no workshop's lock kept these apart.
    assert len(set(confirmed.values_list("participants__choices__workshop", flat=True))) > 1


def test_same_address_at_the_same_moment_registers_once(small_workshop_day):
    event = small_workshop_day
    workshop = event.rounds.get().workshops.get()
    tries = 10
    start = threading.Barrier(tries)

    def attempt(n):
        try:
            start.wait(timeout=30)
            register(event.pk, people=[person(n, [workshop.pk], email="zelfde@example.org")])
            return "ok"
        except DuplicateRegistration as error:
            return error.existing.email if error.existing else "unknown"
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=tries) as pool:
        outcomes = list(pool.map(attempt, range(tries)))

    assert outcomes.count("ok") == 1
    assert outcomes.count("zelfde@example.org") == tries - 1
    assert Registration.objects.count() == 1
