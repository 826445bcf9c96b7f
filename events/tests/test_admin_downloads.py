"""Organisers fetch uploaded files through the admin's download views, scoped to their own
organisations: the admin links there, not to /media/ (which production does not serve)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse

from conftest import add_material, assert_download, make_conference
from events.models import SessionDocument
from workshops.models import Workshop

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def material_url(material):
    return reverse("admin:workshops_material_file", args=[material.pk])


def document_url(document):
    return reverse("admin:events_sessiondocument_file", args=[document.pk])


@pytest.fixture
def material(conference):
    workshop = Workshop.objects.get(round__event=conference, title="Workshop 1.1")
    return add_material(workshop, "Dia's", participants_only=True, filename="dias.pptx", content=b"PK\x03\x04 dia's")


@pytest.fixture
def document(team_session):
    return SessionDocument.objects.create(
        event=team_session, kind="programme", title="Programma", file=ContentFile(b"%PDF-1.4", name="programma.pdf")
    )


def test_organiser_downloads_material_of_their_own_event(client, organiser, material):
    client.force_login(organiser)
    pptx = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert_download(client.get(material_url(material)), b"PK\x03\x04 dia's", pptx, "dias.pptx")


def test_organiser_downloads_a_session_document_of_their_own_session(client, organiser, document):
    client.force_login(organiser)
    assert_download(client.get(document_url(document)), b"%PDF-1.4", "application/pdf", "programma.pdf")


def test_another_organisations_organiser_gets_not_found(client, other_organiser, material, document):
    client.force_login(other_organiser)
    assert client.get(material_url(material)).status_code == 404
    assert client.get(document_url(document)).status_code == 404


def test_platform_administrator_downloads_everything(client, material, document):
    admin = get_user_model().objects.create_superuser("beheerder", "beheer@example.org", "geheim-wachtwoord-123")
    client.force_login(admin)
    assert client.get(material_url(material)).status_code == 200
    assert client.get(document_url(document)).status_code == 200


def test_staff_without_the_view_permission_is_refused(client, organisation, material, document):
    staff = get_user_model().objects.create_user("medewerker", "m@example.org", "geheim-wachtwoord-123", is_staff=True)
    organisation.members.add(staff)
    client.force_login(staff)
    assert client.get(material_url(material)).status_code == 403
    assert client.get(document_url(document)).status_code == 403


def test_visitors_who_are_not_logged_in_are_sent_to_the_login(client, material):
    response = client.get(material_url(material))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_material_of_another_organisations_event_is_not_found_even_with_a_file(
    client, organiser, other_organisation, venue
):
    theirs = make_conference(other_organisation, venue, slug="hun-dag")
    workshop = Workshop.objects.get(round__event=theirs, title="Workshop 1.1")
    their_material = add_material(workshop, "Vragen", filename="vragen.pdf")
    client.force_login(organiser)
    assert client.get(material_url(their_material)).status_code == 404


def test_change_pages_link_to_the_download_views_not_to_media(client, organiser, material, document):
    client.force_login(organiser)
    workshop_page = client.get(reverse("admin:workshops_workshop_change", args=[material.workshop_id]))
    html = workshop_page.content.decode()
    assert f'<a href="{material_url(material)}">dias.pptx</a>' in html
    event_page = client.get(reverse("admin:events_event_change", args=[document.event_id]))
    html += event_page.content.decode()
    assert f'<a href="{document_url(document)}">programma.pdf</a>' in html
    assert "/media/" not in html
