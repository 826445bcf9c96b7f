"""The driehoek registration page: thin, the rules live in registrations.driehoek.admission."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.models import Event
from events.municipalities import municipality_names
from events.selectors import annotate_places
from regiodag.rate_limits import posted_address, rate_limited
from registrations.driehoek.admission import MunicipalityHoldsPlace, register_team
from registrations.driehoek.forms import TeamRegistrationForm
from registrations.errors import EventFull, RegistrationError


@require_http_methods(["GET", "POST"])
@rate_limited(
    ("team-ip", "ip"),
    *(("team-email", posted_address(field)) for field in ["contact_email", "lid1-email", "lid2-email", "lid3-email"]),
)
def register(request, slug):
    event = get_object_or_404(
        Event.objects.published().select_related("series", "venue"), slug=slug, registration_mode="team"
    )
    annotate_places([event])
    state = event.registration_state()
    if state != "open":
        # After the deadline the form is gone and a post changes nothing.
        return render(request, "registrations/team_closed.html", {"event": event, "state": state}, status=200)
    form = TeamRegistrationForm(request.POST if request.method == "POST" else None)
    offer_waitlist = event.left == 0
    if request.method == "POST" and form.is_valid():
        data = form.team.cleaned_data
        try:
            registration = register_team(
                event.pk,
                municipality=data["municipality"],
                people=form.people(),
                contact_name=data["contact_name"],
                contact_email=data["contact_email"],
                waitlist=data["waitlist"],
                language=(get_language() or "nl")[:2],
            )
        except RegistrationError as error:
            if isinstance(error, EventFull):
                offer_waitlist = True
                error = EventFull(
                    _("Deze bijeenkomst is vol (vol = vol). Vink hieronder aan dat u op de wachtlijst wilt.")
                )
            form.add_service_error(error)
            if isinstance(error, MunicipalityHoldsPlace):
                # Anyone can fill in the form for a municipality: a team that is not theirs
                # holds its place only until the organiser declines it.
                form.team.add_error(
                    "municipality",
                    _(
                        "Heeft uw gemeente die driehoek niet aangemeld? Neem dan contact op met de organisator; "
                        "die kan een onterechte aanmelding afwijzen, waarna u uw driehoek kunt aanmelden."
                    ),
                )
        else:
            if registration.status == registration.Status.WAITLISTED:
                messages.success(
                    request, _("Uw driehoek staat op de wachtlijst. Alle drie de leden krijgen een e-mail.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Uw driehoek is aangemeld en houdt een plaats vast. De organisator beslist over de toelating; "
                        "alle drie de leden krijgen daarover bericht."
                    ),
                )
            return redirect("registrations:manage", token=registration.token)
    return render(
        request,
        "registrations/team_register.html",
        {
            "event": event,
            "form": form,
            "offer_waitlist": offer_waitlist,
            "municipalities": municipality_names(),
        },
    )
