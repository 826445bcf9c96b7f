"""The limits on an organiser's session: how long since signing in, and the second factor."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

SIGNED_IN_AT = "regiodag_signed_in_at"

# Where staff use their rights; the second factor guards these namespaces as a whole.
GUARDED_NAMESPACES = {"admin", "checkin"}
# Without these, nobody could sign in or out on the way to the second factor.
OPEN_VIEWS = {"admin:login", "admin:logout"}


def note_sign_in(sender, request, user, **kwargs):
    request.session[SIGNED_IN_AT] = int(time.time())


class SessionLimitMiddleware:
    """Ends a session REGIODAG_SESSION_MAX_SECONDS after signing in, however busy it was.

    The idle timeout needs no code: SESSION_COOKIE_AGE with SESSION_SAVE_EVERY_REQUEST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie nobody is signed in; asking anyway would read the session
        # and make every response vary on Cookie.
        if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
            signed_in_at = request.session.setdefault(SIGNED_IN_AT, int(time.time()))
            if time.time() - signed_in_at > settings.REGIODAG_SESSION_MAX_SECONDS:
                logout(request)
        return self.get_response(request)


class SecondFactorMiddleware:
    """Sends staff who have not passed their second factor in this session to do so first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            not settings.REGIODAG_REQUIRE_2FA
            or match.namespace not in GUARDED_NAMESPACES
            or match.view_name in OPEN_VIEWS
        ):
            return None
        user = request.user
        if not user.is_authenticated or not user.is_staff or user.is_verified():
            return None
        step = "accounts:verify" if user_has_device(user) else "accounts:setup"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
