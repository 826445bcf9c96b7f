"""The contact's pages: the mail online, taking part, changing details, unsubscribing.

Reached through personal links in an invitation, so never cached; the token is the only
key, and an unknown one is a plain 404.
"""

from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from regiodag.rate_limits import rate_limited
from registrations.invitations import contacts as contact_services
from registrations.invitations.forms import ContactDetailsForm
from registrations.invitations.models import Invitation
from registrations.invitations.rendering import PREFILL_PARAMETER, invitation_context, prefill_value


def personal_invitation(token):
    invitation = (
        Invitation.objects.select_related("contact", "mailing__event", "mailing__series", "mailing__owner")
        .filter(token=token, contact__isnull=False)
        .first()
    )
    if invitation is None:
        raise Http404
    return invitation


def personal_contact(token):
    contact = contact_services.contact_by_token(token)
    if contact is None:
        raise Http404
    return contact


@never_cache
def online(request, token):
    """ "Lees online": the invitation as it was mailed, its text escaped like the mail's."""
    invitation = personal_invitation(token)
    return render(request, "registrations/invitation_online.html", invitation_context(invitation))


@never_cache
def take_part(request, token):
    """The personal link: counted as opened, then on to the form, filled in."""
    invitation = personal_invitation(token)
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    event = invitation.mailing.event
    if event is None or event.registration_mode != "person":
        return redirect(invitation.mailing.target.get_absolute_url())
    query = urlencode({PREFILL_PARAMETER: prefill_value(invitation)})
    return redirect(f"{reverse('registrations:register', args=[event.slug])}?{query}")


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited(("contact-ip", "ip"))
def details(request, token):
    contact = personal_contact(token)
    form = ContactDetailsForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        contact_services.update_details(contact, form.cleaned_data)
        return render(request, "registrations/contact_details.html", {"contact": contact, "saved": True})
    return render(request, "registrations/contact_details.html", {"contact": contact, "form": form})


@never_cache
@require_http_methods(["GET", "POST"])
@rate_limited(("contact-ip", "ip"))
def unsubscribe(request, token):
    """ "Afmelden" in the mail: a page with one button (a GET changes nothing, so a mail
    scanner following links unsubscribes nobody)."""
    contact = personal_contact(token)
    if request.method == "POST":
        contact = contact_services.unsubscribe(token)
    return render(request, "registrations/contact_unsubscribe.html", {"contact": contact})


@csrf_exempt  # RFC 8058: the mail client posts without a form of ours; the token is the key
@never_cache
@require_POST
# Mail providers post these from a few addresses of their own, so the limit is a loose one.
@rate_limited(("one-click-ip", "ip"))
def one_click(request, token):
    if request.POST.get("List-Unsubscribe") != "One-Click":
        return HttpResponse(status=400)
    if contact_services.unsubscribe(token) is None:
        raise Http404
    return HttpResponse(status=204)
