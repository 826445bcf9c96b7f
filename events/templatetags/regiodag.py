"""Template helpers for Dutch dates and places left."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def long_date(value):
    """'donderdag 18 juni 2026' in Dutch, 'Thursday 18 June 2026' in English."""
    if not value:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return formats.date_format(value, "l j F Y")


@register.filter
def hour(value):
    """'10.00' — Dutch writes times with a dot."""
    if not value:
        return ""
    return timezone.localtime(value).strftime("%H.%M")


@register.simple_tag
def places_label(left, unit="person"):
    if left is None:
        return _("Plaatsen beschikbaar")
    if left == 0:
        return _("Vol")
    if unit == "team":
        return ngettext("Nog %(n)s plaats voor een driehoek", "Nog %(n)s plaatsen voor driehoeken", left) % {"n": left}
    return ngettext("Nog %(n)s plaats", "Nog %(n)s plaatsen", left) % {"n": left}
