"""Dates and times as the active language writes them, for pages, mails and PDFs alike.

Dutch writes 'donderdag 18 juni 2026, 13.00', English 'Thursday 18 June 2026, 13:00'. Every
place that shows a time goes through ``hour`` so that the two languages never mix on a page.
"""

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext, ngettext

# Dutch (the source language, and so the fallback) separates hours and minutes with a dot.
HOUR_FORMATS = {"en": "%H:%M"}
DUTCH_HOUR_FORMAT = "%H.%M"


def long_date(value):
    """'donderdag 18 juni 2026' in Dutch, 'Thursday 18 June 2026' in English."""
    if not value:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return formats.date_format(value, "l j F Y")


def hour(value):
    """'13.00' in Dutch, '13:00' in English, in the site's time zone."""
    if not value:
        return ""
    language = (get_language() or "").split("-")[0]
    return timezone.localtime(value).strftime(HOUR_FORMATS.get(language, DUTCH_HOUR_FORMAT))


def days_until(moment, now=None):
    """Calendar days from ``now`` (default: this moment) to ``moment`` in the site's time zone:
    0 on the day itself, 1 the day before, negative afterwards."""
    if now is None:
        now = timezone.now()
    return (timezone.localdate(moment) - timezone.localdate(now)).days


def time_to_go(days):
    """The opening of a countdown sentence: 'Morgen is het zover', 'Over 3 dagen is het zover'."""
    if days <= 0:
        return gettext("Vandaag is het zover")
    if days == 1:
        return gettext("Morgen is het zover")
    if days == 7:
        return gettext("Over een week is het zover")
    return ngettext("Over %(n)s dag is het zover", "Over %(n)s dagen is het zover", days) % {"n": days}
