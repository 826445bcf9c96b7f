"""Attendance and participant lists from the admin, and their organisation scoping."""

import pytest
from django.urls import reverse

from conftest import person
from registrations.services.registering import register
from registrations.tests.event_day import organiser_client_fixture  # noqa: F401
from registrations.tests.pdf_helpers import pdf_pages


@pytest.fixture
def workshop(conference):
    return conference.rounds.get(number=1).workshops.order_by("pk")[0]


@pytest.fixture
def registered(conference, workshop):
    others = [r.workshops.order_by("pk")[0].pk for r in conference.rounds.exclude(number=1)]
    register(
        conference.pk,
        people=[person(1, [workshop.pk, *others], family_name="Lijst", organisation="+31 Gemeente")],
    )


def urls(conference, workshop):
    return [
        reverse("admin:events_event_attendance_list", args=[conference.pk]),
        reverse("admin:workshops_workshop_attendance_list", args=[workshop.pk]),
        reverse("admin:workshops_workshop_participants_pdf", args=[workshop.pk]),
        reverse("admin:workshops_workshop_participants_csv", args=[workshop.pk]),
    ]


@pytest.mark.django_db
def test_organiser_downloads_every_list(organiser_client, conference, workshop, registered):
    event_list, workshop_list, host_pdf, host_csv = (organiser_client.get(url) for url in urls(conference, workshop))

    assert "Lijst, Esther van der" in pdf_pages(event_list.content)[0]
    assert "Handtekening" in pdf_pages(workshop_list.content)[0]
    assert "Workshop 1.1" in pdf_pages(host_pdf.content)[0]
    assert host_csv["Content-Type"].startswith("text/csv")
    assert host_csv.content.decode() == (
        "\ufeffAchternaam;Tussenvoegsel;Voornaam;Organisatie;Functie\r\n"
        "Lijst;van der;Esther;'+31 Gemeente;beleidsadviseur\r\n"
    )


@pytest.mark.django_db
def test_attendance_list_action_for_selected_events(organiser_client, conference, registered):
    response = organiser_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "print_attendance_lists", "_selected_action": [conference.pk]},
    )

    assert "Lijst, Esther van der" in pdf_pages(response.content)[0]


@pytest.mark.django_db
def test_workshop_changelist_links_to_its_lists(organiser_client, conference, workshop):
    content = organiser_client.get(reverse("admin:workshops_workshop_changelist")).content.decode()

    for url in urls(conference, workshop)[1:]:
        assert url in content


@pytest.mark.django_db
def test_another_organisation_gets_404_for_every_list(client, other_organiser, conference, workshop, registered):
    client.force_login(other_organiser)

    assert [client.get(url).status_code for url in urls(conference, workshop)] == [404, 404, 404, 404]


@pytest.mark.django_db
def test_lists_need_an_admin_login(client, conference, workshop, registered):
    for url in urls(conference, workshop):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("admin:login") in response["Location"]
