"""A web request that cannot reach the database answers 503 and is told once per outage.

Without this, every request during a database outage is a 500 with a traceback in the log,
from whichever view or middleware first asked for a row. Django hands every uncaught
exception to ``handler500`` and then logs it on ``django.request``; so the handler answers
503 ("try again in a few minutes", in the visitor's language) when the database is gone,
and the log filter replaces that request's traceback with ``outages.DATABASE``'s one line.
The next connection that opens tells the log that the database is back.
"""

import logging
import sys

from django.http import HttpResponse
from django.template import loader
from django.views import defaults

from regiodag import outages

# Seconds a browser or a crawler is asked to wait before trying again.
RETRY_AFTER = 60


def server_error(request):
    """handler500: a 503 for a database that cannot be reached, Django's 500 otherwise."""
    exc = sys.exc_info()[1]  # Django calls the handler while handling the exception
    if not outages.database_unreachable(exc):
        return defaults.server_error(request)
    outages.DATABASE.failed(exc)
    # Rendered without context processors: they could ask the database for the user.
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    return response


class DatabaseOutageFilter(logging.Filter):
    """On ``django.request``: a request that failed for want of the database is told by the
    outage's line (once), not by a record with a traceback of its own."""

    def filter(self, record):
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or not outages.database_unreachable(exc):
            return True
        # Also where server_error did not run (with DEBUG, Django shows its own error page).
        outages.DATABASE.failed(exc)
        return False


def database_answered(sender, connection, **kwargs):
    """connection_created: a connection opened, so the database is there (again)."""
    outages.DATABASE.recovered()
