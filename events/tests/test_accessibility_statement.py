"""The accessibility statement: public, after the national model, true to the settings and
to what the tests check, linked from every page's footer next to the privacy statement."""

from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def statement(client, language=None):
    if language:
        client.cookies["django_language"] = language
    response = client.get(reverse("events:accessibility"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_statement_names_status_testing_exceptions_and_contact_from_the_settings(client, settings):
    settings.REGIODAG_CONTROLLER = {"name": "Gemeente Testdorp", "address": "Markt 1, Testdorp", "email": "p@t.nl"}
    settings.REGIODAG_ACCESSIBILITY = {"email": "toegankelijk@testdorp.nl", "drawn_up": "2026-12-06"}
    html = statement(client)
    assert "<h1>Toegankelijkheidsverklaring</h1>" in html
    for fact in [
        "Gemeente Testdorp wil dat iedereen",
        "WCAG) 2.1, niveau A en AA",
        "Status C: eerste maatregelen genomen",
        "axe-core",
        "in het Nederlands en in het Engels",
        "Het kleurcontrast is alleen automatisch getoetst, nog niet met de hand",
        "De beheeromgeving voor organisatoren is niet getoetst.",
        'href="mailto:toegankelijk@testdorp.nl"',
        "Markt 1, Testdorp",
        "zondag 6 december 2026",
    ]:
        assert fact in html, fact


def test_the_statement_in_english(client):
    html = statement(client, "en")
    assert "<h1>Accessibility statement</h1>" in html and "Compliance status" in html


def test_every_page_links_it_next_to_the_privacy_statement(client):
    for url in (reverse("events:catalogue"), reverse("events:privacy"), reverse("events:accessibility")):
        footer = client.get(url).content.decode().split('<footer class="site-footer">')[1]
        privacy, accessibility = footer.index('href="/privacy/"'), footer.index('href="/toegankelijkheid/"')
        assert privacy < accessibility


def test_the_axe_test_visits_it():
    axe_test = (Path(__file__).parent / "test_accessibility.py").read_text()
    assert 'checker.visit(reverse("events:accessibility")' in axe_test
