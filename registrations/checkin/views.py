"""Check-in at the door, for organisers on a phone: scan the QR code or search a name.

Plain forms and POST buttons, so it works without JavaScript; a small script
(static/js/checkin.js) refreshes the present/expected count while the page stays open and,
where the browser reads QR codes itself, scans with the camera: the only page that may use it.
"""

from datetime import timedelta

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from events.models import Event
from regiodag.rate_limits import rate_limited
from regiodag.security_headers import permits
from registrations.checkin.attendance import AlreadyCheckedIn, check_in_at_event, check_in_by_payload
from registrations.errors import NotAllowed
from registrations.reports import expected_participants, presence_counts
from registrations.search import matching

MAX_RESULTS = 25
# Searches and check-ins count together, per organiser.
checkin_limited = rate_limited(("checkin-user", "user_or_ip"), methods=("GET", "POST"))


def organiser_view(view):
    """Staff login plus the right to record attendance; the event check is per view. Never
    cached: the pages list who is expected and who came."""
    return never_cache(
        staff_member_required(permission_required("registrations.add_attendance", raise_exception=True)(view))
    )


def scoped_event(request, event_id):
    # Another organisation's event is simply not found, whatever its id.
    return get_object_or_404(Event.objects.for_user(request.user), pk=event_id)


def search_expected(event, query):
    """Participants of ``event`` matching every word of ``query`` in a name, organisation or
    municipality, whatever the accents or case."""
    match = matching(query)
    if match is None:
        return []
    return sorted(expected_participants([event]).filter(match)[:MAX_RESULTS], key=lambda p: (p.sort_key, p.pk))


@organiser_view
def checkin_index(request):
    since = timezone.now() - timedelta(days=1)
    events = Event.objects.for_user(request.user).filter(ends_at__gte=since).order_by("starts_at")[:20]
    return render(request, "checkin/index.html", {"events": events})


@organiser_view
@require_GET
@checkin_limited
@permits(camera="self")
def checkin_event(request, event_id):
    event = scoped_event(request, event_id)
    query = request.GET.get("q", "").strip()[:100]
    present, expected = presence_counts(event)
    return render(
        request,
        "checkin/event.html",
        {
            "event": event,
            "query": query,
            "results": search_expected(event, query) if query else None,
            "present": present,
            "expected": expected,
        },
    )


def _report(request, attempt):
    try:
        attendance = attempt()
    except AlreadyCheckedIn as exc:
        messages.warning(request, exc.messages[0])
    except NotAllowed as exc:
        messages.error(request, exc.messages[0])
    else:
        participant = attendance.participant
        detail = f" ({participant.organisation})" if participant.organisation else ""
        messages.success(request, _("%(name)s is ingecheckt.") % {"name": participant.full_name + detail})


@organiser_view
@require_POST
@checkin_limited
def checkin_scan(request, event_id):
    event = scoped_event(request, event_id)
    payload = request.POST.get("payload", "")[:500]
    _report(request, lambda: check_in_by_payload(event.pk, payload, by=request.user))
    return redirect("checkin:event", event_id=event.pk)


@organiser_view
@require_POST
@checkin_limited
def checkin_participant(request, event_id, participant_id):
    event = scoped_event(request, event_id)
    _report(request, lambda: check_in_at_event(event.pk, participant_id, by=request.user))
    return redirect("checkin:event", event_id=event.pk)


@organiser_view
@require_GET
def checkin_count(request, event_id):
    present, expected = presence_counts(scoped_event(request, event_id))
    return JsonResponse({"present": present, "expected": expected})
