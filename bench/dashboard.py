"""Benchmark: the event dashboard in the admin for an event of 2,000 registrations.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/regiodag python -m bench.dashboard

Builds its own database ``regiodag_bench_dashboard`` (dropped and made again on every run),
one conference day on its day with 2,000 registrations (a tenth waiting, some cancelled, 60 %
of those with a place checked in), then asks the dashboard through Django's test client as
a signed-in platform administrator: the time of each request and its number of queries.
"""

import os
import statistics
import sys
import time
from datetime import timedelta

from bench.common import conference_with_registrations, database_urls, recreate_database, setup_django

REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "2000"))
REQUESTS = 10
DATABASE = "regiodag_bench_dashboard"


def signed_in_client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-wachtwoord-123")
    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def main():
    url, admin_url = database_urls(DATABASE)
    recreate_database(admin_url, DATABASE)
    setup_django(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    event = conference_with_registrations(REGISTRATIONS, slug="bench-dashboard", checked_in=0.6)
    event.starts_at = timezone.now() - timedelta(hours=1)
    event.ends_at = timezone.now() + timedelta(hours=5)
    event.save()
    client = signed_in_client()
    path = reverse("admin:events_event_dashboard", args=[event.pk])
    client.get(path)  # warm: templates compiled, the admin's URLs built
    seconds, queries = [], []
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            seconds.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries.append(len(captured))
    dashboard_queries = [
        q["sql"] for q in captured.captured_queries if "registrations_" in q["sql"] or "workshops_" in q["sql"]
    ]
    print(
        f"dashboard of {REGISTRATIONS} registrations: median {statistics.median(seconds) * 1000:.0f} ms "
        f"(min {min(seconds) * 1000:.0f}, max {max(seconds) * 1000:.0f} over {REQUESTS} requests), "
        f"{queries[-1]} queries per request ({len(dashboard_queries)} of them on registration or workshop tables); "
        f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
