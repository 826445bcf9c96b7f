"""Content-Security-Policy and Permissions-Policy for every page of the site but the admin.

The public site and the check-in pages load only our own files: no inline script, no inline
style, nothing from another host (settings.REGIODAG_CSP, which production may extend). A view
that needs more says so with a decorator below, for its own responses only; the middleware
leaves a header that a view has set alone.

The Django admin (/beheer/) keeps Django's own behaviour: its mail preview shows a mail, inline
styles and all, in an ``<iframe srcdoc>``, which inherits the policy of the page around it.
Cross-Origin-Opener-Policy comes from Django's SecurityMiddleware (same-origin by default).
"""

from functools import wraps

from django.conf import settings

# Nothing on the site asks for these; check-in allows the camera for itself (see permits).
PERMISSIONS = {"camera": "()", "microphone": "()", "geolocation": "()"}


def content_security_policy(**more):
    """The policy as a header value; ``style_src=["'unsafe-inline'"]`` adds to style-src."""
    directives = {name: list(sources) for name, sources in settings.REGIODAG_CSP.items()}
    for name, sources in more.items():
        directives.setdefault(name.replace("_", "-"), []).extend(sources)
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def permissions_policy(**allowed):
    """The Permissions-Policy header value; ``camera="self"`` lets this origin use the camera."""
    features = {**PERMISSIONS, **{name: f"({origins})" for name, origins in allowed.items()}}
    return ", ".join(f"{name}={value}" for name, value in features.items())


def _sets_header(header, value):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.headers[header] = value()
            return response

        return wrapped

    return decorator


def csp_allows(**more):
    """This view's responses get the site's policy with ``more`` sources added."""
    return _sets_header("Content-Security-Policy", lambda: content_security_policy(**more))


def permits(**allowed):
    """This view's responses may use the named features, e.g. ``permits(camera="self")``."""
    return _sets_header("Permissions-Policy", lambda: permissions_policy(**allowed))


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        in_admin = match is not None and "admin" in match.app_names
        if not in_admin and response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", content_security_policy())
            response.headers.setdefault("Permissions-Policy", permissions_policy())
        return response
