"""Public workshop material: on the event page, and its files through a view, not /media/."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import add_material, assert_download
from events.models import Event
from workshops.models import Workshop

pytestmark = pytest.mark.usefixtures("media_root")


def event_page(client, event):
    response = client.get(reverse("events:detail", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    return response.content.decode()


def public_url(material):
    return reverse("workshops:material_file", args=[material.pk, material.download.name])


@pytest.fixture
def workshop(conference):
    return Workshop.objects.get(round__event=conference, title="Workshop 1.1")


@pytest.mark.django_db
def test_event_page_shows_public_material_with_its_file_and_not_the_participants_material(client, conference, workshop):
    public = add_material(
        workshop, "Vragen vooraf", body="Eerste vraag\nTweede <b>vraag</b>", filename="vragen.pdf", content=b"x" * 2048
    )
    add_material(workshop, "Dia's van de workshop", participants_only=True, filename="dias.pdf")

    html = event_page(client, conference)

    section = html.split("Workshop 1.1", 1)[1].split("Workshop 1.2", 1)[0]
    assert '<h5 class="h6 mb-1">Vragen vooraf</h5>' in section
    assert "<p>Eerste vraag<br>Tweede &lt;b&gt;vraag&lt;/b&gt;</p>" in section
    assert f'<a href="{public_url(public)}">Vragen vooraf downloaden (PDF, 2,0\xa0KB)</a>' in section
    assert "Dia" not in html and "dias.pdf" not in html
    assert "/media/" not in html


@pytest.mark.django_db
def test_material_without_a_file_shows_its_text_and_no_link(client, conference, workshop):
    add_material(workshop, "Leesvoer", body="Lees de visie van BZK.")
    html = event_page(client, conference)
    assert "Lees de visie van BZK." in html
    assert "Leesvoer downloaden" not in html


@pytest.mark.django_db
def test_material_costs_the_event_page_one_query_whatever_its_amount(client, conference, workshop):
    with CaptureQueriesContext(connection) as without:
        event_page(client, conference)
    add_material(workshop, "Vragen", filename="vragen.pdf")
    with CaptureQueriesContext(connection) as with_one:
        event_page(client, conference)
    for other in Workshop.objects.filter(round__event=conference):
        for n in range(3):
            add_material(other, f"Stuk {n}", filename=f"stuk-{n}.pdf")
    with CaptureQueriesContext(connection) as with_many:
        html = event_page(client, conference)
    assert html.count("downloaden (PDF") == 13
    # The material's one query is asked also when there is none (it cannot know beforehand).
    assert len(without) == len(with_one) == len(with_many)


@pytest.mark.django_db
def test_public_file_comes_with_its_name_type_and_nosniff(client, workshop):
    material = add_material(workshop, "Vragen", filename="Vragen-vooraf.pdf", content=b"%PDF-1.4 de vragen")
    response = client.get(public_url(material))
    assert_download(response, b"%PDF-1.4 de vragen", "application/pdf", "Vragen-vooraf.pdf")


@pytest.mark.django_db
def test_participants_material_is_not_public(client, workshop):
    material = add_material(workshop, "Dia's", participants_only=True, filename="dias.pdf")
    assert client.get(public_url(material)).status_code == 404


@pytest.mark.django_db
def test_public_file_needs_its_own_name_and_a_public_event(client, conference, workshop):
    material = add_material(workshop, "Vragen", filename="vragen.pdf")
    assert client.get(reverse("workshops:material_file", args=[material.pk, "anders.pdf"])).status_code == 404
    Event.objects.filter(pk=conference.pk).update(status=Event.Status.DRAFT)
    assert client.get(public_url(material)).status_code == 404


@pytest.mark.django_db
def test_a_file_gone_from_the_disk_is_not_found_and_not_offered(client, conference, workshop):
    material = add_material(workshop, "Vragen", filename="vragen.pdf")
    url = public_url(material)
    material.file.storage.delete(material.file.name)
    assert client.get(url).status_code == 404
    html = event_page(client, conference)
    assert "Vragen" in html and "Vragen downloaden" not in html


@pytest.mark.django_db
def test_uploads_are_not_served_under_media(client, workshop):
    material = add_material(workshop, "Dia's", participants_only=True, filename="dias.pdf")
    assert client.get(f"/media/{material.file.name}").status_code == 404
