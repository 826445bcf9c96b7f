"""Content-Security-Policy (django-csp) and Permissions-Policy on the site's HTML pages.

The policy itself is ``settings.CONTENT_SECURITY_POLICY``: our own files only, for the public
site, the check-in pages and the admin alike. A view that needs more says so with django-csp's
decorators (``csp_update``, ``csp``) for its own responses; a header a view has set stays.
Cross-Origin-Opener-Policy comes from Django's SecurityMiddleware (same-origin by default).
"""

from functools import wraps

from csp.middleware import CSPMiddleware

# Nothing on the site asks for these; check-in allows the camera for itself (see permits).
PERMISSIONS = {"camera": "()", "microphone": "()", "geolocation": "()"}


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware for documents only: JSON, CSV and PDF answers hold no markup
    that a policy could protect."""

    def process_response(self, request, response):
        if not is_html(response):
            return response
        return super().process_response(request, response)


def permissions_policy(**allowed):
    """The Permissions-Policy header value; ``camera="self"`` lets this origin use the camera."""
    features = {**PERMISSIONS, **{name: f"({origins})" for name, origins in allowed.items()}}
    return ", ".join(f"{name}={value}" for name, value in features.items())


def permits(**allowed):
    """This view's responses may use the named features, e.g. ``permits(camera="self")``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.headers["Permissions-Policy"] = permissions_policy(**allowed)
            return response

        return wrapped

    return decorator


class PermissionsPolicyMiddleware:
    """Permissions-Policy (django-csp does not write it) on every page but the admin's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        in_admin = match is not None and "admin" in match.app_names
        if not in_admin and is_html(response):
            response.headers.setdefault("Permissions-Policy", permissions_policy())
        return response
