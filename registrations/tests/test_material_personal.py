"""Workshop material on the personal page and its files through the personal link: only for
a registration that holds a place, and only for the workshops its participants chose."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import add_material, assert_download, make_conference, person
from registrations.models import Registration
from registrations.services.registering import cancel, register
from registrations.tests.conference_helpers import workshop_ids
from workshops.models import Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def personal_page(client, registration):
    response = client.get(reverse("registrations:manage", args=[registration.token]), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    return response.content.decode()


def file_url(registration, material):
    return reverse("registrations:material_file", args=[registration.token, material.pk])


@pytest.fixture
def chosen(conference):
    return Workshop.objects.get(round__event=conference, title="Workshop 1.1")


@pytest.fixture
def not_chosen(conference):
    return Workshop.objects.get(round__event=conference, title="Workshop 1.2")


@pytest.fixture
def registration(conference):
    return register(conference.pk, people=[person(1, workshop_ids(conference, 0))])


@pytest.fixture
def slides(chosen):
    return add_material(chosen, "Dia's", participants_only=True, filename="dias.pdf", content=b"%PDF-1.4 dia's")


def test_personal_page_shows_all_material_of_the_chosen_workshops(client, registration, chosen, not_chosen, slides):
    add_material(chosen, "Vragen", body="Waar staat de regio\nover tien jaar?")
    add_material(not_chosen, "Andermans dia's", participants_only=True, filename="ander.pdf")

    html = personal_page(client, registration)

    assert '<h2 id="materiaal">Materiaal voor uw workshops</h2>' in html
    assert '<h3 class="h5 mt-3">Workshop 1.1</h3>' in html
    assert f'<a href="{file_url(registration, slides)}">Dia&#x27;s downloaden (PDF, 14\xa0bytes)</a>' in html
    assert "<p>Waar staat de regio<br>over tien jaar?</p>" in html
    assert "Andermans" not in html and "ander.pdf" not in html
    section = html.split('<h2 id="materiaal">', 1)[1].split("</section>", 1)[0]
    assert "Workshop 2.1" not in section  # chosen, but without material
    assert "/media/" not in html


def test_personal_page_without_material_has_no_material_section(client, registration):
    assert "Materiaal voor uw workshops" not in personal_page(client, registration)


def test_material_costs_the_personal_page_two_queries_whatever_its_amount(client, conference, registration, chosen):
    add_material(chosen, "Dia's", participants_only=True, filename="dias.pdf")
    with CaptureQueriesContext(connection) as with_one:
        personal_page(client, registration)
    for workshop in Workshop.objects.filter(pk__in=workshop_ids(conference, 0)):
        for n in range(3):
            add_material(workshop, f"Stuk {n}", participants_only=True, filename=f"stuk-{n}.pdf")
    with CaptureQueriesContext(connection) as with_many:
        html = personal_page(client, registration)
    assert html.count("downloaden (PDF") == 7
    assert len(with_many) == len(with_one)


def test_participants_file_through_the_personal_link(client, registration, slides):
    response = client.get(file_url(registration, slides))
    assert_download(response, b"%PDF-1.4 dia's", "application/pdf", "dias.pdf")


def test_another_registrations_link_does_not_fetch_material_of_a_workshop_it_did_not_choose(
    client, conference, registration, not_chosen, slides
):
    other = register(conference.pk, people=[person(2, workshop_ids(conference, 1))])
    assert client.get(file_url(other, slides)).status_code == 404
    theirs = add_material(not_chosen, "Andermans dia's", participants_only=True, filename="ander.pdf")
    assert client.get(file_url(registration, theirs)).status_code == 404
    assert client.get(file_url(other, theirs)).status_code == 200


def test_an_unknown_token_fetches_nothing(client, slides):
    url = reverse("registrations:material_file", args=["x" * 43, slides.pk])
    assert client.get(url).status_code == 404


def test_waiting_list_sees_no_material_and_fetches_no_file(client, organisation, venue):
    event = make_conference(organisation, venue, capacity=1, slug="klein")
    chosen = Workshop.objects.get(round__event=event, title="Workshop 1.1")
    slides = add_material(chosen, "Dia's", participants_only=True, filename="dias.pdf")
    public = add_material(chosen, "Vragen", filename="vragen.pdf")
    register(event.pk, people=[person(1, workshop_ids(event, 0))])
    waiting = register(event.pk, people=[person(2, workshop_ids(event, 0))], waitlist=True)
    assert waiting.status == Registration.Status.WAITLISTED

    html = personal_page(client, waiting)
    assert "Materiaal voor uw workshops" not in html and "Dia" not in html
    assert client.get(file_url(waiting, slides)).status_code == 404
    # Public material stays on the event page for everyone, but not through this link.
    assert client.get(file_url(waiting, public)).status_code == 404


def test_cancelled_registration_loses_the_material(client, registration, slides):
    assert client.get(file_url(registration, slides)).status_code == 200
    cancel(registration.pk)
    assert "Materiaal voor uw workshops" not in personal_page(client, registration)
    assert client.get(file_url(registration, slides)).status_code == 404


def test_material_without_a_file_has_no_download(client, registration, chosen):
    text_only = add_material(chosen, "Vragen", participants_only=True, body="Denk na over de regio.")
    assert "Denk na over de regio." in personal_page(client, registration)
    assert client.get(file_url(registration, text_only)).status_code == 404
