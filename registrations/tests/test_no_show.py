"""The no-show report: who held a place and did not come, per event and organisation."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_conference, person, team
from events.models import Event
from registrations.checkin.attendance import check_in, record_attendance
from registrations.csv_safety import safe_cell, write_csv
from registrations.models import Attendance
from registrations.services.registering import register
from registrations.tests.event_day import workshops_of


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.fixture
def day(conference):
    """Four people: one came, one was recorded absent, two never checked in."""
    people = {}
    for n, (family, organisation) in enumerate(
        [
            ("Aanwezig", "Gemeente Arnhem"),
            ("Afwezig", "Gemeente Zutphen"),
            ("Weg", "Gemeente Arnhem"),
            ("Formule", '=HYPERLINK("http://kwaad.example","klik")'),
        ]
    ):
        registration = register(
            conference.pk,
            people=[
                person(
                    n,
                    workshops_of(conference),
                    family_name=family,
                    organisation=organisation,
                    function="@SUM(A1:A9)" if family == "Formule" else "adviseur",
                )
            ],
        )
        people[family] = registration.participants.get()
    check_in(people["Aanwezig"].pk)
    record_attendance(people["Afwezig"].pk, Attendance.Status.ABSENT)
    return people


@pytest.mark.django_db
def test_no_show_csv_lists_who_did_not_come_per_organisation(admin_client, conference, day):
    rows = read_csv(admin_client.get(reverse("admin:events_event_no_shows_csv", args=[conference.pk])))

    header, body = rows[0], rows[1:]
    assert header[:3] == ["Evenement", "Datum", "Organisatie"]
    names = [row[header.index("Achternaam")] for row in body]
    # Grouped by organisation: the formula one sorts first, then Arnhem, then Zutphen.
    assert names == ["Formule", "Weg", "Afwezig"]
    by_name = {row[header.index("Achternaam")]: row for row in body}
    assert by_name["Afwezig"][header.index("Aanwezigheid")] == "afwezig gemeld"
    assert by_name["Weg"][header.index("Aanwezigheid")] == "niet ingecheckt"
    assert by_name["Weg"][header.index("E-mailadres")] == "deelnemer2@example.org"
    assert by_name["Weg"][0] == conference.title


@pytest.mark.django_db
def test_no_show_csv_neutralises_spreadsheet_formulas(admin_client, conference, day):
    rows = read_csv(admin_client.get(reverse("admin:events_event_no_shows_csv", args=[conference.pk])))

    header = rows[0]
    formula_row = next(row for row in rows if row[header.index("Achternaam")] == "Formule")
    assert formula_row[header.index("Organisatie")] == '\'=HYPERLINK("http://kwaad.example","klik")'
    assert formula_row[header.index("Functie")] == "'@SUM(A1:A9)"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-2", "'-2"),
        ("@A1", "'@A1"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\n=1", "'\n=1"),
        ("  =1+1", "'  =1+1"),
        ("\u00a0@SUM(A1)", "'\u00a0@SUM(A1)"),
        ("Gemeente = Nijmegen", "Gemeente = Nijmegen"),
        ("", ""),
        (None, ""),
        (-3, -3),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_write_csv_to_a_file_uses_semicolons_and_escapes_every_cell():
    out = io.StringIO()
    write_csv(out, ["=kop", "b"], [["=x", "y;z"]])

    assert out.getvalue() == "\ufeff'=kop;b\r\n'=x;\"y;z\"\r\n"


@pytest.mark.django_db
def test_no_show_page_groups_per_organisation(admin_client, conference, day):
    content = admin_client.get(reverse("admin:events_event_no_shows", args=[conference.pk])).content.decode()

    assert "1 van de 4 verwachte deelnemers zijn aanwezig gemeld." in content
    assert "nog niet afgelopen" in content
    assert "Organisatie: Gemeente Arnhem (1)" in content
    assert "Organisatie: Gemeente Zutphen (1)" in content
    assert "Esther van der Aanwezig" not in content


@pytest.mark.django_db
def test_after_the_event_the_page_no_longer_warns(admin_client, conference, day):
    Event.objects.filter(pk=conference.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )

    content = admin_client.get(reverse("admin:events_event_no_shows", args=[conference.pk])).content.decode()

    assert "nog niet afgelopen" not in content
    assert "Organisatie: Gemeente Zutphen (1)" in content


@pytest.mark.django_db
def test_driehoek_no_shows_are_grouped_per_municipality(admin_client, team_session):
    registration = register(team_session.pk, people=team("Nijmegen"), municipality="Nijmegen")
    for participant in registration.participants.exclude(role="burgemeester"):
        record_attendance(participant.pk, Attendance.Status.PRESENT)

    content = admin_client.get(reverse("admin:events_event_no_shows", args=[team_session.pk])).content.decode()

    assert "Gemeente: Nijmegen (1)" in content
    assert "Bram van der Burgemeester" in content
    assert "Griet van der Griffier" not in content


@pytest.mark.django_db
def test_no_show_action_exports_several_events(admin_client, organisation, conference, day):
    other = make_conference(organisation, slug="tweede-dag", rounds=0)
    register(other.pk, people=[person(9, family_name="Tweede")])

    response = admin_client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_no_shows", "_selected_action": [conference.pk, other.pk]},
    )

    names = [row[4] for row in read_csv(response)[1:]]
    assert names == ["Formule", "Weg", "Afwezig", "Tweede"]


@pytest.mark.django_db
def test_another_organisation_gets_no_report(client, other_organiser, conference, day):
    client.force_login(other_organiser)

    assert client.get(reverse("admin:events_event_no_shows", args=[conference.pk])).status_code == 404
    assert client.get(reverse("admin:events_event_no_shows_csv", args=[conference.pk])).status_code == 404
    response = client.post(
        reverse("admin:events_event_changelist"),
        {"action": "export_no_shows", "_selected_action": [conference.pk]},
    )
    assert "Weg" not in response.content.decode()
