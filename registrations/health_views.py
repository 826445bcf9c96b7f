"""/health/ for the monitoring, /health/live/ for the load balancer: JSON, 200 or 503.

Open to anyone and never cached; they show no personal data. The load balancer asks only
whether this instance can serve (its database answers): a Redis outage or a late beat
delays mails but does not stop registrations, so it must not take every instance out.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from registrations import health


def answer(healthy, checks):
    return JsonResponse({"status": "ok" if healthy else "failing", "checks": checks}, status=200 if healthy else 503)


@never_cache
@require_GET
def full(request):
    return answer(*health.report())


@never_cache
@require_GET
def live(request):
    serving = health.database_answers()
    return answer(serving, {"database": {"ok": serving}})
