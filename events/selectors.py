"""Reads for the public catalogue; each list page costs a fixed number of queries."""

from django.db.models import Prefetch, Q, prefetch_related_objects

from events.models import Event, ProgrammeItem
from registrations.selectors import event_occupancy, places_left, rounds_with_places
from workshops.models import Material


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
    occupancy = event_occupancy(events)
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
    """The event page's rounds and workshops with their places, and each workshop's public
    material as ``public_materials``: one query more however many workshops there are."""
    rounds = rounds_with_places(event)
    workshops = [workshop for rnd in rounds for workshop in rnd.workshops.all()]
    prefetch_related_objects(
        workshops, Prefetch("materials", queryset=Material.objects.public(), to_attr="public_materials")
    )
    return rounds
