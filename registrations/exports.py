"""Participant lists as CSV for organisers, per event or per workshop.

Names and organisations are typed by the public: the cells go through the one
formula-safe writer (registrations/csv_safety.py).
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from registrations import csv_safety
from registrations.models import Participant, Registration, WorkshopChoice


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
        .order_by("sort_name", "pk")
    )


def participant_header():
    return [
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


def participant_rows(participants):
    for participant in participants:
        registration = participant.registration
        yield [
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


def csv_response(filename, participants):
    return csv_safety.csv_response(filename, participant_header(), participant_rows(participants))
