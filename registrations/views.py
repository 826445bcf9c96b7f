"""Participant-facing views. Personal pages are reached by secret token only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.models import Event
from events.selectors import event_page
from registrations.mails.rendering import render_parts
from registrations.models import Mail, Registration
from registrations.services.registering import cancel as cancel_registration
from registrations.services.waitlist import waitlist_position


def personal_registration(token):
    return get_object_or_404(
        Registration.objects.select_related("event__venue").prefetch_related("participants__choices__workshop"),
        token=token,
    )


def register(request, slug):
    try:
        event = event_page(slug)
    except Event.DoesNotExist:
        raise Http404 from None
    return render(request, "registrations/register_unavailable.html", {"event": event})


def manage(request, token):
    registration = personal_registration(token)
    return render(
        request,
        "registrations/manage.html",
        {"registration": registration, "event": registration.event, "position": waitlist_position(registration)},
    )


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    registration = personal_registration(token)
    if request.method == "POST":
        try:
            cancel_registration(registration.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Uw aanmelding is geannuleerd. U ontvangt een bevestiging per e-mail."))
        return redirect("registrations:manage", token=token)
    return render(request, "registrations/cancel.html", {"registration": registration, "event": registration.event})


def mail_online(request, token, mail_id):
    """'Lees online': the web version of a mail, for its own registration only."""
    mail = get_object_or_404(
        Mail.objects.select_related("registration__event", "participant"), pk=mail_id, registration__token=token
    )
    _subject, _text, html = render_parts(mail)
    return HttpResponse(html)
