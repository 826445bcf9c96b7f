"""Participant lists as CSV for organisers, per event or per workshop.

Names and organisations are typed by the public, so a cell such as ``=HYPERLINK(…)`` must
never reach a spreadsheet as a formula: such cells are prefixed with an apostrophe, which
spreadsheets show as text (OWASP's advice on CSV injection).
"""

import csv

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations.models import Participant, Registration, WorkshopChoice

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value):
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def participants(registrations=None, *, event=None, workshop=None):
    """Active participants, with their registration and choices, in three queries."""
    queryset = Participant.objects.filter(registration__status__in=Registration.ACTIVE)
    if registrations is not None:
        queryset = queryset.filter(registration__in=registrations)
    if event is not None:
        queryset = queryset.filter(registration__event=event)
    if workshop is not None:
        queryset = queryset.filter(choices__workshop=workshop)
    return (
        queryset.select_related("registration")
        .prefetch_related(
            Prefetch("choices", queryset=WorkshopChoice.objects.select_related("workshop", "round").order_by("round"))
        )
        .order_by("family_name", "given_name", "pk")
    )


def write_csv(response, rows):
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            _("Voornaam"),
            _("Tussenvoegsel"),
            _("Achternaam"),
            _("E-mailadres"),
            _("Organisatie"),
            _("Functie"),
            _("Dieetwensen"),
            _("Toegankelijkheid"),
            _("Status"),
            _("Workshops"),
            _("Aangemeld op"),
        ]
    )
    for participant in rows:
        registration = participant.registration
        writer.writerow(
            safe_cell(value)
            for value in [
                participant.given_name,
                participant.name_prefix,
                participant.family_name,
                participant.email,
                participant.organisation,
                participant.function,
                participant.dietary_wishes,
                participant.accessibility_needs,
                registration.get_status_display(),
                " | ".join(f"{c.round.number}: {c.workshop.title}" for c in participant.choices.all()),
                timezone.localtime(registration.created_at).strftime("%d-%m-%Y %H:%M"),
            ]
        )


def csv_response(filename, rows):
    # Semicolons and a byte-order mark: what Dutch Excel opens correctly by double-click.
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    write_csv(response, rows)
    return response
