"""What the health check reports and the admin home counts: is the database there, is the
broker there, did beat's relay run lately, and how the mails fare (the oldest still
waiting, the long-delayed ones, the ones refused for good).

Cheap enough for a load balancer probing every few seconds: one query for the mails, one
for the heartbeat, one PING to Redis. Nothing personal: counts, ages and names of checks.
"""

import time
from datetime import timedelta

import redis
from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.utils import timezone
from redis.backoff import NoBackoff
from redis.retry import Retry

from registrations.models import Heartbeat, Mail

# A mail still unsent this long after it was recorded counts as delayed: on the admin home
# and, for the oldest one, in the health check.
DELAYED_AFTER = timedelta(hours=1)
# Beat's relay runs every second; it records that it ran at most this often per process.
HEARTBEAT_EVERY = 30
# The health check calls beat late when its relay has not been heard of for this long.
BEAT_LATE_AFTER = timedelta(minutes=3)
RELAY = "relay"

UNSENT = [Mail.Status.QUEUED, Mail.Status.SENDING]
_last_heartbeat = [float("-inf")]


def relay_ran(now=None):
    """Record that beat's relay ran; a database write every HEARTBEAT_EVERY seconds at most."""
    if time.monotonic() - _last_heartbeat[0] < HEARTBEAT_EVERY:
        return
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=RELAY, at=now or timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["at"],
    )
    _last_heartbeat[0] = time.monotonic()


def mail_counts(mails=None, now=None):
    """{"failed", "delayed", "oldest_unsent"} over ``mails`` (every mail when not given; an
    organiser's own through events.scoping.visible), in one query."""
    now = now or timezone.now()
    mails = Mail.objects.all() if mails is None else mails
    return mails.filter(status__in=[*UNSENT, Mail.Status.FAILED]).aggregate(
        failed=Count("pk", filter=Q(status=Mail.Status.FAILED)),
        delayed=Count("pk", filter=Q(status__in=UNSENT, created_at__lt=now - DELAYED_AFTER)),
        oldest_unsent=Min("created_at", filter=Q(status__in=UNSENT)),
    )


def broker_answers():
    client = redis.Redis.from_url(
        settings.CELERY_BROKER_URL, socket_connect_timeout=1, socket_timeout=1, retry=Retry(NoBackoff(), 0)
    )
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def seconds(delta):
    return None if delta is None else max(0, round(delta.total_seconds()))


def report(now=None):
    """(healthy, checks): every check with its own "ok" and figures."""
    now = now or timezone.now()
    checks = {"database": {"ok": True}}
    try:
        counts = mail_counts(now=now)
        beat = Heartbeat.objects.filter(name=RELAY).values_list("at", flat=True).first()
    except DatabaseError:
        checks["database"]["ok"] = False
    else:
        oldest = counts["oldest_unsent"]
        checks["mail"] = {
            "ok": oldest is None or now - oldest < DELAYED_AFTER,
            "oldest_unsent_seconds": seconds(None if oldest is None else now - oldest),
            "delayed": counts["delayed"],
            "failed": counts["failed"],  # refused for good by the receiving side: for organisers
        }
        checks["beat"] = {
            "ok": beat is not None and now - beat < BEAT_LATE_AFTER,
            "relay_seconds_ago": seconds(None if beat is None else now - beat),
        }
    checks["broker"] = {"ok": broker_answers()}
    return all(check["ok"] for check in checks.values()), checks


def database_answers():
    """For the load balancer: can this instance reach its database at all."""
    try:
        Heartbeat.objects.exists()
    except DatabaseError:
        return False
    return True
