"""Badges from the admin: the per-event page, the action, and organisation scoping."""

import pytest
from django.urls import reverse

from conftest import make_conference, person
from registrations.services.registering import register
from registrations.tests.event_day import organiser_client_fixture, workshops_of  # noqa: F401
from registrations.tests.pdf_helpers import pdf_pages


@pytest.fixture
def registered(conference):
    return [
        register(
            conference.pk, people=[person(n, workshops_of(conference), family_name=f"Badge{n}")]
        ).participants.get()
        for n in range(3)
    ]


def badges_url(event):
    return reverse("admin:events_event_badges", args=[event.pk])


@pytest.mark.django_db
def test_badge_page_offers_layouts_and_people(organiser_client, conference, registered):
    content = organiser_client.get(badges_url(conference)).content.decode()

    assert 'value="90x55" checked' in content
    assert 'value="100x70"' in content
    assert "Esther van der Badge2" in content


@pytest.mark.django_db
def test_badges_for_all_or_for_a_selection(organiser_client, conference, registered):
    everyone = organiser_client.post(badges_url(conference), {"layout": "100x70"})
    some = organiser_client.post(badges_url(conference), {"layout": "86x54", "participant": [registered[1].pk]})

    assert everyone["Content-Type"] == "application/pdf"
    text = pdf_pages(everyone.content)[0]
    assert all(f"Badge{n}" in text for n in range(3))
    text = pdf_pages(some.content)[0]
    assert "Badge1" in text and "Badge0" not in text and "Badge2" not in text


@pytest.mark.django_db
def test_a_selection_cannot_reach_people_of_another_event(organiser_client, organisation, conference, registered):
    other = make_conference(organisation, slug="andere-dag")
    stranger = register(other.pk, people=[person(7, workshops_of(other), family_name="Elders")]).participants.get()

    response = organiser_client.post(badges_url(conference), {"participant": [stranger.pk]})

    assert "Elders" not in "".join(pdf_pages(response.content))


@pytest.mark.django_db
def test_badge_action_prints_the_selected_events(organiser_client, conference, registered):
    response = organiser_client.post(
        reverse("admin:events_event_changelist"), {"action": "print_badges", "_selected_action": [conference.pk]}
    )

    assert response["Content-Type"] == "application/pdf"
    assert "Badge0" in pdf_pages(response.content)[0]


@pytest.mark.django_db
def test_changelist_links_to_the_event_day(organiser_client, conference):
    content = organiser_client.get(reverse("admin:events_event_changelist")).content.decode()

    assert badges_url(conference) in content
    assert reverse("checkin:event", args=[conference.pk]) in content
    assert reverse("admin:events_event_attendance_list", args=[conference.pk]) in content


@pytest.mark.django_db
def test_another_organisation_cannot_print_badges(client, other_organiser, conference, registered):
    client.force_login(other_organiser)

    assert client.get(badges_url(conference)).status_code == 404
    assert client.post(badges_url(conference), {"layout": "90x55"}).status_code == 404
    response = client.post(
        reverse("admin:events_event_changelist"), {"action": "print_badges", "_selected_action": [conference.pk]}
    )
    # The action only ever sees the organiser's own events: nobody's badge is printed.
    assert "Badge" not in "".join(pdf_pages(response.content))
