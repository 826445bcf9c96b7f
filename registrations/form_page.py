"""The empty registration form page: the page a crowd loads when registration opens.

Rendering it (crispy forms, two rounds of workshops, hundreds of organisation suggestions)
costs far more than everything else a request does, so its markup is rendered once per
event, language and waiting-list offer and kept until the event or its workshops change.
What differs per request is left in it as stand-ins, and the markup is kept split at them,
so that a request only joins the pieces with its own values:
the places left (at most two seconds old, like the event and rounds they come from; the
service checks the places themselves when the form is sent), which workshops can no longer
be picked, the visitor's CSRF token and the form's start stamp.
"""

import hashlib
import re

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.templatetags.regiodag import places_label
from registrations.forms import OPTION_SLOT, PLACES_SLOT, RegistrationForm, sign_start, workshop_places

CSRF_SLOT = "__regiodag_csrf__"
STARTED_SLOT = "__regiodag_started__"
EVENT_PLACES_SLOT = "__regiodag_event_places__"
# An upper bound on how long markup may outlive a change the fingerprint does not see.
MARKUP_SECONDS = 60
# Every stand-in is "__regiodag_<name>__" (also OPTION_SLOT and PLACES_SLOT); splitting at
# this pattern leaves the names at the odd positions of the list.
SLOT = re.compile(r"__regiodag_(\w+?)__")


def event_places(event):
    """The event's places above the form: full (with the waiting list explained) or left."""
    if event.left == 0:
        return format_html(
            '<p class="alert alert-warning">{}</p>',
            _(
                "Dit evenement is vol. U kunt zich op de wachtlijst plaatsen; komt er een plaats vrij, "
                "dan krijgt u die automatisch en laten we het u per e-mail weten."
            ),
        )
    if event.left is None:
        return ""
    return format_html('<p><span class="places-left">{}</span></p>', places_label(event.left))


def fingerprint(event, rounds):
    """Everything in the markup that is not a stand-in, as far as the database holds it."""
    facts = [event.pk, event.updated_at, event.venue.one_line if event.venue else ""]
    for rnd in rounds:
        facts += [rnd.pk, str(rnd), rnd.starts_at, rnd.ends_at]
        facts += [(w.pk, w.title, w.room) for w in rnd.workshop_list]
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:20]


def render(request, event, rounds, offer_waitlist, **context):
    form = RegistrationForm(event=event, rounds=rounds, offer_waitlist=offer_waitlist, slots=True)
    context = {"event": event, "form": form, "bound": False, "offer_waitlist": offer_waitlist, **context}
    return render_to_string("registrations/register.html", context, request)


def blank_form_page(request, event, rounds, offer_waitlist):
    """The page's HTML for this request."""
    key = f"registration-page:{get_language()}:{offer_waitlist}:{fingerprint(event, rounds)}"
    pieces = cache.get(key)
    if pieces is None:
        markup = render(
            request,
            event,
            rounds,
            offer_waitlist,
            csrf_token=CSRF_SLOT,
            started=STARTED_SLOT,
            event_places=EVENT_PLACES_SLOT,
        )
        pieces = SLOT.split(markup)
        cache.set(key, pieces, MARKUP_SECONDS)
    return fill(pieces, request, event, rounds, offer_waitlist)


def fill(pieces, request, event, rounds, offer_waitlist):
    """Join the markup's pieces with this request's values for the stand-ins between them."""
    workshops = {str(w.pk): w for rnd in rounds for w in rnd.workshop_list}
    values = {CSRF_SLOT: get_token(request), STARTED_SLOT: sign_start(), EVENT_PLACES_SLOT: event_places(event)}
    for pk, workshop in workshops.items():
        values[PLACES_SLOT.format(pk)] = workshop_places(workshop)
        # On a full event everybody waits, so every workshop is a valid preference.
        values[OPTION_SLOT.format(pk)] = "disabled" if workshop.is_full and not offer_waitlist else ""
    return "".join(values[f"__regiodag_{piece}__"] if odd else piece for odd, piece in alternate(pieces))


def alternate(pieces):
    for index, piece in enumerate(pieces):
        yield index % 2 == 1, piece
