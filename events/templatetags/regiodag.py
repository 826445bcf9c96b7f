"""Template helpers for dates, times (see events.dates) and places left."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.dates import hour, long_date, time_to_go

register = template.Library()
register.filter("long_date", long_date)
register.filter("hour", hour)
register.filter("time_to_go", time_to_go)


@register.simple_tag
def places_label(left, unit="person"):
    if left is None:
        return _("Plaatsen beschikbaar")
    if left == 0:
        return _("Vol")
    if unit == "team":
        return ngettext("Nog %(n)s plaats voor een driehoek", "Nog %(n)s plaatsen voor driehoeken", left) % {"n": left}
    return ngettext("Nog %(n)s plaats", "Nog %(n)s plaatsen", left) % {"n": left}


@register.filter
def room_label(room):
    """'Zaal: Blauwe kamer', but 'Zaal 2' as it is: a room named 'Zaal …' needs no label."""
    label = _("Zaal")
    if room.split(" ", 1)[0].casefold() in {"zaal", str(label).casefold()}:
        return room
    return f"{label}: {room}"
