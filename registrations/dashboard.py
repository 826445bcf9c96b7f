"""How an event is doing, for its page in the admin: every figure counted in the database.

Each read is one aggregate query, whatever the number of registrations (a test holds the
page's query count equal for 10 and 200 of them). The charts are drawn on the server as
SVG from these figures; the same figures are shown as tables beside them.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone
from django.utils.formats import date_format

from registrations.models import Attendance, Participant, Registration
from workshops.models import Workshop

Status = Registration.Status
HOLDING = Q(status__in=Registration.HOLDS_PLACE)
PRESENT = Attendance.Status.PRESENT

# A registration period longer than this is shown from its last days only: a chart of a
# year's bars would be unreadable, and the table beside it as long.
MAX_DAYS = 120


def status_counts(event):
    """{"taken", "waiting", "cancelled", "declined", "all"} for the event, in one query."""
    return Registration.objects.filter(event=event).aggregate(
        all=Count("pk"),
        taken=Count("pk", filter=HOLDING),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
        cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
        declined=Count("pk", filter=Q(status=Status.DECLINED)),
    )


def per_day(event, today=None):
    """[(date, registrations made that day)] from the opening (or the first registration)
    to today or the closing, days without registrations included."""
    zone = timezone.get_current_timezone()
    counts = dict(
        Registration.objects.filter(event=event)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    today = today or timezone.localdate()
    last = min(today, timezone.localtime(event.registration_deadline, zone).date())
    first = min(counts, default=last)
    if event.registration_opens_at:
        first = min(first, timezone.localtime(event.registration_opens_at, zone).date())
    last = max([last, *counts])
    first = max(first, last - timedelta(days=MAX_DAYS - 1))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    return [(day, counts.get(day, 0)) for day in days]


def workshops(event):
    """The event's workshops in round order, each with ``taken`` and ``waiting``, in one query."""
    participant_status = "choices__participant__registration__status"
    return list(
        Workshop.objects.filter(round__event=event)
        .select_related("round")
        .annotate(
            taken=Count("choices", filter=Q(**{f"{participant_status}__in": Registration.HOLDS_PLACE})),
            waiting=Count("choices", filter=Q(**{participant_status: Status.WAITLISTED})),
        )
        .order_by("round__number", "title", "pk")
    )


def presence(event):
    """{"expected", "present", "absent"}: the people holding a place and what was recorded."""
    holding = Participant.objects.filter(registration__event=event, registration__status__in=Registration.HOLDS_PLACE)
    return holding.aggregate(
        expected=Count("pk"),
        present=Count("pk", filter=Q(attendance__status=PRESENT)),
        absent=Count("pk", filter=Q(attendance__status=Attendance.Status.ABSENT)),
    )


def checkins_per_hour(event):
    """[(hour, check-ins in that hour)] of the people holding a place; hours without any are left out."""
    zone = timezone.get_current_timezone()
    return list(
        Attendance.objects.filter(
            participant__registration__event=event,
            participant__registration__status__in=Registration.HOLDS_PLACE,
            status=PRESENT,
        )
        .annotate(hour=TruncHour("recorded_at", tzinfo=zone))
        .values_list("hour")
        .annotate(n=Count("pk"))
        .values_list("hour", "n")
        .order_by("hour")
    )


def phase(event, now=None):
    """'before' the event day, 'today' (its day, or while it runs), or 'after' it ended."""
    now = now or timezone.now()
    if now >= event.ends_at:
        return "after"
    if timezone.localdate(now) >= timezone.localdate(event.starts_at):
        return "today"
    return "before"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


# The columns chart's drawing area, in SVG user units; the browser scales it to the page.
COLUMN_AREA = (600, 160)


def columns(points, area=COLUMN_AREA):
    """Vertical bars for [(label, value)], scaled to the highest value."""
    width, height = area
    if not points:
        return []
    step = width / len(points)
    top = max(value for _label, value in points) or 1
    bars = []
    for n, (label, value) in enumerate(points):
        bar_height = height * value / top
        bars.append(Bar(str(label), value, n * step + step * 0.1, height - bar_height, step * 0.8, bar_height))
    return bars


@dataclass(frozen=True)
class Fill:
    """One workshop's row: a bar of its capacity, filled as far as places are taken."""

    workshop: Workshop
    y: float
    filled: float  # width in the 0-100 scale of the capacity
    over: bool


ROW_HEIGHT = 24


def fills(workshops_):
    rows = []
    for n, workshop in enumerate(workshops_):
        share = workshop.taken / workshop.capacity if workshop.capacity else 0
        rows.append(Fill(workshop, n * ROW_HEIGHT, min(share, 1) * 100, workshop.taken >= workshop.capacity))
    return rows


def dashboard(event, now=None):
    """Everything the event's page shows, in a fixed number of queries."""
    now = now or timezone.now()
    days = per_day(event, timezone.localdate(now))
    workshop_rows = workshops(event)
    hours = checkins_per_hour(event)
    counts = status_counts(event)
    present = presence(event)
    return {
        "counts": counts,
        "free": None if event.capacity is None else max(event.capacity - counts["taken"], 0),
        "days": days,
        "day_bars": columns([(date_format(day, "D j M"), n) for day, n in days]),
        "workshops": workshop_rows,
        "workshop_fills": fills(workshop_rows),
        "workshop_area_height": max(len(workshop_rows), 1) * ROW_HEIGHT,
        "presence": present,
        "no_show_count": present["expected"] - present["present"],
        "hours": hours,
        "hour_bars": columns([(timezone.localtime(hour).strftime("%H:%M"), n) for hour, n in hours]),
        "phase": phase(event, now),
    }
