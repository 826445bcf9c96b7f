"""The organiser's admin for a conference day: lists, filters, overview, actions, exports."""

import csv
import io
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_conference, person
from registrations.models import Mail, Registration
from registrations.services.registering import register
from registrations.tests.conference_helpers import workshop_ids


class FormFields(HTMLParser):
    """What a browser would submit from the admin's change form, as it was shown."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.data.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.data.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data.append((name, ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            name, value = self.data[-1]
            self.data[-1] = (name, value + data.lstrip("\n") if not value else value + data)


def submit_change_form(client, url, **changes):
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    data = {}
    for name, value in parser.data:
        data.setdefault(name, []).append(value)
    for name, value in changes.items():
        data[name] = [str(value)]
    data["_save"] = ["Opslaan"]
    return client.post(url, data)


def fill(event, count, start=0, index=0, **kwargs):
    return [
        register(event.pk, people=[person(n, workshop_ids(event, index), organisation=f"Gemeente {n % 3}")], **kwargs)
        for n in range(start, start + count)
    ]


@pytest.fixture
def organiser_client(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def busy_day(organisation, venue):
    return make_conference(organisation, venue, capacity=200, workshop_capacity=60, per_round=3)


CHANGELIST = reverse("admin:registrations_registration_changelist")


@pytest.mark.django_db
def test_registration_list_filters_and_search(organiser_client, busy_day):
    fill(busy_day, 3, index=0)
    fill(busy_day, 2, start=10, index=1)
    waiting = register(busy_day.pk, people=[person(20, workshop_ids(busy_day, 2))])
    from registrations.services.registering import cancel

    cancel(waiting.pk)

    def names(query):
        response = organiser_client.get(CHANGELIST + query)
        assert response.status_code == 200
        return {r.contact_name for r in response.context["cl"].result_list}

    assert len(names("")) == 6
    assert len(names("?status__exact=cancelled")) == 1
    second = workshop_ids(busy_day, 1)[0]
    assert names(f"?workshop={second}") == {"Esther van der Mark10", "Esther van der Mark11"}
    assert names("?organisatie=Gemeente+1") == {"Esther van der Mark1", "Esther van der Mark10"}
    assert names("?q=Mark11") == {"Esther van der Mark11"}
    html = organiser_client.get(CHANGELIST).content.decode()
    assert "Workshop 1.1; Workshop 2.1" in html and "Gemeente 2" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("zoe", {"Zoë Öztürk"}),
        ("ozturk", {"Zoë Öztürk"}),
        ("ZOE  Ozturk", {"Zoë Öztürk"}),
        ("Öztürk", {"Zoë Öztürk"}),
        ('"zoe ozturk"', {"Zoë Öztürk"}),
        ("zoe mark2", set()),  # every word must match
        ("deelnemer2@example", {"Esther van der Mark2"}),
        ("gemeente 2", {"Esther van der Mark2"}),
        ("sorensen", {"Esther van der Mark2"}),
        ("zoe example.org", {"Zoë Öztürk"}),  # a name and an address, each matching its own field
    ],
)
def test_registration_search_ignores_accents_and_case(organiser_client, busy_day, query, expected):
    register(
        busy_day.pk, people=[person(1, workshop_ids(busy_day), given_name="Zoë", name_prefix="", family_name="Öztürk")]
    )
    register(busy_day.pk, people=[person(2, workshop_ids(busy_day), organisation="Gemeente 2 (Sørensen-team)")])
    response = organiser_client.get(CHANGELIST, {"q": query})
    assert {r.contact_name for r in response.context["cl"].result_list} == expected


@pytest.mark.django_db
def test_other_organisation_sees_nothing(client, other_organiser, busy_day):
    fill(busy_day, 2)
    client.force_login(other_organiser)
    assert client.get(CHANGELIST).context["cl"].result_count == 0
    assert client.get(reverse("admin:registrations_export_event", args=[busy_day.pk])).status_code == 404
    workshop = workshop_ids(busy_day)[0]
    assert client.get(reverse("admin:registrations_export_workshop", args=[workshop])).status_code == 404
    assert busy_day.title not in client.get(reverse("admin:registrations_capacity")).content.decode()


@pytest.mark.django_db
def test_capacity_overview_at_a_glance(organiser_client, organisation):
    event = make_conference(organisation, capacity=3, workshop_capacity=2, slug="overzicht")
    fill(event, 2, index=0)
    fill(event, 1, start=5, index=1)
    register(event.pk, people=[person(9, workshop_ids(event, 0))], waitlist=True)
    html = organiser_client.get(reverse("admin:registrations_capacity")).content.decode()
    rows = [" ".join(row.split()) for row in html.split("<tr")[1:]]
    assert any("Evenement <strong>(vol)</strong></th> <td>3</td><td>3</td><td>1</td>" in row for row in rows)
    assert any("1: Workshop 1.1 <strong>(vol)</strong></th> <td>2</td><td>2</td><td>1</td>" in row for row in rows)
    assert any("1: Workshop 1.2</th> <td>1</td><td>2</td><td>0</td>" in row for row in rows)

    workshops = organiser_client.get(reverse("admin:workshops_workshop_changelist")).content.decode()
    assert "2 / 2 / 1" in workshops
    events = organiser_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "3 / 3 / 1" in events


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        reverse("admin:registrations_capacity"),
        reverse("admin:events_event_changelist"),
        reverse("admin:workshops_workshop_changelist"),
    ],
)
def test_admin_lists_cost_the_same_for_5_or_50_registrations(organiser_client, busy_day, url):
    fill(busy_day, 5)
    few = count_queries(organiser_client, url)
    fill(busy_day, 45, start=5, index=1)
    many = count_queries(organiser_client, url)
    assert many == few


@pytest.mark.django_db
def test_exports_per_event_and_workshop_are_safe_against_formulas(organiser_client, busy_day):
    register(
        busy_day.pk,
        people=[person(1, workshop_ids(busy_day, 0), given_name='=HYPERLINK("http://x")', organisation="+31 gemeente")],
    )
    register(busy_day.pk, people=[person(2, workshop_ids(busy_day, 1), function="@SUM(A1)")])

    response = organiser_client.get(reverse("admin:registrations_export_event", args=[busy_day.pk]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Voornaam", "Tussenvoegsel", "Achternaam"]
    assert len(rows) == 3
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://x")' in cells and "'+31 gemeente" in cells and "'@SUM(A1)" in cells
    assert not any(cell.startswith(("=", "+", "@", "-")) for cell in cells)

    workshop = workshop_ids(busy_day, 1)[0]
    response = organiser_client.get(reverse("admin:registrations_export_workshop", args=[workshop]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert [row[2] for row in rows[1:]] == ["Mark2"]


@pytest.mark.django_db
def test_cancel_action_frees_places_and_promotes(organiser_client, organisation):
    event = make_conference(organisation, capacity=1, slug="actie")
    (first,) = fill(event, 1)
    waiting = register(event.pk, people=[person(7, workshop_ids(event))], waitlist=True)
    response = organiser_client.post(CHANGELIST, {"action": "cancel_selected", "_selected_action": [first.pk]})
    assert response.status_code == 302
    first.refresh_from_db()
    waiting.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert waiting.status == Registration.Status.CONFIRMED


@pytest.mark.django_db
def test_resend_action_records_a_second_acknowledgement(organiser_client, organiser, busy_day):
    (registration,) = fill(busy_day, 1)
    organiser_client.post(CHANGELIST, {"action": "resend_acknowledgement", "_selected_action": [registration.pk]})
    mails = Mail.objects.filter(registration=registration, kind="acknowledgement").order_by("pk")
    assert [m.is_resend for m in mails] == [False, True]
    assert mails[1].requested_by == organiser


@pytest.mark.django_db
def test_raising_event_capacity_in_the_admin_promotes(organiser_client, organisation):
    event = make_conference(organisation, capacity=1, slug="meer-plaatsen")
    fill(event, 1)
    waiting = register(event.pk, people=[person(7, workshop_ids(event))], waitlist=True)
    response = submit_change_form(organiser_client, reverse("admin:events_event_change", args=[event.pk]), capacity=2)
    assert response.status_code == 302, response.content.decode()[:3000]
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert Mail.objects.filter(registration=waiting, kind="promoted").exists()


@pytest.mark.django_db
def test_raising_workshop_capacity_in_the_admin_promotes(organiser_client, organisation):
    event = make_conference(organisation, workshop_capacity=1, slug="grotere-zaal")
    fill(event, 1)
    waiting = register(event.pk, people=[person(7, workshop_ids(event))], waitlist=True)
    assert waiting.status == Registration.Status.WAITLISTED
    for workshop in workshop_ids(event):
        url = reverse("admin:workshops_workshop_change", args=[workshop])
        assert submit_change_form(organiser_client, url, capacity=2).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
