"""The PDF confirmation: event, person, workshops, venue and a QR code for the door.

WeasyPrint spends much of a small document's time loading fonts. A worker renders
thousands of these, so the shipped font stylesheet is parsed once per process, with one
font configuration, and handed to every render; the template links the same stylesheet
for any other renderer (a browser, a bare WeasyPrint call), which gives the same result.
"""

import functools

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from events.calendar import event_calendar
from registrations.checkin_codes import checkin_payload
from registrations.mails.rendering import attach
from registrations.pdf.rendering import STATIC_ROOTS, StaticOnlyFetcher, base_url

TEMPLATE = "pdf/confirmation.html"


def qr_svg(participant):
    """The check-in QR code as an inline SVG element (no file, no fetch)."""
    code = segno.make(checkin_payload(participant), error="m", micro=False)
    return code.svg_inline(scale=4, border=2, dark="#000000", omitsize=False)


def confirmation_context(participant):
    registration = participant.registration
    event = registration.event
    choices = list(participant.choices.select_related("workshop", "round").order_by("round__number"))
    return {
        "participant": participant,
        "registration": registration,
        "event": event,
        "venue": event.venue,
        "programme": list(event.programme.all()),
        "choices": choices,
        "qr_svg": qr_svg(participant),
        "personal_url": f"{settings.SITE_URL}{reverse('registrations:manage', args=[registration.token])}",
    }


def confirmation_html(participant, *, link_fonts=True):
    context = confirmation_context(participant)
    context["link_fonts"] = link_fonts
    return render_to_string(TEMPLATE, context)


@functools.cache
def shared_fonts():
    """(stylesheet, font configuration) for this process, made on first use."""
    font_config = FontConfiguration()
    stylesheet = CSS(
        filename=str(STATIC_ROOTS[0] / "css" / "fonts.css"), font_config=font_config, url_fetcher=StaticOnlyFetcher()
    )
    return stylesheet, font_config


def confirmation_pdf(participant):
    stylesheet, font_config = shared_fonts()
    html = confirmation_html(participant, link_fonts=False)
    return HTML(string=html, base_url=base_url(), url_fetcher=StaticOnlyFetcher()).write_pdf(
        stylesheets=[stylesheet], font_config=font_config
    )


def filename(event, suffix):
    return f"{slugify(event.title)[:60] or 'evenement'}{suffix}"


@attach("definitive_confirmation", heavy=True)
def pdf_attachment(mail):
    event = mail.registration.event
    return filename(event, _("-bevestiging.pdf")), confirmation_pdf(mail.participant), "application/pdf"


@attach("definitive_confirmation", "event_changed", "event_cancelled")
def calendar_attachment(mail):
    event = mail.registration.event
    # Calendars replace an event only by a higher SEQUENCE; the last change's time always is.
    sequence = int(event.updated_at.timestamp()) if event.updated_at else 0
    return filename(event, ".ics"), event_calendar(event, sequence=sequence), "text/calendar"
