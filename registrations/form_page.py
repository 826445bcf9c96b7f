"""The registration form page: the page a crowd loads when registration opens.

Rendering it (crispy forms, two rounds of workshops, hundreds of organisation suggestions)
costs far more than everything else a request does, so its markup is rendered once per
event, language and waiting-list offer and kept until the event or its workshops change.
What differs per request is left in it as stand-ins, and the markup is kept split at them.
The places (how many are left, which workshops can no longer be picked) are filled in once
per snapshot of the event, which is at most two seconds old (the service checks the places
themselves when the form is sent); a request then only adds its own CSRF token and start
stamp. Everything is kept in the process's object cache (regiodag/object_cache.py), shared
by its requests and never changed after it is made.
"""

import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import caches
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.models import Event
from events.selectors import annotate_places
from events.templatetags.regiodag import places_label
from registrations.forms import OPTION_SLOT, PLACES_SLOT, registration_form_class, sign_start, workshop_places
from registrations.services.places import RegistrationFacts

CSRF_SLOT = "__regiodag_csrf__"
STARTED_SLOT = "__regiodag_started__"
EVENT_PLACES_SLOT = "__regiodag_event_places__"
KEPT_SLOT = "__regiodag_kept__"
# An upper bound on how long markup may outlive a change the fingerprint does not see.
MARKUP_SECONDS = 60
# How old the places shown on the page may be.
SNAPSHOT_SECONDS = 2
# Every stand-in is "__regiodag_<name>__" (also OPTION_SLOT and PLACES_SLOT); splitting at
# this pattern leaves the names at the odd positions of the list.
SLOT = re.compile(r"__regiodag_(\w+?)__")


@dataclass(eq=False)
class FormSnapshot:
    """The event with its places and its rounds with theirs, as the page shows them."""

    event: Event
    # What is made once per snapshot: the pages' pieces with the places filled in and the
    # form's class, per language and waiting-list offer.
    made: dict = field(default_factory=dict)

    @cached_property
    def rounds(self):
        from registrations.selectors import choice_rounds

        return choice_rounds(self.event)

    @cached_property
    def facts(self):
        """What registering needs to know of the event, as this snapshot saw it (see
        registrations.services.registering.register)."""
        round_of = {workshop.pk: rnd.pk for rnd in self.rounds for workshop in rnd.workshop_list}
        window = tuple(getattr(self.event, name) for name in Event.REGISTRATION_WINDOW_FIELDS)
        return RegistrationFacts(
            self.event.series_id, round_of, looked_full=self.event.left == 0, registered=False, window=window
        )

    def once(self, key, build):
        """``build()``, made once for this snapshot under ``key``."""
        made = self.made.get(key)
        if made is None:
            made = self.made[key] = build()
        return made

    def form_class(self, offer_waitlist):
        """The registration form of this snapshot's event and rounds, for sent forms."""
        return self.once(
            ("form", get_language(), offer_waitlist),
            lambda: registration_form_class(self.rounds, offer_waitlist=offer_waitlist),
        )


def snapshot(slug):
    """The published event's snapshot, at most SNAPSHOT_SECONDS old; 404 if there is none."""

    def build():
        event = get_object_or_404(Event.objects.published().select_related("venue"), slug=slug)
        annotate_places([event])
        return FormSnapshot(event)

    return caches["objects"].get_or_set(f"registration-form:{slug}", build, SNAPSHOT_SECONDS)


def forget(slug):
    """Let the next visitor see the places of now (tests; an organiser's change waits for the
    snapshot to expire)."""
    caches["objects"].delete(f"registration-form:{slug}")


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


def render(request, event, rounds, offer_waitlist, initial=None, **context):
    form = registration_form_class(rounds, offer_waitlist=offer_waitlist, slots=True)(initial=initial)
    context = {"event": event, "form": form, "bound": False, "offer_waitlist": offer_waitlist, **context}
    return render_to_string("registrations/register.html", context, request)


def blank_form_page(request, snap, offer_waitlist):
    """The page's HTML for this request."""
    pieces = snap.once(
        (get_language(), offer_waitlist),
        lambda: substitute(markup(request, snap, offer_waitlist), places_values(snap, offer_waitlist)),
    )
    return "".join(substitute(pieces, {CSRF_SLOT: get_token(request), STARTED_SLOT: sign_start()}))


def markup(request, snap, offer_waitlist):
    """The page rendered with every stand-in, split at them (see SLOT)."""

    def build():
        context = {"csrf_token": CSRF_SLOT, "started": STARTED_SLOT, "event_places": EVENT_PLACES_SLOT}
        return SLOT.split(render(request, snap.event, snap.rounds, offer_waitlist, **context))

    key = f"registration-page:{get_language()}:{offer_waitlist}:{fingerprint(snap.event, snap.rounds)}"
    return caches["objects"].get_or_set(key, build, MARKUP_SECONDS)


def full_page(request, snap, kept):
    """The page that offers the waiting list once the places ran out, with what was sent
    kept as hidden fields (``kept``: name and value pairs). Everyone who sends the form after
    the last place gets it, so it is rendered once per snapshot and language, like the form."""
    context = {"event": snap.event, "kept_fields": KEPT_SLOT, "csrf_token": CSRF_SLOT}
    pieces = snap.once(
        ("full", get_language()),
        lambda: SLOT.split(render_to_string("registrations/register_full.html", context, request)),
    )
    return "".join(substitute(pieces, {CSRF_SLOT: get_token(request), KEPT_SLOT: kept_fields(kept)}))


def kept_fields(kept):
    """The hidden fields, escaped. Written with escape() and a join rather than
    format_html_join: everyone sending the form after the last place gets these, and
    format_html cost three times as much for the same markup."""
    return mark_safe(  # noqa: S308 - every name and value is escaped here
        "".join(f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in kept)
    )


def places_values(snap, offer_waitlist):
    """The stand-ins for places: left on the event and per workshop, and which are full."""
    values = {EVENT_PLACES_SLOT: event_places(snap.event)}
    for rnd in snap.rounds:
        for workshop in rnd.workshop_list:
            values[PLACES_SLOT.format(workshop.pk)] = workshop_places(workshop)
            # On a full event everybody waits, so every workshop is a valid preference.
            values[OPTION_SLOT.format(workshop.pk)] = "disabled" if workshop.is_full and not offer_waitlist else ""
    return values


def substitute(pieces, values):
    """Put ``values`` (by stand-in) into split markup; stand-ins without a value stay.

    ``pieces`` alternates text and stand-in names (text at even positions), as SLOT.split
    leaves it, and so does the result: once every stand-in has a value, it is one text.
    """
    result = [pieces[0]]
    for index in range(1, len(pieces), 2):
        stand_in = f"__regiodag_{pieces[index]}__"
        if stand_in in values:
            result[-1] += values[stand_in] + pieces[index + 1]
        else:
            result += [pieces[index], pieces[index + 1]]
    return result
