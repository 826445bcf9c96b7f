"""The privacy statement: public, Dutch and English, linked from every page, true to the settings."""

import re

import pytest
from django.conf import settings as django_settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import reverse


def statement(client, language=None):
    if language:
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("events:privacy"))
    assert response.status_code == 200
    return response.content.decode()


def test_statement_is_at_privacy():
    assert reverse("events:privacy") == "/privacy/"


def test_statement_in_dutch_names_the_data_and_the_rights(client):
    html = statement(client)
    assert '<html lang="nl">' in html
    assert "<h1>Privacyverklaring</h1>" in html
    for fact in [
        "dieetwensen",
        "toegankelijkheid",
        "griffier, burgemeester of gemeentesecretaris",
        "Of u aanwezig was",
        "We geven uw gegevens niet aan derden.",
        "hun eigen organisatie",
        "inzage",
        "persoonlijke link",
        "Autoriteit Persoonsgegevens",
    ]:
        assert fact in html, fact


def test_statement_in_english_when_chosen(client, settings):
    settings.REGIODAG_RETENTION_DAYS = 365
    html = statement(client, "en")
    assert '<html lang="en">' in html
    assert "<h1>Privacy statement</h1>" in html
    assert "365 days after an event ends" in html
    assert "We do not pass your data on to third parties." in html
    assert "Privacyverklaring" not in html


@pytest.mark.parametrize(
    ("days", "dutch", "english"),
    [
        (180, "180 dagen na afloop van een evenement", "180 days after an event ends"),
        (1, "Eén dag na afloop van een evenement", "One day after an event ends"),
    ],
)
def test_retention_period_is_read_from_the_settings(client, settings, days, dutch, english):
    settings.REGIODAG_RETENTION_DAYS = days
    assert dutch in statement(client)
    assert english in statement(client, "en")


def test_the_cookies_it_names_are_the_ones_the_site_sets(client):
    html = statement(client)
    for name in [
        django_settings.CSRF_COOKIE_NAME,
        django_settings.LANGUAGE_COOKIE_NAME,
        django_settings.SESSION_COOKIE_NAME,
        CookieStorage.cookie_name,
    ]:
        assert f"<code>{name}</code>" in html


def test_headings_go_down_one_level_at_a_time(client):
    levels = [int(level) for level in re.findall(r"<h([1-6])[\s>]", statement(client))]
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "text"), [("nl", "Privacyverklaring"), ("en", "Privacy statement")])
def test_footer_links_to_the_statement(client, language, text):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("events:catalogue")).content.decode()
    footer = html.split('<footer class="site-footer">', 1)[1]
    assert f'<a href="/privacy/">{text}</a>' in footer


def test_footer_marks_the_statement_as_the_current_page(client):
    footer = statement(client).split('<footer class="site-footer">', 1)[1]
    assert '<a href="/privacy/" aria-current="page">Privacyverklaring</a>' in footer


@pytest.mark.parametrize(
    ("language", "facts"),
    [
        (
            "nl",
            [
                '<h2 id="locatie-aanbieden">Als uw gemeente een locatie aanbiedt</h2>',
                "de naam, het e-mailadres en het telefoonnummer van de contactpersoon",
                "alleen om de locatie af te spreken",
                "vraagt het formulier de toestemming van de contactpersoon; we leggen vast wanneer die is gegeven",
                "180 dagen na afloop van de laatste bijeenkomst waarvoor de locatie is aangeboden",
                "noemt het aanbod geen bijeenkomst, dan 180 dagen na ontvangst",
            ],
        ),
        (
            "en",
            [
                '<h2 id="locatie-aanbieden">If your municipality offers a venue</h2>',
                "the name, e-mail address and phone number of its contact person",
                "only to arrange the venue",
                "the form asks the contact person’s consent, and we record when it was given",
                "180 days after the last session the venue was offered for has ended",
                "if the offer names no session, 180 days after it arrived",
            ],
        ),
    ],
)
def test_statement_covers_a_municipalitys_offer_to_host_a_session(client, settings, language, facts):
    settings.REGIODAG_RETENTION_DAYS = 180
    html = " ".join(statement(client, language).split())
    for fact in facts:
        assert fact in html, fact


CONTROLLER = {
    "name": "Gemeente Testerdam",
    "address": "Raadhuisplein 1, 1234 AB Testerdam",
    "email": "privacy@testerdam.nl",
}
DPO = {"name": "mr. F.G. Waakzaam", "email": "fg@testerdam.nl"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_statement_names_the_controller_and_dpo_from_the_settings(client, settings, language):
    settings.REGIODAG_CONTROLLER = CONTROLLER
    settings.REGIODAG_DPO = DPO
    html = " ".join(statement(client, language).split())
    for value in [*CONTROLLER.values(), *DPO.values()]:
        assert value in html, value
    assert '<a href="mailto:fg@testerdam.nl">fg@testerdam.nl</a>' in html
    assert {"nl": "functionaris gegevensbescherming", "en": "data protection officer"}[language] in html
    assert {"nl": "Verwerkingsverantwoordelijke", "en": "controller"}[language] in html


@pytest.mark.parametrize(
    ("basis", "language", "said", "not_said"),
    [
        ("public_task", "nl", "artikel 6, lid 1, onder e van de AVG", "artikel 6, lid 1, onder a"),
        ("public_task", "en", "Article 6(1)(e) of the GDPR", "Article 6(1)(a)"),
        ("consent", "nl", "artikel 6, lid 1, onder a van de AVG", "artikel 6, lid 1, onder e"),
        ("consent", "en", "Article 6(1)(a) of the GDPR", "Article 6(1)(e)"),
    ],
)
def test_legal_basis_is_the_settings(client, settings, basis, language, said, not_said):
    settings.REGIODAG_LEGAL_BASIS = basis
    html = " ".join(statement(client, language).split())
    assert said in html and not_said not in html


def test_public_task_is_the_default_legal_basis():
    assert django_settings.REGIODAG_LEGAL_BASIS == "public_task"


@pytest.mark.parametrize(("language", "word"), [("nl", "anoniem"), ("en", "anonym")])
def test_statement_promises_erasure_and_counts_not_anonymity(client, language, word):
    html = " ".join(statement(client, language).split())
    assert word not in html.casefold()
    for fact in {
        "nl": [
            "Meldt u zich af, dan wissen we meteen uw dieetwensen",
            "bij een driehoek de gemeente",
            "de namen in het logboek van de organisatoren",
            "Wat overblijft zijn aantallen",
            "uw gegevens meteen laten wissen",
            "downloadt u ook alles wat we bij uw aanmelding bewaren",
        ],
        "en": [
            "If you cancel, we erase your dietary requirements",
            "for a driehoek team the municipality",
            "the names in the organisers’ log",
            "What remains are numbers",
            "have your data erased straight away",
            "you can also download everything we keep",
        ],
    }[language]:
        assert fact in html, fact
