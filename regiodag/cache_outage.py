"""One log line for a shared cache that is down, not one per request.

The rate limits and the start stamps (regiodag.rate_limits, regiodag.spam_trap) let every
request through while the cache cannot count; during an outage under load, a line per
check would bury the log, so it is told once a minute per process.
"""

import logging
import threading
import time

logger = logging.getLogger("regiodag.cache")

INTERVAL = 60
_lock = threading.Lock()
_last = [float("-inf")]


def report(exc):
    with _lock:
        now = time.monotonic()
        if now - _last[0] < INTERVAL:
            return
        _last[0] = now
    logger.warning(
        "Shared cache unavailable (%s): rate limits and start stamps go unchecked until it is back.",
        type(exc).__name__,
    )
