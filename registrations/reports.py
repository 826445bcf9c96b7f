"""Reads for reports after an event: who was expected, who came, who did not."""

from django.db.models import Q

from registrations.models import Attendance, Participant, Registration
from registrations.search import normalise


def expected_participants(events):
    """Everyone holding a place at these events, with what is needed to list them."""
    return (
        Participant.objects.filter(registration__event__in=events, registration__status__in=Registration.HOLDS_PLACE)
        .select_related("registration__event", "attendance")
        .order_by("sort_name", "pk")
    )


def no_shows(events):
    """Expected participants not recorded as present (absent, or never checked in)."""
    return expected_participants(events).exclude(attendance__status=Attendance.Status.PRESENT)


def presence_counts(event):
    """(present, expected) for the check-in screen."""
    expected = expected_participants([event])
    return expected.filter(attendance__status=Attendance.Status.PRESENT).count(), expected.count()


def no_shows_by(events, field):
    """{value of ``field`` ('organisation' or 'registration__municipality'): [participants]}."""
    grouped = {}
    for participant in no_shows(events).filter(~Q(**{f"{field}": None})):
        key = participant.organisation if field == "organisation" else participant.registration.municipality
        grouped.setdefault(key or "—", []).append(participant)
    return dict(sorted(grouped.items(), key=lambda item: normalise(item[0])))
