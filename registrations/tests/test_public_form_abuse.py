"""The public forms under abuse: replayed stamps, bursts, robots, mail floods, address probing.

Each test prints its figures (requests sent, refused, mails queued); ``pytest -s`` shows them.
"""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from events.models import HostOffer
from regiodag.spam_trap import sign_start
from registrations.driehoek.admission import decline
from registrations.mails.rendering import render_parts
from registrations.models import Mail, Registration
from registrations.tests.conference_helpers import form_data, register_url, workshop_ids
from registrations.tests.event_day import organiser_client_fixture  # noqa: F401
from registrations.tests.team_helpers import form_data as team_data
from registrations.tests.team_helpers import host_offer_data

NO_LIMITS = {}


def figures(what, sent, refused, queued):
    print(f"\n{what}: {sent} requests sent, {refused} refused, {queued} mails queued")


def queued_mails():
    return Mail.objects.filter(status=Mail.Status.QUEUED).count()


@pytest.mark.django_db(transaction=True)
def test_thirty_posts_at_once_reusing_one_stamp_register_once(conference, settings):
    settings.REGIODAG_RATE_LIMITS = NO_LIMITS  # the stamp alone must hold
    stamp = sign_start(time.time() - 60)
    posts = [form_data(conference, n, started=stamp) for n in range(30)]

    def post(data):
        try:
            return Client().post(register_url(conference), data)
        finally:
            connection.close()

    # At once on PostgreSQL; the in-memory SQLite test database locks whole tables, so
    # there one after the other (the stamp's check is the cache's either way).
    with ThreadPoolExecutor(max_workers=10 if connection.vendor == "postgresql" else 1) as pool:
        responses = list(pool.map(post, posts))

    accepted = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if "Dit formulier is al verstuurd" in r.content.decode()]
    figures("one stamp, 30 posts", len(responses), len(refused), queued_mails())
    assert len(accepted) == 1 and len(refused) == 29
    assert Registration.objects.count() == 1
    assert Mail.objects.count() == 1
    # The refused form comes back with a stamp of its own, which can be sent once more.
    again = re.search(r'name="started" value="([^"]+)"', refused[0].content.decode()).group(1)
    assert again != stamp
    assert Client().post(register_url(conference), form_data(conference, 99, started=again)).status_code == 302


@pytest.mark.django_db
def test_a_burst_from_one_address_is_answered_429_in_dutch_and_english(conference, settings):
    settings.REGIODAG_RATE_LIMITS = {**settings.REGIODAG_RATE_LIMITS, "register-ip": "5/10m"}
    client = Client()
    responses = [client.post(register_url(conference), form_data(conference, n)) for n in range(8)]
    statuses = [r.status_code for r in responses]
    figures("burst from one address", len(responses), statuses.count(429), queued_mails())
    assert statuses == [302] * 5 + [429] * 3
    assert Registration.objects.count() == 5
    refused = responses[-1]
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 600
    page = refused.content.decode()
    minutes = -(-wait // 60)
    assert f"Probeer het over {minutes} minu" in page and "Uw gegevens zijn niet opgeslagen" in page
    assert '<a class="skip-link"' in page  # in the site's layout

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(register_url(conference), form_data(conference, 9)).content.decode()
    assert "Please try again in" in english
    # Another address is not held up.
    assert Client(REMOTE_ADDR="192.0.2.7").post(register_url(conference), form_data(conference, 10)).status_code == 302


@pytest.mark.django_db
def test_behind_a_proxy_the_limit_counts_the_client_address_the_proxy_saw(conference, settings):
    settings.REGIODAG_PROXY_COUNT = 1
    settings.REGIODAG_RATE_LIMITS = {**settings.REGIODAG_RATE_LIMITS, "register-ip": "2/10m"}

    def post(n, client_address):
        # The client may send an X-Forwarded-For of its own; the proxy appends the real one.
        proxy = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, {client_address}")
        return proxy.post(register_url(conference), form_data(conference, n)).status_code

    assert [post(n, "192.0.2.1") for n in range(3)] == [302, 302, 429]
    assert post(3, "192.0.2.2") == 302  # another client behind the same proxy


@pytest.mark.django_db
def test_one_email_address_from_many_client_addresses_is_limited(conference, settings):
    settings.REGIODAG_RATE_LIMITS = {**settings.REGIODAG_RATE_LIMITS, "register-email": "3/h"}
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}")
        .post(register_url(conference), form_data(conference, n, email="Slachtoffer@example.org "))
        .status_code
        for n in range(5)
    ]
    figures("one address from five clients", len(statuses), statuses.count(429), queued_mails())
    assert statuses == [302, 302, 302, 429, 429]
    assert Registration.objects.count() == 1


SPOILED = {
    "honeypot": ({"website": "https://spam.example"}, "kon niet worden verwerkt"),
    "too fast": ({"started": "now"}, "erg snel verstuurd"),
    "forged stamp": ({"started": "12345"}, "formulier is verlopen"),
}


def spoil(overrides):
    if overrides.get("started") == "now":
        return {**overrides, "started": sign_start()}
    return overrides


@pytest.mark.django_db
@pytest.mark.parametrize("spoiled", SPOILED, ids=list(SPOILED))
def test_team_form_refuses_robots_and_stores_nothing(client, team_session, settings, spoiled):
    settings.REGIODAG_MIN_FILL_SECONDS = 3
    overrides, message = SPOILED[spoiled]
    response = client.post(
        reverse("registrations:register_team", args=[team_session.slug]), team_data(**spoil(overrides))
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Registration.objects.exists() and not Mail.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("spoiled", SPOILED, ids=list(SPOILED))
def test_host_offer_form_refuses_robots_and_stores_nothing(client, team_session, settings, spoiled):
    settings.REGIODAG_MIN_FILL_SECONDS = 3
    overrides, message = SPOILED[spoiled]
    url = reverse("registrations:host_offer", args=[team_session.series.slug])
    response = client.post(url, host_offer_data(team_session, **spoil(overrides)))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not HostOffer.objects.exists()


@pytest.mark.django_db
def test_team_and_host_offer_forms_take_a_stamp_once(client, team_session):
    stamp = sign_start(time.time() - 60)
    team_url = reverse("registrations:register_team", args=[team_session.slug])
    assert client.post(team_url, team_data("Nijmegen", started=stamp)).status_code == 302
    replay = client.post(team_url, team_data("Arnhem", started=stamp, contact_email="contact@arnhem.nl"))
    assert "Dit formulier is al verstuurd" in replay.content.decode()
    assert Registration.objects.count() == 1

    stamp = sign_start(time.time() - 60)
    offer_url = reverse("registrations:host_offer", args=[team_session.series.slug])
    assert "host_offer_thanks" in client.post(offer_url, host_offer_data(team_session, started=stamp)).templates[0].name
    replay = client.post(offer_url, host_offer_data(team_session, started=stamp))
    assert "Dit formulier is al verstuurd" in replay.content.decode()
    assert HostOffer.objects.count() == 1


@pytest.mark.django_db
def test_team_form_is_rate_limited_per_member_address(client, team_session, settings):
    settings.REGIODAG_RATE_LIMITS = {**settings.REGIODAG_RATE_LIMITS, "team-email": "2/h"}
    url = reverse("registrations:register_team", args=[team_session.slug])
    victim = {"lid1-email": "slachtoffer@example.org"}
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}")
        .post(url, team_data(name, contact_email=f"contact@{name.lower()}.nl", **victim))
        .status_code
        for n, name in enumerate(["Nijmegen", "Arnhem", "Epe"])
    ]
    assert statuses == [302, 302, 429]


@pytest.mark.django_db
def test_fake_teams_naming_one_address_queue_at_most_the_cap(client, team_session, settings):
    settings.REGIODAG_UNSOLICITED_MAILS_PER_HOUR = 3
    url = reverse("registrations:register_team", args=[team_session.slug])
    towns = ["Nijmegen", "Arnhem", "Epe", "Zutphen", "Deventer"]
    statuses = [
        Client(REMOTE_ADDR=f"198.51.100.{n}").post(
            url,
            team_data(town, contact_email=f"contact@{town.lower()}.nl", **{"lid1-email": "slachtoffer@example.org"}),
        )
        for n, town in enumerate(towns)
    ]
    to_victim = Mail.objects.filter(recipient="slachtoffer@example.org")
    figures(
        "five fake teams naming one address",
        len(statuses),
        0,
        to_victim.filter(status=Mail.Status.QUEUED).count(),
    )
    assert Registration.objects.count() == 5  # the teams themselves await the organiser
    assert to_victim.filter(status=Mail.Status.QUEUED).count() == 3
    capped = to_victim.filter(status=Mail.Status.SKIPPED)
    assert capped.count() == 2
    assert {mail.last_error for mail in capped} == {
        "Niet verstuurd: te veel e-mails naar dit adres in het afgelopen uur."
    }
    # The other members' mails are theirs, and go.
    assert Mail.objects.exclude(recipient="slachtoffer@example.org").filter(status=Mail.Status.QUEUED).count() == 10


@pytest.mark.django_db
def test_registering_again_and_again_with_a_known_address_mails_it_at_most_the_cap(client, conference, settings):
    settings.REGIODAG_RATE_LIMITS = NO_LIMITS
    settings.REGIODAG_UNSOLICITED_MAILS_PER_HOUR = 3
    responses = [
        client.post(register_url(conference), form_data(conference, n, email="a@example.org")) for n in range(6)
    ]
    assert all(r.status_code == 302 for r in responses)
    queued = Mail.objects.filter(recipient="a@example.org", status=Mail.Status.QUEUED)
    figures("one known address, six posts", 6, 0, queued.count())
    assert sorted(queued.values_list("kind", flat=True)) == ["acknowledgement", "personal_link", "personal_link"]
    assert Mail.objects.filter(status=Mail.Status.SKIPPED).count() == 3


def without_tokens(html):
    return re.sub(r'(name="(?:csrfmiddlewaretoken|started)" value=")[^"]+"', r"\1…", html)


def answer(response, client):
    """What a visitor sees of a post: status, where it leads and that page."""
    page = client.get(response["Location"]).content.decode() if response.status_code == 302 else ""
    headers = sorted(name for name in response.headers if name not in {"Content-Length"})
    return response.status_code, response.get("Location"), headers, without_tokens(response.content.decode()), page


@pytest.mark.django_db
def test_a_known_address_gets_the_same_answer_as_a_new_one(conference, settings):
    settings.REGIODAG_RATE_LIMITS = NO_LIMITS
    Client().post(register_url(conference), form_data(conference, 1, email="bekend@example.org"))
    known, new = Client(), Client()
    same = {"given_name": "Probe", "family_name": "Probe"}
    known_answer = answer(
        known.post(register_url(conference), form_data(conference, 2, email="bekend@example.org", **same)), known
    )
    new_answer = answer(
        new.post(register_url(conference), form_data(conference, 2, email="nieuw@example.org", **same)), new
    )
    assert without_tokens(known_answer[4]) == without_tokens(new_answer[4])
    assert known_answer[:4] == new_answer[:4]
    assert "We hebben u een e-mail gestuurd" in new_answer[4]

    # The mail tells the owner what happened, with the link to the registration they have.
    link = Mail.objects.get(kind="personal_link")
    assert link.recipient == "bekend@example.org"
    _subject, text, _html = render_parts(link)
    assert "met dit adres is al een aanmelding gedaan" in text
    assert link.registration.token in text
    assert Registration.objects.filter(email="bekend@example.org").count() == 1


@pytest.mark.django_db
def test_a_known_address_is_refused_for_a_full_workshop_as_a_new_one_is(organisation, settings):
    from conftest import make_conference

    settings.REGIODAG_RATE_LIMITS = NO_LIMITS
    event = make_conference(organisation, workshop_capacity=1, slug="kleine-dag")
    Client().post(register_url(event), form_data(event, 1, email="bekend@example.org"))
    from registrations import form_page

    form_page.forget(event.slug)
    full = workshop_ids(event, 0)
    answers = []
    for email in ("bekend@example.org", "nieuw@example.org"):
        response = Client().post(register_url(event), form_data(event, 2, email=email, workshops=full))
        answers.append((response.status_code, without_tokens(response.content.decode()).replace(email, "…")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 200 and "is vol. Kies een andere workshop" in answers[0][1]


@pytest.mark.django_db
def test_with_the_cache_down_a_registration_still_succeeds_with_one_log_line(conference, settings, caplog):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        },
    }
    client = Client()
    responses = [client.post(register_url(conference), form_data(conference, n)) for n in range(2)]
    assert [r.status_code for r in responses] == [302, 302]
    assert Registration.objects.count() == 2
    lines = [r for r in caplog.records if r.name == "regiodag.cache"]
    assert len(lines) == 1 and "rate limits and start stamps go unchecked" in lines[0].getMessage()


@pytest.mark.django_db
def test_a_fake_team_holds_nothing_once_the_organiser_declines_it(client, team_session):
    url = reverse("registrations:register_team", args=[team_session.slug])
    client.post(url, team_data("Nijmegen", contact_email="nep@example.org"))
    fake = Registration.objects.get()
    assert fake.status == Registration.Status.APPLIED  # a place held, not a place given
    refused = client.post(url, team_data("Nijmegen"))
    assert "Gemeente Nijmegen heeft al een plaats" in refused.content.decode()
    assert "die kan een onterechte aanmelding afwijzen" in refused.content.decode()
    decline([fake.pk])
    assert client.post(url, team_data("Nijmegen")).status_code == 302
    assert Registration.objects.filter(status=Registration.Status.APPLIED).get().email == "contact@nijmegen.nl"


@pytest.mark.django_db
def test_check_in_search_and_scans_are_limited_per_organiser(organiser_client, conference, settings):
    settings.REGIODAG_RATE_LIMITS = {**settings.REGIODAG_RATE_LIMITS, "checkin-user": "3/m"}
    search = reverse("checkin:event", args=[conference.pk])
    statuses = [organiser_client.get(search, {"q": f"naam{n}"}).status_code for n in range(4)]
    assert statuses == [200, 200, 200, 429]
    scan = reverse("checkin:scan", args=[conference.pk])
    assert organiser_client.post(scan, {"payload": "onzin"}).status_code == 429
