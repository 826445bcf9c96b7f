"""The event's calendar file, attached to the mails that give someone a place."""

from events.calendar import event_calendar
from registrations.mails.rendering import attach


@attach("acknowledgement", "promoted")
def calendar_attachment(mail):
    registration = mail.registration
    if not registration.holds_place:
        return None
    event = registration.event
    return f"{event.slug}.ics", event_calendar(event), "text/calendar"
