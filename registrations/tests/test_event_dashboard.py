"""The event's dashboard in the admin: its figures, its charts' escaping, its scope, and a
query count that does not grow with the number of registrations."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from conftest import make_conference, make_organiser, person
from registrations.models import Attendance
from registrations.samples import add_registrations
from registrations.services.registering import cancel, register
from registrations.tests.event_day import organiser_client_fixture, workshops_of  # noqa: F401
from workshops.models import Workshop


def dashboard_url(event):
    return reverse("admin:events_event_dashboard", args=[event.pk])


def page(client, event):
    response = client.get(dashboard_url(event))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_query_count_is_the_same_for_10_and_for_200_registrations(organiser_client, organisation, venue):
    small = make_conference(organisation, venue, slug="klein", workshop_capacity=500, capacity=None)
    big = make_conference(organisation, venue, slug="groot", workshop_capacity=500, capacity=None)
    add_registrations(small, 10, checked_in=0.5)
    add_registrations(big, 200, checked_in=0.5)
    for event in (small, big):  # on its day, so that every part of the page is drawn
        event.starts_at = timezone.now() - timedelta(hours=1)
        event.ends_at = timezone.now() + timedelta(hours=5)
        event.save()
    page(organiser_client, small)  # the first request fills what is cached per process

    counted = []
    for event in (small, big):
        with CaptureQueriesContext(connection) as queries:
            content = page(organiser_client, event)
        counted.append(len(queries))
        assert "Check-ins per uur" in content

    assert counted[0] == counted[1], counted


@pytest.mark.django_db
def test_figures_from_real_registrations(organiser_client, conference):
    first, second = workshops_of(conference, 0), workshops_of(conference, 1)
    registrations = [register(conference.pk, people=[person(n, first)]) for n in range(3)]
    register(conference.pk, people=[person(9, second)])
    cancel(registrations[0].pk)
    conference.capacity = 3
    conference.save()
    register(conference.pk, people=[person(10, second)], waitlist=True)  # full: waits

    content = page(organiser_client, conference)

    assert '<th scope="row">Met een plaats</th><td>3 van 3</td>' in content
    assert '<th scope="row">Op de wachtlijst</th><td>1</td>' in content
    assert '<th scope="row">Afgemeld</th><td>1</td>' in content
    workshop = Workshop.objects.get(pk=first[0])
    # round, title, taken, capacity, waiting
    assert f'<td>1</td><th scope="row">{workshop.title}</th><td>2</td><td>10</td><td>0</td>' in content
    assert f'<tr><th scope="row">{date_format(timezone.localdate(), "D j M")}</th><td>5</td></tr>' in content
    # before the event day: no check-ins, no refresh
    assert "Inchecken" not in content and 'http-equiv="refresh"' not in content


@pytest.mark.django_db
def test_on_the_day_check_ins_and_a_refresh_without_javascript(organiser_client, conference):
    participant = register(conference.pk, people=[person(1, workshops_of(conference))]).participants.get()
    register(conference.pk, people=[person(2, workshops_of(conference))])
    Attendance.objects.create(participant=participant, status=Attendance.Status.PRESENT)
    conference.starts_at = timezone.now() - timedelta(hours=1)
    conference.ends_at = timezone.now() + timedelta(hours=5)
    conference.save()

    content = page(organiser_client, conference)

    assert '<meta http-equiv="refresh" content="30">' in content
    assert "1 van de 2 verwachte deelnemers zijn ingecheckt." in content
    assert "Check-ins per uur" in content
    assert "<script" not in content.split('id="content"')[1]


@pytest.mark.django_db
def test_afterwards_the_no_shows(organiser_client, conference):
    participant = register(conference.pk, people=[person(1, workshops_of(conference))]).participants.get()
    register(conference.pk, people=[person(2, workshops_of(conference))])
    Attendance.objects.create(participant=participant, status=Attendance.Status.PRESENT)
    conference.starts_at = timezone.now() - timedelta(days=1, hours=6)
    conference.ends_at = timezone.now() - timedelta(days=1)
    conference.save()

    content = page(organiser_client, conference)

    assert "1 van de 2 verwachte deelnemers zijn niet gekomen." in content
    assert reverse("admin:events_event_no_shows", args=[conference.pk]) in content
    assert 'http-equiv="refresh"' not in content


@pytest.mark.django_db
def test_charts_escape_workshop_titles_and_carry_no_inline_style(organiser_client, conference):
    Workshop.objects.filter(pk=workshops_of(conference)[0]).update(title='<script>alert("x")</script>')

    content = page(organiser_client, conference)

    assert "<script>alert" not in content
    assert "&lt;script&gt;alert" in content
    assert "style=" not in content.split('id="content"')[1]
    assert 'role="img"' in content and "<figcaption" in content


@pytest.mark.django_db
def test_another_organisation_cannot_see_the_dashboard(client, other_organisation, conference):
    client.force_login(make_organiser("andere", other_organisation))

    assert client.get(dashboard_url(conference)).status_code == 404
    assert dashboard_url(conference) not in client.get(reverse("admin:events_event_changelist")).content.decode()
