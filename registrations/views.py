"""Participant-facing views. Personal pages are reached by secret token only."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from events.models import Event
from events.selectors import annotate_places
from regiodag.downloads import file_response
from regiodag.rate_limits import posted_address, rate_limited
from registrations import form_page
from registrations.errors import (
    DuplicateRegistration,
    EventFull,
    RegistrationClosed,
    RegistrationError,
    WorkshopFull,
)
from registrations.form_page import event_places
from registrations.forms import DetailsForm, WorkshopChoiceForm, registration_form_class, sign_start
from registrations.invitations.prefill import PREFILL_PARAMETER, invitation_prefill
from registrations.mails.rendering import render_parts
from registrations.models import Mail, Registration
from registrations.personal_data import personal_data_json
from registrations.selectors import choice_rounds, registration_material, registration_materials, waiting_for
from registrations.services.certificates import earners
from registrations.services.details import update_details
from registrations.services.registering import cancel as cancel_registration
from registrations.services.registering import change_workshops as change_workshop_choices
from registrations.services.registering import register as register_person
from registrations.services.resending import resend_personal_link
from registrations.services.retention import erase_on_request
from registrations.services.waitlist import waitlist_position


def personal_registration(token):
    return get_object_or_404(
        Registration.objects.select_related("event__venue").prefetch_related("participants__choices__workshop"),
        token=token,
    )


def attach_error(form, error):
    """Put a service's refusal beside the field it concerns (or above the form)."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, error)


@require_http_methods(["GET", "POST"])
@rate_limited(("register-ip", "ip"), ("register-email", posted_address("email")))
def register(request, slug):
    event = get_object_or_404(Event.objects.published().select_related("venue"), slug=slug)
    if event.registration_mode == "team":
        # A driehoek registers as a team: whoever has this address wants that form.
        return redirect("registrations:register_team", slug=event.slug)
    if event.registration_mode != "person":
        return render(request, "registrations/register_unavailable.html", {"event": event})
    state = event.registration_state()
    if state != "open":
        return render(request, "registrations/register_closed.html", {"event": event, "state": state})
    if request.method == "GET":
        initial = invitation_prefill(request.GET.get(PREFILL_PARAMETER))
        if initial:
            return render_prefilled(request, event, initial)
        places, form_html, offer_waitlist = form_page.blank_form(event)
        context = {"event_places": places, "form_html": form_html, "offer_waitlist": offer_waitlist}
        return render(request, "registrations/register.html", {**context, "event": event, "started": sign_start()})

    # Checking the form needs no places: the capacity service decides on them under its
    # lock. Only a form shown again counts them, for the places above it and the waiting list.
    rounds = choice_rounds(event)
    form = registration_form_class(rounds)(request.POST)
    if form.is_valid():
        try:
            register_person(
                event.pk,
                people=[form.person()],
                waitlist=form.cleaned_data["waitlist"],
                language=get_language() or "nl",
            )
        except DuplicateRegistration as error:
            # Answered as a newcomer with this form would be, so that nobody learns from the
            # page whether someone registered; the mail tells the address's owner.
            if error.existing is not None:
                resend_personal_link(error.existing.pk)
            annotate_places([event])
            refusal = newcomer_refusal(event, rounds, form)
            if refusal is None:
                return redirect("registrations:sent", slug=event.slug)
            if isinstance(refusal, EventFull):
                return render_full(request, event, form.data)
            form.show_waitlist()
            attach_error(form, refusal)
        except RegistrationClosed:
            return render(request, "registrations/register_closed.html", {"event": event, "state": "closed"})
        except EventFull:
            form_page.found_full(event)
            return render_full(request, event, form.data)
        except WorkshopFull as error:
            form.show_waitlist()
            attach_error(form, error)
        except RegistrationError as error:
            attach_error(form, error)
        else:
            # Not the personal page: the answer must not tell a new address from a known one.
            return redirect("registrations:sent", slug=event.slug)
    annotate_places([event])
    if event.left == 0:
        form.show_waitlist()
    return render_register(request, event, form, offer_waitlist=form.offer_waitlist)


def newcomer_refusal(event, rounds, form):
    """The refusal a new address would likely have had for this form, as the places read
    for it moments ago have it; None where it would have been taken."""
    if form.cleaned_data["waitlist"]:
        return None
    if event.left == 0:
        return EventFull()
    chosen = set(form.workshop_ids())
    for rnd in rounds:
        for workshop in rnd.workshop_list:
            if workshop.pk in chosen and workshop.is_full:
                return WorkshopFull(workshop, field=f"round_{rnd.number}")
    return None


def sent(request, slug):
    """After registering, for a new address and a known one alike: see your mail."""
    event = get_object_or_404(Event.objects.published().select_related("venue"), slug=slug)
    return render(request, "registrations/sent.html", {"event": event})


def render_register(request, event, form, *, offer_waitlist, started=None):
    """The form rendered for this visitor alone: again with what was sent and the errors,
    or filled in beforehand."""
    return render(
        request,
        "registrations/register.html",
        {
            "event": event,
            "form": form,
            "bound": True,
            "offer_waitlist": offer_waitlist,
            "event_places": event_places(event),
            # A re-shown form keeps its original start (or the fresh one a stale form got).
            "started": started or form.data.get("started", ""),
        },
    )


def render_prefilled(request, event, initial):
    """The form filled in with an invited contact's details: rendered for them alone, never
    cached (not by us, nor by a browser or proxy)."""
    annotate_places([event])
    offer_waitlist = event.left == 0
    form = registration_form_class(choice_rounds(event), offer_waitlist=offer_waitlist)(initial=initial)
    response = render_register(request, event, form, offer_waitlist=offer_waitlist, started=sign_start())
    add_never_cache_headers(response)
    return response


def render_full(request, event, data):
    """Offer the waiting list with what was sent, as one button: no need to fill in again.
    Everything they filled in was right; only the places ran out meanwhile. ``data``: the
    form's, whose start stamp is a fresh one (the sent one is used up)."""
    kept = [
        (name, value)
        for name in data
        if name not in {"csrfmiddlewaretoken", "waitlist"}
        for value in data.getlist(name)
    ]
    return render(request, "registrations/register_full.html", {"event": event, "kept": kept})


@never_cache
def confirmation(request, token):
    registration = personal_registration(token)
    return render(
        request,
        "registrations/confirmation.html",
        {
            "registration": registration,
            "event": registration.event,
            "position": waitlist_position(registration),
            "waiting_for": waiting_for(registration),
        },
    )


def sole_participant(registration):
    """The one person of a personal registration; None for a team (changed elsewhere)."""
    participants = registration.participants.all()
    return participants[0] if len(participants) == 1 else None


def manage_context(registration, *, details_form=None, workshops_form=None):
    event = registration.event
    participant = sole_participant(registration)
    context = {
        "registration": registration,
        "event": event,
        "participant": participant,
        "position": waitlist_position(registration),
        "waiting_for": waiting_for(registration),
        "can_change": participant is not None and registration.is_active and event.starts_at > timezone.now(),
        "workshop_materials": registration_materials(registration),
        # Present members after the event; a team's page offers one per member who came.
        "certificate_holders": earners(registration),
    }
    if context["can_change"]:
        rounds = choice_rounds(event)
        context["details_form"] = details_form or DetailsForm(participant=participant)
        if rounds:
            context["workshops_form"] = workshops_form or WorkshopChoiceForm(
                rounds=rounds,
                current=participant.choices.all(),
                full_selectable=not registration.holds_place,
            )
    return context


@never_cache
def manage(request, token):
    registration = personal_registration(token)
    return render(request, "registrations/manage.html", manage_context(registration))


@never_cache
@require_POST
def change_details(request, token):
    registration = personal_registration(token)
    participant = sole_participant(registration)
    if participant is None:
        raise Http404
    form = DetailsForm(request.POST, participant=participant)
    if form.is_valid():
        try:
            update_details(registration.pk, participant.pk, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Uw gegevens zijn gewijzigd."))
        return redirect("registrations:manage", token=token)
    return render(request, "registrations/manage.html", manage_context(registration, details_form=form), status=400)


@never_cache
@require_POST
def change_workshops(request, token):
    registration = personal_registration(token)
    participant = sole_participant(registration)
    if participant is None:
        raise Http404
    rounds = choice_rounds(registration.event)
    form = WorkshopChoiceForm(
        request.POST, rounds=rounds, current=participant.choices.all(), full_selectable=not registration.holds_place
    )
    if form.is_valid():
        try:
            change_workshop_choices(registration.pk, participant.pk, list(form.workshop_ids()))
        except RegistrationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Uw workshopkeuze is gewijzigd."))
            return redirect("registrations:manage", token=token)
    return render(request, "registrations/manage.html", manage_context(registration, workshops_form=form), status=400)


@never_cache
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


@never_cache
@require_POST
def erase(request, token):
    """The button on the personal page after cancelling: erase my data now."""
    registration = personal_registration(token)
    try:
        erase_on_request(registration.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("registrations:manage", token=token)
    # The token went with the data: there is no personal page to return to.
    messages.success(request, _("Uw gegevens zijn gewist. De link in uw e-mails werkt niet meer."))
    return redirect("events:catalogue")


@never_cache
def my_data(request, token):
    """Right of access: what we hold about this registration, as a JSON file."""
    registration = personal_registration(token)
    response = HttpResponse(personal_data_json(registration), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mijn-gegevens-regiodag.json"'
    return response


@never_cache
def material_file(request, token, material_id):
    material = registration_material(token, material_id)
    if material is None:
        raise Http404
    return file_response(material.file)


# A mail's HTML carries its styles in style="…" attributes (mail clients ignore style sheets);
# read online, it may keep them, and nothing else inline.
@never_cache
@csp_update({"style-src": [UNSAFE_INLINE]})
def mail_online(request, token, mail_id):
    """'Lees online': the web version of a mail, for its own registration only."""
    mail = get_object_or_404(
        Mail.objects.select_related("registration__event", "participant"), pk=mail_id, registration__token=token
    )
    _subject, _text, html = render_parts(mail)
    return HttpResponse(html)
