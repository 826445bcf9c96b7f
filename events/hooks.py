"""What the event pages show that only a higher layer knows: places taken and left, and
the rounds of workshops with their places.

Imports point one way (registrations -> workshops -> events), so events never imports
those apps. registrations hands its selectors in here once Django is ready
(RegistrationsConfig.ready), and the event pages call them through ``provided``.
"""

from django.core.exceptions import ImproperlyConfigured

_provided = {}


def provide(**selectors):
    """Called by a higher app at start: name -> function."""
    _provided.update(selectors)


def provided(name):
    try:
        return _provided[name]
    except KeyError:
        raise ImproperlyConfigured(f"No installed app provides {name!r} to the event pages.") from None
