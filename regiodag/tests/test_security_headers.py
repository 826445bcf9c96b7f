"""Content-Security-Policy (django-csp), Permissions-Policy and Cross-Origin-Opener-Policy on the
site's pages and the admin's; a mail read online may keep its inline styles.

The same pages in real Chromium, with no violation at all: registrations/tests/test_csp_browser.py.
"""

import re

import pytest
from django.urls import reverse

from conftest import person
from registrations.services.registering import register
from registrations.tests.event_day import organiser_client_fixture, workshops_of  # noqa: F401

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def directives(policy):
    """A policy as {directive: sources}: django-csp writes the directives in no fixed order."""
    return {name: sources for name, *sources in (part.split() for part in policy.split(";"))}


NO_FEATURES = "camera=(), microphone=(), geolocation=()"

# What the policy would block: a <script> without src, a <style> element, a style="…" attribute,
# an event handler attribute (onclick="…") or a javascript: link.
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]|\sstyle=|\son[a-z]+=|javascript:", re.IGNORECASE)


@pytest.fixture
def esther(conference):
    return register(conference.pk, people=[person(1, workshops_of(conference))])


def site_pages(client, conference, team_session, registration):
    register_page = reverse("registrations:register", args=[conference.slug])
    return {
        "catalogue": client.get(reverse("events:catalogue")),
        "past events": client.get(reverse("events:past")),
        "event page": client.get(reverse("events:detail", args=[conference.slug])),
        "privacy": client.get(reverse("events:privacy")),
        "registration form": client.get(register_page),
        "registration form with errors": client.post(register_page, {}),
        "driehoek form": client.get(reverse("registrations:register_team", args=[team_session.slug])),
        "personal page": client.get(reverse("registrations:manage", args=[registration.token])),
        "cancel page": client.get(reverse("registrations:cancel", args=[registration.token])),
        "not found": client.get("/bestaat-niet/"),
    }


@pytest.mark.django_db
def test_every_site_page_gets_the_strict_policy_and_needs_nothing_inline(client, conference, team_session, esther):
    for what, response in site_pages(client, conference, team_session, esther).items():
        assert response.status_code in (200, 404), what
        assert directives(response["Content-Security-Policy"]) == directives(POLICY), what
        assert response["Permissions-Policy"] == NO_FEATURES, what
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", what
        assert response["X-Frame-Options"] == "DENY", what
        assert not INLINE.findall(response.content.decode()), what


@pytest.mark.django_db
def test_check_in_page_may_use_the_camera_and_loads_its_script_as_a_file(organiser_client, conference, esther):
    response = organiser_client.get(reverse("checkin:event", args=[conference.pk]))
    assert directives(response["Content-Security-Policy"]) == directives(POLICY)
    assert response["Permissions-Policy"] == "camera=(self), microphone=(), geolocation=()"
    content = response.content.decode()
    assert '<script src="/static/js/checkin.js"></script>' in content
    assert not INLINE.findall(content)

    index = organiser_client.get(reverse("checkin:index"))
    assert directives(index["Content-Security-Policy"]) == directives(POLICY)
    assert index["Permissions-Policy"] == NO_FEATURES
    count = organiser_client.get(reverse("checkin:count", args=[conference.pk]))
    assert count.json() == {"present": 0, "expected": 1}
    assert "Content-Security-Policy" not in count  # JSON: no document to protect


def test_the_check_in_script_is_served_as_a_static_file(client):
    response = client.get("/static/js/checkin.js")
    assert response.status_code == 200
    script = b"".join(response.streaming_content).decode()
    assert "BarcodeDetector" in script and 'getElementById("telling")' in script


@pytest.mark.django_db
def test_a_mail_read_online_may_keep_its_inline_styles_and_nothing_more(client, esther):
    mail = esther.mails.get()
    response = client.get(reverse("registrations:mail_online", args=[esther.token, mail.pk]))
    assert response.status_code == 200
    assert ' style="' in response.content.decode()
    assert directives(response["Content-Security-Policy"]) == {
        **directives(POLICY),
        "style-src": ["'self'", "'unsafe-inline'"],
    }
    assert response["Permissions-Policy"] == NO_FEATURES


@pytest.mark.django_db
def test_the_admin_gets_the_same_policy_and_needs_nothing_inline(client, admin_client, conference, esther):
    for response in (
        client.get(reverse("admin:login")),
        admin_client.get(reverse("admin:index")),
        admin_client.get(reverse("admin:events_event_change", args=[conference.pk])),
        admin_client.get(reverse("admin:registrations_registration_changelist")),
        admin_client.get(reverse("admin:registrations_registration_change", args=[esther.pk])),
        admin_client.get(reverse("admin:registrations_registration_mail_preview", args=[esther.pk, "cancelled"])),
        admin_client.get(reverse("admin:registrations_capacity")),
    ):
        assert response.status_code == 200
        assert directives(response["Content-Security-Policy"]) == directives(POLICY)
        assert "Permissions-Policy" not in response
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert not INLINE.findall(response.content.decode())


@pytest.mark.django_db
def test_production_extends_the_policy_through_the_setting(client, settings):
    policy = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**policy, "img-src": [*policy["img-src"], "https://stats.example.nl"]}
    }
    settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = ["https://csp.example.nl/report"]
    policy = client.get(reverse("events:catalogue"))["Content-Security-Policy"]
    assert directives(policy)["img-src"] == ["'self'", "data:", "https://stats.example.nl"]
    assert policy.endswith("; report-uri https://csp.example.nl/report")


def test_the_environment_variable_reads_as_directives(monkeypatch):
    from regiodag.settings import env_directives

    monkeypatch.setenv("REGIODAG_CSP", " img-src https://stats.example.nl ; ; report-uri /csp-rapport;")
    assert env_directives("REGIODAG_CSP") == [["img-src", "https://stats.example.nl"], ["report-uri", "/csp-rapport"]]
    monkeypatch.delenv("REGIODAG_CSP")
    assert env_directives("REGIODAG_CSP") == []
