"""Every CSV an organiser downloads goes through the one formula-safe writer."""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import person
from registrations.services.registering import register


def application_modules():
    for app in ("regiodag", "events", "workshops", "registrations"):
        for path in (Path(settings.BASE_DIR) / app).rglob("*.py"):
            if "tests" not in path.parts and "migrations" not in path.parts:
                yield path


def test_only_the_safe_writer_makes_csv():
    writers = [
        p.relative_to(settings.BASE_DIR).as_posix() for p in application_modules() if "csv.writer(" in p.read_text()
    ]
    assert writers == ["registrations/csv_safety.py"]


@pytest.mark.django_db
def test_event_export_neutralises_formulas(admin_client, conference):
    workshops = [r.workshops.order_by("pk")[0].pk for r in conference.rounds.order_by("number")]
    register(
        conference.pk,
        people=[person(1, workshops, given_name='=HYPERLINK("https://x")', organisation="@SUM(A1)")],
    )

    response = admin_client.get(reverse("admin:registrations_export_event", args=[conference.pk]))

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[1][0] == '\'=HYPERLINK("https://x")'
    assert rows[1][4] == "'@SUM(A1)"
