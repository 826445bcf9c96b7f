""" "Zet in mijn agenda": an RFC 5545 calendar file per event, in Europe/Amsterdam time.

Local times with a VTIMEZONE (rather than UTC) keep the event at 10.00 in every calendar
even if the Dutch summer-time rules ever change.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags
from icalendar import Calendar
from icalendar import Event as CalendarEvent

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def event_location(event):
    if event.venue:
        return event.venue.one_line
    return "Online" if event.online else ""


def event_calendar(event, *, sequence=0):
    """The event as a one-event VCALENDAR, as bytes."""
    description = "\n\n".join(
        part
        for part in [
            event.subtitle,
            strip_tags(event.summary or event.description),
            f"{settings.SITE_URL}{event.get_absolute_url()}",
        ]
        if part
    )
    item = CalendarEvent.new(
        uid=f"event-{event.pk}@regiodag",
        summary=event.title,
        start=timezone.localtime(event.starts_at, AMSTERDAM),
        end=timezone.localtime(event.ends_at, AMSTERDAM),
        stamp=timezone.now(),
        location=event_location(event) or None,
        description=description,
        url=f"{settings.SITE_URL}{event.get_absolute_url()}",
        sequence=sequence,
        status="CANCELLED" if event.status == event.Status.CANCELLED else "CONFIRMED",
    )
    calendar = Calendar.new(prodid="-//Regiodag//Regiodag//NL", method="PUBLISH", subcomponents=[item])
    calendar.add_missing_timezones()
    return calendar.to_ical()
