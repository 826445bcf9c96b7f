"""The PDF confirmation: event, person, workshops, venue and a QR code for the door.

WeasyPrint spends much of a small document's time loading fonts (seconds, decoding the
WOFF2 files) and parsing styles. A worker renders thousands of these, so the shipped font
stylesheet and the confirmation's own styles are parsed once per process, with one font
configuration, and handed to every render. Rendered ``standalone`` the template links
and embeds the same styles itself, for any other renderer (a bare WeasyPrint call, a
browser), with the same result.
"""

import functools

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from events.calendar import event_calendar, event_location
from registrations.checkin.codes import checkin_payload
from registrations.mails.rendering import attach
from registrations.pdf.rendering import STATIC_ROOTS, StaticOnlyFetcher, base_url

TEMPLATE = "pdf/confirmation.html"
STYLES = "pdf/confirmation.css"


# One pixel per QR module: the PDF scales the image up without smoothing, so more pixels
# would only cost encoding time.
QR_SCALE = 1
QR_BORDER = 2


def checkin_qr(participant):
    """The check-in QR code as a PNG data URI: no file, no fetch.

    A PNG rather than SVG because WeasyPrint draws an SVG code's path in Python: on this
    one-page document it costs about 40 ms more per PDF than decoding a small PNG, a third
    of the render time. The image is drawn with ``image-rendering: pixelated``, so the
    modules stay sharp at any size.
    """
    # A fixed mask skips segno's evaluation of all eight (two thirds of its time per code);
    # any mask is valid, and door scanners read a code this size with mask 0 just as well.
    code = segno.make(checkin_payload(participant), error="m", micro=False, mask=0)
    return code.png_data_uri(scale=QR_SCALE, border=QR_BORDER)


def confirmation_context(participant):
    registration = participant.registration
    event = registration.event
    # Ordered by round (the model's ordering); already loaded when called for a mail.
    choices = list(participant.choices.all())
    return {
        "participant": participant,
        "registration": registration,
        "event": event,
        "venue": event.venue,
        "programme": list(event.programme.all()),
        "choices": choices,
        "qr_image": checkin_qr(participant),
        "personal_url": f"{settings.SITE_URL}{reverse('registrations:manage', args=[registration.token])}",
    }


def confirmation_html(participant, *, standalone=True):
    context = confirmation_context(participant)
    context["standalone"] = standalone
    # In the participant's language wherever it is made (a mail, the organiser's preview), so
    # the text and the document's declared language (<html lang>) always agree.
    with translation.override(participant.registration.language or settings.LANGUAGE_CODE):
        return render_to_string(TEMPLATE, context)


@functools.cache
def shared_styles(own_styles=STYLES):
    """([stylesheets], font configuration) for this process, made on first use; the fonts
    and ``own_styles`` (a template), for each kind of document that uses them."""
    font_config = FontConfiguration()
    fetcher = StaticOnlyFetcher()
    fonts = CSS(filename=str(STATIC_ROOTS[0] / "css" / "fonts.css"), font_config=font_config, url_fetcher=fetcher)
    own = CSS(string=render_to_string(own_styles), base_url=base_url(), font_config=font_config, url_fetcher=fetcher)
    return [fonts, own], font_config


def pdf_with_shared_styles(html, own_styles=STYLES):
    """``html`` (rendered without its own styles) as a PDF, with the process's parsed styles."""
    stylesheets, font_config = shared_styles(own_styles)
    return HTML(string=html, base_url=base_url(), url_fetcher=StaticOnlyFetcher()).write_pdf(
        stylesheets=stylesheets, font_config=font_config
    )


def confirmation_pdf(participant):
    return pdf_with_shared_styles(confirmation_html(participant, standalone=False))


def filename(event, suffix):
    return f"{slugify(event.title)[:60] or 'evenement'}{suffix}"


@attach("definitive_confirmation", heavy=True)
def pdf_attachment(mail):
    event = mail.registration.event
    return filename(event, _("-bevestiging.pdf")), confirmation_pdf(mail.participant), "application/pdf"


# The calendar file is the same for every participant of an event version; a worker makes
# it once per version instead of once per mail (its time zone block is the costly part).
_calendars = {}


def calendar_for(event):
    # Calendars replace an event only by a higher SEQUENCE; the last change's time always is.
    sequence = int(event.updated_at.timestamp()) if event.updated_at else 0
    key = (event.pk, sequence, event.title, event.starts_at, event.ends_at, event.status, event_location(event))
    if key not in _calendars:
        if len(_calendars) >= 64:
            _calendars.clear()
        _calendars[key] = event_calendar(event, sequence=sequence)
    return _calendars[key]


@attach("definitive_confirmation", "event_changed", "event_cancelled")
def calendar_attachment(mail):
    event = mail.registration.event
    return filename(event, ".ics"), calendar_for(event), "text/calendar"
