"""Personal pages reached with another registration's token or with a token that was
altered: "not found", never someone else's data and never a server error."""

import pytest
from django.urls import reverse

from conftest import add_material, person
from registrations.models import Mail, Registration
from registrations.services.registering import register
from registrations.tests.conference_helpers import workshop_ids
from registrations.tests.team_helpers import sign_up
from workshops.models import Workshop

TOKEN_PAGES = ["manage", "confirmation", "change_details", "change_workshops", "cancel"]


def altered(token):
    """The ways a link gets broken or tampered with, as the path segment that replaces it."""
    changed = ("A" if token[0] != "A" else "B") + token[1:]
    return {
        "one character changed": changed,
        "truncated": token[:-1],
        "half": token[: len(token) // 2],
        "extra characters": token + "x",
        "NUL byte": token + "%00",
        "NUL byte inside": token[:10] + "%00" + token[10:],
        "encoded slash": token[:10] + "%2F" + token[10:],
        "space": token[:10] + "%20" + token[10:],
        "non-ASCII": token[:-1] + "%C3%A9",
        "far too long": token * 3,
    }


def personal_urls(registration, mail, material):
    """Every personal page of ``registration`` with ``{token}`` where its token goes."""
    urls = [reverse(f"registrations:{name}", args=["TOKEN"]) for name in TOKEN_PAGES]
    urls.append(reverse("registrations:mail_online", args=["TOKEN", mail.pk]))
    urls.append(reverse("registrations:material_file", args=["TOKEN", material.pk]))
    return [url.replace("TOKEN", "{token}") for url in urls]


@pytest.fixture
def chosen(conference):
    return Workshop.objects.get(round__event=conference, title="Workshop 1.1")


@pytest.fixture
def esther(conference):
    return register(conference.pk, people=[person(1, workshop_ids(conference, 0), given_name="Esthervandeeerste")])


@pytest.fixture
def other(conference):
    """Another registration of the same event, with workshops Esther did not choose."""
    return register(conference.pk, people=[person(2, workshop_ids(conference, 1), given_name="Otto")])


@pytest.fixture
def slides(chosen):
    return add_material(chosen, "Dia's", participants_only=True, filename="dias.pdf", content=b"%PDF-1.4 dia's")


def esthers_mail(esther):
    return Mail.objects.get(registration=esther, kind="acknowledgement")


def assert_not_found_and_nothing_changed(client, url, registration):
    for response in (client.get(url), client.post(url, {"given_name": "Indringer"})):
        # 405: a method the page does not take (GET on a form's POST address), refused
        # before any token is looked at.
        assert response.status_code in (404, 405), (url, response.status_code)
        page = response.content.decode(errors="replace")
        assert "Esthervandeeerste" not in page and "deelnemer1@example.org" not in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.participants.get().given_name == "Esthervandeeerste"


@pytest.mark.django_db
def test_another_registrations_token_never_opens_esthers_mail_or_file(client, esther, other, slides):
    mail = esthers_mail(esther)
    # Esther's own link works, so a 404 below is the other token's doing.
    assert client.get(reverse("registrations:mail_online", args=[esther.token, mail.pk])).status_code == 200
    assert client.get(reverse("registrations:material_file", args=[esther.token, slides.pk])).status_code == 200

    for url in personal_urls(esther, mail, slides)[-2:]:
        assert_not_found_and_nothing_changed(client, url.format(token=other.token), esther)


@pytest.mark.django_db
def test_another_registrations_token_shows_only_its_own_pages(client, esther, other, slides):
    for url in personal_urls(esther, esthers_mail(esther), slides)[:-2]:
        page = client.get(url.format(token=other.token)).content.decode()
        assert "Esthervandeeerste" not in page and "deelnemer1@example.org" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("alteration", list(altered("x" * 43)))
def test_an_altered_token_finds_nothing_on_any_personal_page(client, esther, slides, alteration):
    token = altered(esther.token)[alteration]
    for url in personal_urls(esther, esthers_mail(esther), slides):
        assert_not_found_and_nothing_changed(client, url.format(token=token), esther)


@pytest.mark.django_db
def test_the_teams_personal_page_with_an_altered_or_another_teams_token(client, team_session):
    team = sign_up(team_session, "Zutphen", 1)
    other = sign_up(team_session, "Ede", 2)
    mail = Mail.objects.filter(registration=team).first()
    own = client.get(reverse("registrations:manage", args=[team.token])).content.decode()
    assert "Zutphen" in own
    assert "Zutphen" not in client.get(reverse("registrations:manage", args=[other.token])).content.decode()
    assert client.get(reverse("registrations:mail_online", args=[other.token, mail.pk])).status_code == 404
    for token in altered(team.token).values():
        for url in (f"/aanmelding/{token}/", f"/aanmelding/{token}/afmelden/", f"/aanmelding/{token}/mail/{mail.pk}/"):
            assert client.get(url).status_code == 404, url
            assert client.post(url).status_code in (404, 405), url
    team.refresh_from_db()
    assert team.is_active
