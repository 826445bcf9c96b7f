"""One log line for a shared cache that is down, not one per request.

The rate limits and the start stamps (regiodag.rate_limits, regiodag.spam_trap) let every
request through while the cache cannot count; during an outage under load, a line per
check would bury the log, so it is told once (reminded once a minute) per process, and
once more when the cache answers again (regiodag.outages).
"""

from regiodag.outages import CACHE


def report(exc):
    CACHE.failed(exc)


def answered():
    CACHE.recovered()
