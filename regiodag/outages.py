"""One log line when a service we depend on goes down and one when it is back, not a
line (or a traceback) for every attempt that fails meanwhile.

Beat publishes the relay every second and the relay reads the database every second; the
web checks the shared cache on every public POST and reads the database on nearly every
request; workers talk to the mail server for every mail. During an outage each of them
fails every time, and a line per failure buries the log. So each service has one ``Outage`` per
process: it tells the log when the service first fails (what failed and what that means
for the application), reminds now and then while it stays down, and tells when it works
again and how long it was away.
"""

import logging
import sqlite3
import threading
import time

from django.db import InterfaceError, OperationalError


class Outage:
    def __init__(self, service, consequence, *, logger, remind_after=600):
        self.service = service
        self.consequence = consequence
        self.logger = logging.getLogger(logger)
        self.remind_after = remind_after
        self._lock = threading.Lock()
        self._down_since = None  # time.monotonic() of the first failure, while down
        self._told_at = None

    @property
    def is_down(self):
        return self._down_since is not None

    def failed(self, exc, detail=None):
        """Record a failure of the service; logs only the first one and the reminders.

        ``detail`` stands in for the exception's own text where that may name a person
        (a mail server's refusal lists the recipients' addresses)."""
        with self._lock:
            now = time.monotonic()
            if self._down_since is None:
                self._down_since = self._told_at = now
                reminder = False
            elif now - self._told_at >= self.remind_after:
                self._told_at = now
                reminder = True
            else:
                return
            down_for = now - self._down_since
        if reminder:
            message = "%s still unavailable after %.0f s (%s): %s"
            self.logger.warning(message, self.service, down_for, type(exc).__name__, self.consequence)
        else:
            detail = detail or f"{type(exc).__name__}: {exc}"
            self.logger.warning("%s unavailable (%s): %s", self.service, detail, self.consequence)

    def recovered(self):
        """Record that the service worked; logs once after an outage. Cheap when it was up."""
        if self._down_since is None:
            return
        with self._lock:
            if self._down_since is None:
                return
            down_for = time.monotonic() - self._down_since
            self._down_since = self._told_at = None
        self.logger.warning("%s available again after %.0f s.", self.service, down_for)

    def reset(self):
        """Forget any outage (tests start from a service that is up)."""
        with self._lock:
            self._down_since = self._told_at = None


CACHE = Outage(
    "Shared cache",
    "rate limits and start stamps go unchecked until it is back.",
    logger="regiodag.cache",
    remind_after=60,
)
BROKER = Outage(
    "Broker (Redis)",
    "mails are not handed to the workers; they wait in the outbox until it is back.",
    logger="regiodag.broker",
)
DATABASE = Outage(
    "Database",
    "pages answer 503 (try again shortly) and the relay hands over no mails until it is back.",
    logger="regiodag.database",
)

MAIL_SERVER = Outage(
    "Mail server",
    "mails stay queued and are retried on their own schedules until it takes them.",
    logger="regiodag.mail",
)

EVERY = (CACHE, BROKER, DATABASE, MAIL_SERVER)


# PostgreSQL's codes for a server that is shutting down or still starting (class 57P);
# class 08 is the connection itself. The driver raises errors without a code when it
# reaches no server at all.
POSTGRESQL_GONE = {"57P01", "57P02", "57P03"}
# SQLite's for a database file that cannot be opened or read.
SQLITE_GONE = {sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR}


def database_unreachable(exc):
    """Whether ``exc`` says the database cannot be reached at all: an outage, to be told
    once. A statement the database refused (a deadlock, a lock timeout, a missing table)
    is not: that is a fault of its own, and keeps its traceback."""
    if isinstance(exc, InterfaceError):  # the connection is gone already
        return True
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        # Extended codes (SQLITE_IOERR_READ and the like) carry the primary one in the low byte.
        return (getattr(cause, "sqlite_errorcode", 0) & 0xFF) in SQLITE_GONE
    sqlstate = getattr(cause, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in POSTGRESQL_GONE
