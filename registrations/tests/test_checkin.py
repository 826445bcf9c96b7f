"""Check-in at the door: QR payloads, name search, double check-in, organisation scoping."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from conftest import make_conference, person
from registrations.checkin.attendance import record_attendance
from registrations.checkin.codes import checkin_payload
from registrations.models import Attendance, Registration
from registrations.reports import no_shows
from registrations.services.registering import register
from registrations.tests.event_day import organiser_client_fixture, workshops_of  # noqa: F401


@pytest.fixture
def esther(conference):
    registration = register(conference.pk, people=[person(1, workshops_of(conference), family_name="Mark")])
    return registration.participants.get()


@pytest.fixture
def bram(conference):
    registration = register(
        conference.pk,
        people=[person(2, workshops_of(conference), given_name="Bram", name_prefix="", family_name="Bakker")],
    )
    return registration.participants.get()


def page(conference):
    return reverse("checkin:event", args=[conference.pk])


def scan(client, conference, payload):
    return client.post(reverse("checkin:scan", args=[conference.pk]), {"payload": payload}, follow=True)


@pytest.mark.django_db
def test_scanning_the_signed_code_checks_in_and_updates_the_count(organiser_client, conference, esther, bram):
    before = organiser_client.get(page(conference)).content.decode()
    assert "<span data-present>0</span> van <span data-expected>2</span> aanwezig" in before

    response = scan(organiser_client, conference, checkin_payload(esther))

    content = response.content.decode()
    assert "Esther van der Mark (Gemeente Nijmegen) is ingecheckt." in content
    assert "<span data-present>1</span> van <span data-expected>2</span> aanwezig" in content
    attendance = Attendance.objects.get(participant=esther)
    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.method == Attendance.Method.SCAN
    assert organiser_client.get(reverse("checkin:count", args=[conference.pk])).json() == {"present": 1, "expected": 2}


@pytest.mark.django_db
def test_checking_in_twice_says_so_and_changes_nothing(organiser_client, conference, esther):
    scan(organiser_client, conference, checkin_payload(esther))
    first = Attendance.objects.get(participant=esther).recorded_at

    response = scan(organiser_client, conference, "  " + checkin_payload(esther) + "\n")

    assert "Esther van der Mark is al aangemeld bij de ingang (om " in response.content.decode()
    assert Attendance.objects.get(participant=esther).recorded_at == first


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper",
    [
        lambda payload: payload[:-1] + ("A" if payload[-1] != "A" else "B"),
        lambda payload: payload.split(":")[0] + "x:" + payload.split(":", 1)[1],
        lambda payload: "",
        lambda payload: "niet-een-code",
    ],
)
def test_a_tampered_or_made_up_code_is_refused(organiser_client, conference, esther, tamper):
    response = scan(organiser_client, conference, tamper(checkin_payload(esther)))

    assert "Deze code hoort niet bij een aanmelding voor dit evenement." in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_bare_check_in_code_without_signature_is_refused(organiser_client, conference, esther):
    response = scan(organiser_client, conference, esther.checkin_code)

    assert "hoort niet bij een aanmelding" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_a_code_for_another_event_is_refused(organiser_client, organisation, conference, esther):
    other = make_conference(organisation, slug="andere-dag")
    stranger = register(other.pk, people=[person(5, workshops_of(other), family_name="Elders")]).participants.get()

    response = scan(organiser_client, conference, checkin_payload(stranger))

    assert "hoort niet bij een aanmelding" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_search_by_name_then_check_in_with_a_button(organiser_client, conference, esther, bram):
    results = organiser_client.get(page(conference), {"q": "van der mark"}).content.decode()

    assert "Esther van der Mark" in results
    assert "Bram Bakker" not in results
    button = reverse("checkin:participant", args=[conference.pk, esther.pk])
    assert f'action="{button}"' in results

    response = organiser_client.post(button, follow=True)

    assert "Esther van der Mark (Gemeente Nijmegen) is ingecheckt." in response.content.decode()
    assert Attendance.objects.get(participant=esther).method == Attendance.Method.SEARCH
    again = organiser_client.get(page(conference), {"q": "Mark"}).content.decode()
    assert "Aanwezig sinds" in again
    assert f'action="{button}"' not in again


@pytest.mark.django_db
def test_search_finds_nobody_from_another_event(organiser_client, organisation, conference, esther):
    other = make_conference(organisation, slug="andere-dag")
    register(other.pk, people=[person(5, workshops_of(other), family_name="Elders")])

    results = organiser_client.get(page(conference), {"q": "Elders"}).content.decode()

    assert "Niemand gevonden" in results


@pytest.mark.django_db
def test_a_participant_of_another_event_cannot_be_checked_in_through_this_one(
    organiser_client, organisation, conference
):
    other = make_conference(organisation, slug="andere-dag")
    stranger = register(other.pk, people=[person(5, workshops_of(other), family_name="Elders")]).participants.get()

    response = organiser_client.post(reverse("checkin:participant", args=[conference.pk, stranger.pk]), follow=True)

    assert "hoort niet bij een aanmelding" in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_another_organisations_organiser_finds_nothing(client, other_organiser, conference, esther):
    client.force_login(other_organiser)

    assert client.get(page(conference)).status_code == 404
    assert client.get(reverse("checkin:count", args=[conference.pk])).status_code == 404
    assert scan(client, conference, checkin_payload(esther)).status_code == 404
    assert client.post(reverse("checkin:participant", args=[conference.pk, esther.pk])).status_code == 404
    assert page(conference) not in client.get(reverse("checkin:index")).content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_the_door_needs_an_organiser_login(client, conference, esther):
    response = client.get(page(conference))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    assert (
        client.post(reverse("checkin:scan", args=[conference.pk]), {"payload": checkin_payload(esther)}).status_code
        == 302
    )
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_index_lists_the_organisers_events(organiser_client, conference):
    content = organiser_client.get(reverse("checkin:index")).content.decode()

    assert "Testdag van de Regio&#x27;s" in content
    assert page(conference) in content


@pytest.mark.django_db
def test_check_in_and_recorded_attendance_are_one_record(organiser_client, conference, esther, bram):
    record_attendance(esther.pk, Attendance.Status.ABSENT)
    assert set(no_shows([conference])) == {esther, bram}

    scan(organiser_client, conference, checkin_payload(esther))

    assert Attendance.objects.filter(participant=esther).count() == 1
    assert Attendance.objects.get(participant=esther).status == Attendance.Status.PRESENT
    assert list(no_shows([conference])) == [bram]


@pytest.mark.django_db
def test_a_cancelled_registration_is_refused_at_the_door(organiser_client, conference, esther):
    Registration.objects.filter(pk=esther.registration_id).update(status=Registration.Status.CANCELLED)

    scanned = scan(organiser_client, conference, checkin_payload(esther))
    searched = organiser_client.post(reverse("checkin:participant", args=[conference.pk, esther.pk]), follow=True)

    for response in (scanned, searched):
        assert "Deze deelnemer heeft geen geldige aanmelding." in response.content.decode()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_checking_in_twice_tells_the_time_as_the_language_does(organiser_client, conference, esther):
    scan(organiser_client, conference, checkin_payload(esther))
    recorded = timezone.localtime(Attendance.objects.get().recorded_at)
    organiser_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = scan(organiser_client, conference, checkin_payload(esther))

    assert f"(at {recorded:%H:%M})" in response.content.decode()
