"""Dates and times as the active language writes them, for pages, mails and PDFs alike.

Dutch writes 'donderdag 18 juni 2026, 13.00', English 'Thursday 18 June 2026, 13:00'. Every
place that shows a time goes through ``hour`` so that the two languages never mix on a page.
"""

from django.utils import formats, timezone
from django.utils.translation import get_language

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
