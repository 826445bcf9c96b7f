"""Rate limits of the public forms: per client address and per e-mail address.

Counted by django-ratelimit in the shared cache, with the rates of settings
REGIODAG_RATE_LIMITS. A request over a limit gets the 429 page in the site's layout, which
says when to try again, with the same moment in ``Retry-After``. A cache that cannot count
lets the request through with one log line: a registration must not fail because Redis does.
"""

import functools
import math
from datetime import timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django_ratelimit.core import get_usage

from regiodag.outages import CACHE


def configured_rate(name):
    """django-ratelimit's rate callable: read per request, so tests can change the settings."""

    def rate(group, request):
        return settings.REGIODAG_RATE_LIMITS.get(name)

    return rate


def posted_address(field):
    """A key: the e-mail address in POST field ``field``, as the forms clean it."""

    def key(group, request):
        return request.POST.get(field, "").strip().lower()

    return key


def seconds_to_wait(request, limits, methods):
    """Counts this request against each (name, key) limit; the seconds until every limit
    that is exceeded has passed, 0 if none is."""
    wait = 0
    for name, key in limits:
        if callable(key) and not key(name, request):
            continue  # an empty address field: the form will say so
        try:
            usage = get_usage(
                request, group=name, key=key, rate=configured_rate(name), method=list(methods), increment=True
            )
        except Exception as exc:  # noqa: BLE001 - a cache that is down must not refuse anyone
            CACHE.failed(exc)
            return 0
        CACHE.recovered()
        if usage and usage["should_limit"]:
            wait = max(wait, usage["time_left"], 1)
    return wait


def rate_limited(*limits, methods=("POST",)):
    """View decorator. ``limits``: (name in REGIODAG_RATE_LIMITS, key), the key as
    django-ratelimit takes it ("ip", "user_or_ip" or a callable such as posted_address())."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            wait = seconds_to_wait(request, limits, methods)
            if wait:
                return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def too_many_requests(request, seconds):
    minutes = max(1, math.ceil(seconds / 60))
    again_at = timezone.localtime() + timedelta(seconds=seconds)
    response = render(request, "429.html", {"minutes": minutes, "again_at": again_at}, status=429)
    response["Retry-After"] = str(int(seconds))
    return response
