"""From the demo data: an organiser prints badges and lists and checks people in."""

import pytest
from django.urls import reverse

from conftest import make_organiser, person
from events.models import Event, Organisation
from registrations.checkin.codes import checkin_payload
from registrations.models import Attendance
from registrations.services.registering import register
from registrations.tests.event_day import workshops_of
from registrations.tests.pdf_helpers import pdf_pages


@pytest.mark.django_db
def test_demo_event_day_from_badges_to_no_shows(client, demo):
    event = Event.objects.get(slug="ambtelijke-dag-van-de-regios-demo")
    people = [
        ("Esther", "van der", "Mark", "Gemeente Nijmegen"),
        ("Hubert", "", "Bruls", "Gemeente Nijmegen"),
        ("Martin", "", "Rommers", "Gemeente Bronckhorst"),
    ]
    participants = [
        register(
            event.pk,
            people=[person(n, workshops_of(event, n), given_name=g, name_prefix=p, family_name=f, organisation=o)],
        ).participants.get()
        for n, (g, p, f, o) in enumerate(people)
    ]
    client.force_login(make_organiser("vng-organisator", Organisation.objects.get(slug="vng")))

    badges = client.post(reverse("admin:events_event_badges", args=[event.pk]), {"layout": "90x55"})
    attendance_list = client.get(reverse("admin:events_event_attendance_list", args=[event.pk]))
    first_workshop = event.rounds.get(number=1).workshops.order_by("pk")[0]
    host_list = client.get(reverse("admin:workshops_workshop_participants_pdf", args=[first_workshop.pk]))
    checked_in = client.post(
        reverse("checkin:scan", args=[event.pk]), {"payload": checkin_payload(participants[0])}, follow=True
    )
    no_shows = client.get(reverse("admin:events_event_no_shows_csv", args=[event.pk])).content.decode()

    badge_text = pdf_pages(badges.content)[0]
    assert "Esther van der Mark" in badge_text
    assert f"Ronde 1: {first_workshop.title}" in badge_text.replace("\n", " ")
    list_text = pdf_pages(attendance_list.content)[0]
    assert list_text.index("Bruls, Hubert") < list_text.index("Mark, Esther van der") < list_text.index("Rommers")
    assert "Mark, Esther van der" in pdf_pages(host_list.content)[0]
    assert "<span data-present>1</span> van <span data-expected>3</span>" in checked_in.content.decode()
    assert Attendance.objects.get(participant=participants[0]).status == Attendance.Status.PRESENT
    assert "Bruls" in no_shows and "Rommers" in no_shows and ";Mark;" not in no_shows
