"""Celery beat's scheduler, telling a broker outage once rather than every second.

Beat publishes the relay every second. With Redis down, Celery's own scheduler logs every
failed publication with two tracebacks, about a hundred lines a second; this one reports
a broker that cannot be reached to ``outages.BROKER`` (a line when it goes down, one when
it is back) and leaves every other failure to Celery's logging.
"""

import logging

import kombu.exceptions
import redis.exceptions
from celery.beat import PersistentScheduler

from regiodag import outages

logger = logging.getLogger("celery.beat")

BROKER_UNREACHABLE = (kombu.exceptions.OperationalError, redis.exceptions.ConnectionError, OSError)


def broker_failure(exc):
    """The broker's failure behind ``exc`` (Celery re-raises it as a SchedulingError), or None
    when ``exc`` is about something else."""
    while exc is not None:
        if isinstance(exc, BROKER_UNREACHABLE):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


class Scheduler(PersistentScheduler):
    def apply_entry(self, entry, producer=None):
        try:
            self.apply_async(entry, producer=producer, advance=False)
        except Exception as exc:  # noqa: BLE001 - beat carries on with the next entry, as Celery's does
            if broker_failure(exc):
                outages.BROKER.failed(broker_failure(exc))
            else:
                logger.error("Message Error: %s", exc, exc_info=True)
        else:
            outages.BROKER.recovered()
