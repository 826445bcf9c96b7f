"""Which database errors are an outage (a 503, told once) and which stay a fault of their own
(Django's 500 with its traceback). The outage itself is tested end to end in
registrations/tests/test_outage_logs.py."""

import sqlite3

import psycopg
import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from psycopg import errors

from regiodag.outages import database_unreachable
from regiodag.unavailable import server_error


def from_driver(django_error, cause):
    """``cause`` as Django raises it: wrapped in its own class, the driver's error as cause."""
    exc = django_error(str(cause))
    exc.__cause__ = cause
    return exc


def sqlite_error(code):
    error = sqlite3.OperationalError("sqlite says no")
    error.sqlite_errorcode = code
    return error


@pytest.mark.parametrize(
    ("exc", "outage"),
    [
        (from_driver(OperationalError, psycopg.OperationalError("connection failed: Connection refused")), True),
        (from_driver(OperationalError, errors.ConnectionFailure()), True),
        (from_driver(OperationalError, errors.AdminShutdown()), True),
        (from_driver(OperationalError, errors.CannotConnectNow()), True),
        (InterfaceError("connection already closed"), True),
        (from_driver(OperationalError, sqlite_error(sqlite3.SQLITE_CANTOPEN)), True),
        (from_driver(OperationalError, sqlite_error(sqlite3.SQLITE_IOERR_READ)), True),
        # A refused or conflicting statement: the database is there, the fault is ours.
        (from_driver(OperationalError, errors.DeadlockDetected()), False),
        (from_driver(OperationalError, errors.SerializationFailure()), False),
        (from_driver(OperationalError, errors.LockNotAvailable()), False),
        (from_driver(OperationalError, errors.QueryCanceled()), False),
        (from_driver(OperationalError, sqlite_error(sqlite3.SQLITE_BUSY)), False),
        (from_driver(OperationalError, sqlite_error(sqlite3.SQLITE_ERROR)), False),  # no such table
        (from_driver(IntegrityError, errors.UniqueViolation()), False),
        (RuntimeError("a bug"), False),
        (None, False),
    ],
)
def test_only_a_database_that_cannot_be_reached_is_an_outage(exc, outage):
    assert database_unreachable(exc) is outage


def test_any_other_error_is_still_the_server_error_page(rf):
    try:
        raise from_driver(OperationalError, errors.DeadlockDetected())
    except OperationalError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()
