"""The registration page's empty form, kept as rendered HTML in Django's cache.

Rendering the form (crispy forms, the rounds of workshops, hundreds of organisation
suggestions) is most of what the page costs, and a crowd loads it at once. So the form and
the places above it are kept in ``caches["default"]`` per event and language, for a few
seconds: a save of the event (its ``updated_at``) or a registration refused as full drops
them at once. Nothing of one visitor is in them: the page renders each visitor's CSRF token
and start stamp around them (templates/registrations/register.html). The places shown may
be those seconds old; the capacity service decides when the form is sent. A cache that
fails (Redis down) costs a render, never the page.
"""

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from events.selectors import annotate_places
from events.templatetags.regiodag import places_label
from regiodag.outages import CACHE
from registrations.forms import registration_form_class
from registrations.selectors import choice_rounds

# How old the places on the page may be.
FORM_SECONDS = 2


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


def blank_form(event):
    """(places HTML, form HTML, whether the waiting list is offered) of the event's empty
    form in the active language."""
    key = cache_key(event.slug, get_language())
    version = event.updated_at.isoformat()
    kept = cache_call("get", key)
    if kept is not None and kept[0] == version:
        _version, places, form, offer_waitlist = kept
    else:
        annotate_places([event])
        offer_waitlist = event.left == 0
        form_class = registration_form_class(choice_rounds(event), offer_waitlist=offer_waitlist)
        form = render_to_string("registrations/_register_form.html", {"form": form_class()})
        places = str(event_places(event))
        cache_call("set", key, (version, places, form, offer_waitlist), FORM_SECONDS)
    # Rendered here from our own templates and escaped values, kept as text in the cache.
    return mark_safe(places), mark_safe(form), offer_waitlist  # noqa: S308


def forget(slug):
    """Let the next visitor see the places of now."""
    for language, _name in settings.LANGUAGES:
        cache_call("delete", cache_key(slug, language))


def found_full(event):
    """A registration was refused for want of places: where the cached form still offers
    them, drop it, so the next visitor sees the event full. Once it shows the event full,
    the crowd refused after it leaves it be."""
    kept = cache_call("get", cache_key(event.slug, get_language()))
    if kept is None or not kept[3]:
        forget(event.slug)


def cache_key(slug, language):
    return f"registration-form:{slug}:{language}"


def cache_call(method, *args):
    """The cache's ``method``, or None where the cache fails: the page does without it."""
    try:
        result = getattr(cache, method)(*args)
    except Exception as exc:  # noqa: BLE001 - whatever the cache's failure, the page renders uncached
        CACHE.failed(exc)
        return None
    CACHE.recovered()
    return result
