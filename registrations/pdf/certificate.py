"""The proof of attendance ("bewijs van deelname") as a PDF, with a QR code to its public check.

Rendered through the one locked fetcher (registrations.pdf.rendering), in the participant's
language, from what the database says now; the template escapes every name it prints.
"""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _

from registrations.mails.rendering import attach
from registrations.pdf.confirmation import QR_BORDER, filename, pdf_with_shared_styles
from registrations.services.certificates import MAIL_KIND, certificate_for

TEMPLATE = "pdf/certificate.html"
STYLES = "pdf/certificate.css"
# The public page is read by phone cameras from paper: a larger module than the door's code.
QR_SCALE = 4


def verify_url(certificate):
    return f"{settings.SITE_URL}{reverse('registrations:certificate', args=[certificate.code])}"


def duration_hours(event):
    """The event's length in hours, in the active language's number format ("6,5" / "6.5")."""
    minutes = int((event.ends_at - event.starts_at).total_seconds() // 60)
    return formats.number_format(minutes / 60, decimal_pos=1 if minutes % 60 else 0, use_l10n=True)


def certificate_context(certificate):
    participant = certificate.participant
    event = participant.registration.event
    url = verify_url(certificate)
    return {
        "certificate": certificate,
        "participant": participant,
        "registration": participant.registration,
        "event": event,
        "programme": list(event.programme.all()),
        "organisers": [str(organisation) for organisation in event.organisations.all()],
        "duration": duration_hours(event),
        "verify_url": url,
        "qr_image": segno.make(url, error="m", micro=False).png_data_uri(scale=QR_SCALE, border=QR_BORDER),
    }


def certificate_html(certificate, *, standalone=True):
    """In the language the participant registered in; ``standalone`` embeds the styles."""
    with translation.override(certificate.participant.registration.language or settings.LANGUAGE_CODE):
        # The context too: its figures are formatted in the language.
        return render_to_string(TEMPLATE, {**certificate_context(certificate), "standalone": standalone})


def certificate_pdf(certificate):
    # The fonts and styles parsed once per process, as for the confirmation: loading the
    # fonts anew took most of each certificate's render time.
    return pdf_with_shared_styles(certificate_html(certificate, standalone=False), STYLES)


def certificate_filename(event):
    return filename(event, _("-bewijs-van-deelname.pdf"))


@attach(MAIL_KIND, heavy=True)
def certificate_attachment(mail):
    certificate = certificate_for(mail.participant_id)
    if certificate is None:
        return None  # delivery skips such a mail before it gets here
    return certificate_filename(mail.registration.event), certificate_pdf(certificate), "application/pdf"
