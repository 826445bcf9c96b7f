"""The texts participants and organisers read: Dutch with "u", labels said once, team
members under their role, Dutch admin messages, and the right form behind each link."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from events.models import Event
from events.tests.test_session_move import change_form_data
from events.tests.test_translations import PO_PATH, po_entries
from registrations.tests.team_helpers import sign_up

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jullie|jezelf)\b", re.IGNORECASE)
# The name of the VNG programme the driehoek sessions belong to, quoted as it is.
PROGRAMME_NAME = "Besturen doe je - beter - samen"


def informal_words(text):
    return INFORMAL.findall(text.replace(PROGRAMME_NAME, ""))


def test_no_translatable_text_says_je():
    said = {entry["msgid"] for entry in po_entries(PO_PATH) if informal_words(entry["msgid"])}
    assert not said


@pytest.mark.django_db
def test_the_demo_pages_say_u_and_rooms_are_named_once(client, demo):
    for event in Event.objects.all():
        page = client.get(event.get_absolute_url()).content.decode()
        assert not informal_words(page), (event.slug, informal_words(page))
        assert "Zaal: Zaal" not in page
    page = client.get(reverse("events:detail", args=["ambtelijke-dag-van-de-regios-demo"])).content.decode()
    assert "Zaal 2" in page


@pytest.mark.django_db
def test_a_team_page_puts_each_member_under_their_role(client, team_session):
    registration = sign_up(team_session)
    page = client.get(reverse("registrations:manage", args=[registration.token])).content.decode()
    headings = re.findall(r"<h2[^>]*>([^<]+)</h2>", page)
    assert {"Griffier", "Burgemeester", "Gemeentesecretaris"} <= set(headings)


@pytest.mark.django_db
def test_the_personal_form_address_of_a_driehoek_session_leads_to_its_team_form(client, team_session):
    response = client.get(reverse("registrations:register", args=[team_session.slug]))
    assert response.status_code == 302
    assert response.url == reverse("registrations:register_team", args=[team_session.slug])


@pytest.mark.django_db
def test_saving_an_event_says_so_in_proper_dutch(admin_client, conference):
    url = reverse("admin:events_event_change", args=[conference.pk])
    data = change_form_data(admin_client, url)
    response = admin_client.post(url, data, follow=True)
    shown = [unescape(strip_tags(str(message))) for message in response.context["messages"]]
    assert shown == [f"‘{conference.title}’ (evenement) is gewijzigd."]


@pytest.mark.django_db
def test_the_no_show_report_is_headed_in_dutch(admin_client, team_session):
    page = admin_client.get(reverse("admin:registrations_teamregistration_no_shows")).content.decode()
    assert "Niet gekomen bij de leerbijeenkomsten" in page
    assert "No-show" not in page
    listing = admin_client.get(reverse("admin:registrations_teamregistration_changelist")).content.decode()
    assert "No-show" not in listing
