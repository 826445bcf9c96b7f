"""The proof of attendance on the web: its download from the personal page, and the public
page its QR code leads to, which says whether a certificate is genuine."""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from regiodag.rate_limits import rate_limited
from registrations.models import Participant
from registrations.pdf.certificate import certificate_filename, certificate_pdf
from registrations.services.certificates import certificate_for, verified


@never_cache
@require_GET
def download(request, token, participant_id):
    """A present participant's certificate, for their own registration only."""
    participant = get_object_or_404(
        Participant.objects.select_related("registration__event"), pk=participant_id, registration__token=token
    )
    certificate = certificate_for(participant.pk)
    if certificate is None:
        raise Http404
    registration = participant.registration
    with translation.override(registration.language or settings.LANGUAGE_CODE):  # as the PDF inside
        name = certificate_filename(registration.event)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Anyone may check a code, so the page is limited per address: enough for an employer
# checking a pile of certificates, far too few to try codes (128 random bits each).
@never_cache
@require_GET
@rate_limited(("certificate-ip", "ip"), methods=("GET",))
def verify(request, code):
    certificate = verified(code)
    if certificate is None:
        return render(request, "404.html", status=404)
    participant = certificate.participant
    return render(
        request,
        "registrations/certificate_verified.html",
        {"participant": participant, "event": participant.registration.event},
    )
