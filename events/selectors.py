"""Reads for the public catalogue; each list page costs a fixed number of queries.

Places come from registrations through events.hooks (events does not import it).
"""

from django.db.models import Prefetch, Q

from events.hooks import provided
from events.models import Event, ProgrammeItem


def catalogue(*, past=False, organisation=None, series=None, province=None, now=None):
    events = Event.objects.past(now) if past else Event.objects.upcoming(now)
    if organisation:
        events = events.filter(organisations__slug=organisation)
    if series:
        events = events.filter(series__slug=series)
    if province:
        events = events.filter(Q(venue__province=province) | Q(regions__icontains=province))
    events = list(events.distinct().select_related("venue", "series").prefetch_related("organisations"))
    annotate_places(events)
    return events


def annotate_places(events):
    occupancy = provided("event_occupancy")(events)
    places_left = provided("places_left")
    for event in events:
        event.taken, event.waiting = occupancy[event.pk]
        event.left = places_left(event, taken=event.taken)
    return events


def event_page(slug, *, preview=False):
    events = Event.objects.all() if preview else Event.objects.published()
    event = (
        events.select_related("venue", "series")
        .prefetch_related(
            "organisations",
            Prefetch(
                "programme", queryset=ProgrammeItem.objects.select_related("moderator").prefetch_related("speakers")
            ),
        )
        .get(slug=slug)
    )
    annotate_places([event])
    return event


def event_page_rounds(event):
    """The event page's rounds and workshops with their places and public material."""
    return provided("event_page_rounds")(event)
