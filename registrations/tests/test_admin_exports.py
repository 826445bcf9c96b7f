"""Every list an organiser downloads from the admin opens right in Dutch Excel.

The test finds the exports itself: it opens every custom admin URL of every registered
admin (with the organiser's own ids), follows the CSV links on the pages it gets, and runs
every admin action on the organiser's own rows; each answer that is a CSV must have the
byte-order mark, ``;`` between cells and CRLF between lines, keep "Çakır Öztürk" intact
when read as utf-8-sig, and neutralise a cell that would be a formula.
"""

import csv
import dataclasses
import io
import re
from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conftest import make_conference, make_team_session, person, team
from events.models import Event
from registrations.driehoek.admission import admit, register_team
from registrations.models import Registration
from registrations.services.registering import register
from registrations.tests.conference_helpers import workshop_ids
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

ACCENTED = ("Çakır", "Öztürk")
FORMULA = "=SUM(1+1)"
STANDARD_VIEWS = ("_changelist", "_add", "_history", "_delete", "_change")
# Every export the admin offers today; a new one is found by the walk without being listed.
EXPECTED = {
    "registrations_export_event",
    "registrations_export_workshop",
    "events_event_no_shows_csv",
    "workshops_workshop_participants_csv",
    "registrations_teamregistration_no_shows?format=csv",
    "action registrations.registration export_selected",
    "action registrations.teamregistration no_show_csv",
    "action events.event export_no_shows",
}


@pytest.fixture
def world(organisation):
    """A conference and a past driehoek session, each with Çakır Öztürk and a formula name."""
    day = make_conference(organisation, slug="exportdag")
    for n, given in [(1, ACCENTED[0]), (2, FORMULA)]:
        family = ACCENTED[1] if n == 1 else "Formule"
        register(day.pk, people=[person(n, workshop_ids(day), given_name=given, family_name=family, name_prefix="")])
    session = make_team_session(organisation, slug="export-sessie")
    members = team("Nijmegen")
    members[0] = dataclasses.replace(members[0], given_name=ACCENTED[0], family_name=ACCENTED[1])
    members[1] = dataclasses.replace(members[1], given_name=FORMULA)
    driehoek = register_team(
        session.pk, municipality="Nijmegen", people=members, contact_name="C", contact_email="c@nijmegen.nl"
    )
    admit([driehoek.pk])
    # The session took place last week (moved there directly: the services refuse the past).
    past = timezone.now() - timedelta(days=7)
    Event.objects.filter(pk=session.pk).update(
        starts_at=past, ends_at=past + timedelta(hours=4), registration_closes_at=past - timedelta(weeks=4)
    )
    return {"events": [day, session], "workshops": list(Workshop.objects.filter(round__event=day))}


def ids_for(parameter, model, world):
    if parameter == "event_id" or (parameter == "object_id" and model is Event):
        return [event.pk for event in world["events"]]
    if parameter == "workshop_id" or (parameter == "object_id" and model is Workshop):
        return [workshop.pk for workshop in world["workshops"]]
    if parameter == "object_id" and issubclass(model, Registration):
        return list(model.objects.values_list("pk", flat=True))
    return []


def admin_urls(world):
    """(name, url) of every custom admin URL, with each of the organiser's own ids."""
    for model, model_admin in admin.site._registry.items():
        for pattern in model_admin.get_urls():
            if not pattern.name or pattern.name.endswith(STANDARD_VIEWS):
                continue
            parameters = list(pattern.pattern.converters)
            if not parameters:
                yield pattern.name, reverse(f"admin:{pattern.name}")
            elif len(parameters) == 1:
                for pk in ids_for(parameters[0], model, world):
                    yield pattern.name, reverse(f"admin:{pattern.name}", kwargs={parameters[0]: pk})


def is_csv(response):
    return response.status_code == 200 and response.get("Content-Type", "").startswith("text/csv")


def csv_links(url, html):
    """The CSV links of a page, and its form's CSV button (a GET form sends format=csv)."""
    links = set(re.findall(r'href="([^"]*(?:\.csv|format=csv)[^"]*)"', html))
    if re.search(r'name="format" value="csv"', html):
        links.add(f"{url}?format=csv")
    return links


def check(label, response):
    """The export opens right in Dutch Excel; returns its rows after the header."""
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf"), f"{label}: no byte-order mark"
    text = content.decode("utf-8-sig")
    assert "\n" not in text.replace("\r\n", ""), f"{label}: a line ends without CR"
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows[0]) > 1, f"{label}: the header is one cell, so ';' is not the delimiter"
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        assert not cell.lstrip().startswith(("=", "+", "-", "@")), f"{label}: formula cell {cell!r}"
    if cells:
        joined = " ".join(cells)
        assert all(part in joined for part in ACCENTED), f"{label}: accents lost in {joined[:200]!r}"
        assert any(cell.startswith("'" + FORMULA) for cell in cells), f"{label}: the formula cell is missing"
    return rows[1:]


def test_every_export_the_admin_offers_opens_right_in_dutch_excel(client, organiser, world):
    client.force_login(organiser)
    found = {}
    pages = []
    for name, url in admin_urls(world):
        response = client.get(url)
        if is_csv(response):
            found.setdefault(name, []).append(check(url, response))
        elif response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages.append((name, url, response.content.decode()))
    for name, url, html in pages:
        for link in csv_links(url, html):
            response = client.get(link.replace("&amp;", "&"))
            if is_csv(response):
                query = link.split("?", 1)[1].replace("&amp;", "&") if "?" in link else ""
                key = f"{name}?{query}" if query else name
                found.setdefault(key, []).append(check(link, response))
    for model, model_admin in admin.site._registry.items():
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        request = client.get(changelist).wsgi_request
        own = list(model_admin.get_queryset(request).values_list("pk", flat=True))
        for action in model_admin.get_actions(request):
            if action == "delete_selected" or not own:
                continue
            data = {"action": action, "_selected_action": own, "index": "0"}
            # Actions that change rows (cancel, erase, admit) are undone after each, so every
            # action finds the world as built.
            with transaction.atomic():
                response = client.post(changelist, data)
                transaction.set_rollback(True)
            if is_csv(response):
                found.setdefault(f"action {model._meta.label_lower} {action}", []).append(check(action, response))

    assert set(found) >= EXPECTED, f"not found: {EXPECTED - set(found)}"
    for key, downloads in found.items():
        assert any(downloads), f"{key}: never a row to check"
