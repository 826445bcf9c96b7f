"""/health/ tells the monitoring whether the database, the broker, beat's relay and the
mails are well; /health/live/ tells the load balancer whether this instance can serve."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import make_conference, person
from registrations import health
from registrations.models import Heartbeat, Mail
from registrations.services.registering import register
from registrations.tasks import hand_over_mails
from registrations.tests.test_outage_logs import CLOSED_BROKER, database_unreachable

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _heartbeat_written_now():
    health._last_heartbeat[0] = float("-inf")


def probe(path="/health/"):
    response = Client().get(path)
    return response.status_code, json.loads(response.content), response


@pytest.fixture
def registered(conference):
    register(conference.pk, people=[person(1, [r.workshops.first().pk for r in conference.rounds.all()])])
    return Mail.objects.get()


def test_all_well_is_200_with_every_check_and_no_personal_data(registered, empty_broker):
    hand_over_mails()  # beat's relay: hands the acknowledgement over and leaves its heartbeat
    status, body, response = probe()
    assert status == 200 and body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "beat", "mail"}
    assert body["checks"]["beat"]["relay_seconds_ago"] < 5
    assert body["checks"]["mail"] == {"ok": True, "oldest_unsent_seconds": 0, "delayed": 0, "failed": 0}
    content = response.content.decode()
    assert "deelnemer1" not in content and "Mark1" not in content
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_beat_that_has_not_run_lately_is_503(db):
    assert probe()[:2][0] == 503  # never ran
    Heartbeat.objects.create(name=health.RELAY, at=timezone.now() - timedelta(minutes=5))
    status, body, _response = probe()
    assert status == 503 and body["status"] == "failing"
    assert body["checks"]["beat"] == {"ok": False, "relay_seconds_ago": 300}
    assert probe("/health/live/")[0] == 200  # the load balancer keeps the instance


def test_a_mail_waiting_over_an_hour_is_503_and_refused_mails_are_counted(registered):
    health.relay_ran()
    Mail.objects.update(created_at=timezone.now() - timedelta(hours=2))
    status, body, _response = probe()
    assert status == 503
    mail = body["checks"]["mail"]
    assert (mail["ok"], mail["delayed"], mail["failed"]) == (False, 1, 0)
    assert 7190 < mail["oldest_unsent_seconds"] < 7300
    Mail.objects.update(status=Mail.Status.FAILED)
    status, body, _response = probe()
    assert status == 200 and body["checks"]["mail"]["failed"] == 1


def test_a_broker_that_does_not_answer_is_503_but_the_instance_still_serves(settings):
    health.relay_ran()
    settings.CELERY_BROKER_URL = CLOSED_BROKER
    status, body, _response = probe()
    assert status == 503 and body["checks"]["broker"] == {"ok": False}
    assert probe("/health/live/")[:2] == (200, {"status": "ok", "checks": {"database": {"ok": True}}})


@pytest.mark.django_db(transaction=True)
def test_a_database_that_does_not_answer_is_503_for_both():
    with database_unreachable():
        status, body, _response = probe()
        assert status == 503 and body["checks"]["database"] == {"ok": False}
        assert probe("/health/live/")[0] == 503


def test_the_probes_are_not_rate_limited(db, settings):
    health.relay_ran()
    settings.REGIODAG_RATE_LIMITS = dict.fromkeys(settings.REGIODAG_RATE_LIMITS, "1/h")
    assert {probe()[0] for _ in range(20)} == {200}


def test_the_relay_records_its_heartbeat_at_most_twice_a_minute(db):
    hand_over_mails()
    first = Heartbeat.objects.get(name=health.RELAY).at
    hand_over_mails()  # a second later: no new write
    assert Heartbeat.objects.get(name=health.RELAY).at == first


def test_the_admin_home_counts_failed_and_delayed_mails_of_the_organisers_own_events(
    client, admin_client, organiser, registered, other_organisation
):
    theirs = make_conference(other_organisation, slug="elders", rounds=0)
    register(theirs.pk, people=[person(8)])
    Mail.objects.filter(registration__event=theirs).update(status=Mail.Status.FAILED)
    Mail.objects.filter(pk=registered.pk).update(created_at=timezone.now() - timedelta(hours=2))

    client.force_login(organiser)
    own = client.get(reverse("admin:index")).content.decode()
    assert "0 e-mails definitief geweigerd door de ontvangende server" in own
    assert "1 e-mail langer dan een uur onderweg" in own
    platform = admin_client.get(reverse("admin:index")).content.decode()
    assert "1 e-mail definitief geweigerd door de ontvangende server" in platform
    assert "1 e-mail langer dan een uur onderweg" in platform


def test_the_probes_answer_over_plain_http_where_pages_redirect_to_https(db, settings):
    health.relay_ran()
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/privacy/").status_code == 301
    assert probe()[0] == 200 and probe("/health/live/")[0] == 200
