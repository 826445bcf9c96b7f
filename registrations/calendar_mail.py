"""The event's calendar file, attached to the mails that give someone a place, and its
cancellation, attached to the mail that confirms a cancellation."""

from django.utils import timezone

from events.calendar import event_calendar
from registrations.mails.rendering import attach


@attach("acknowledgement", "promoted")
def calendar_attachment(mail):
    registration = mail.registration
    if not registration.holds_place:
        return None
    event = registration.event
    return f"{event.slug}.ics", event_calendar(event), "text/calendar"


@attach("cancelled")
def calendar_cancellation(mail):
    """Takes the event out of the calendar the earlier file put it in. Its sequence is the
    moment of sending, after that of every file sent before."""
    event = mail.registration.event
    sequence = int(timezone.now().timestamp())
    return (
        f"{event.slug}-afgemeld.ics",
        event_calendar(event, sequence=sequence, cancel_for=mail.recipient),
        "text/calendar",
    )
