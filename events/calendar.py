""" "Zet in mijn agenda": an RFC 5545 calendar file per event, in Europe/Amsterdam time.

Local times with a VTIMEZONE (rather than UTC) keep the event at 10.00 in every calendar
even if the Dutch summer-time rules ever change.
"""

from email.utils import parseaddr
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


def event_calendar(event, *, sequence=0, cancel_for=None):
    """The event as a one-event VCALENDAR, as bytes.

    With ``cancel_for`` (an e-mail address) it is the cancellation (iTIP METHOD:CANCEL) of
    the event for that attendee: the same UID, so that the calendar that took the event in
    from an earlier file removes it; ``sequence`` must then exceed that file's."""
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
        status="CANCELLED" if cancel_for or event.status == event.Status.CANCELLED else "CONFIRMED",
    )
    if cancel_for:
        item.add("organizer", f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
        item.add("attendee", f"mailto:{cancel_for}")
    method = "CANCEL" if cancel_for else "PUBLISH"
    calendar = Calendar.new(prodid="-//Regiodag//Regiodag//NL", method=method, subcomponents=[item])
    calendar.add_missing_timezones()
    return calendar.to_ical()
