"""Public pages: catalogue, event page, series page, calendar file and privacy statement."""

from datetime import date

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from events import selectors
from events.calendar import event_calendar
from events.models import Event, Organisation, Series
from events.municipalities import PROVINCES


def catalogue(request, past=False):
    filters = {
        "organisation": request.GET.get("organisatie") or None,
        "series": request.GET.get("reeks") or None,
        "province": request.GET.get("provincie") if request.GET.get("provincie") in PROVINCES else None,
    }
    return render(
        request,
        "events/catalogue.html",
        {
            "events": selectors.catalogue(past=past, **filters),
            "past": past,
            "filters": filters,
            "organisations": Organisation.objects.filter(events__status=Event.Status.PUBLISHED).distinct(),
            "all_series": Series.objects.filter(events__status=Event.Status.PUBLISHED).distinct(),
            "provinces": PROVINCES,
        },
    )


def event_detail(request, slug):
    try:
        event = selectors.event_page(slug)
    except Event.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "rounds": selectors.event_page_rounds(event),
            "registration_state": event.registration_state(),
            "now": timezone.now(),
        },
    )


def series_detail(request, slug):
    series = get_object_or_404(Series.objects.prefetch_related("organisations"), slug=slug)
    events = selectors.annotate_places(list(series.events.published().select_related("venue").order_by("starts_at")))
    return render(request, "events/series.html", {"series": series, "events": events})


def event_ics(request, slug):
    event = get_object_or_404(Event.objects.published().select_related("venue"), slug=slug)
    response = HttpResponse(event_calendar(event), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response


def privacy_statement(request):
    # Who is responsible, on what basis and for how long are settings: the statement reads
    # them, so it cannot promise other ones than the site keeps.
    context = {
        "retention_days": settings.REGIODAG_RETENTION_DAYS,
        "controller": settings.REGIODAG_CONTROLLER,
        "dpo": settings.REGIODAG_DPO,
        "legal_basis": settings.REGIODAG_LEGAL_BASIS,
    }
    return render(request, "events/privacy.html", context)


def accessibility_statement(request):
    """The toegankelijkheidsverklaring, after the national model: whose, what status, how it
    was tested and what was not."""
    context = {
        "controller": settings.REGIODAG_CONTROLLER,
        "contact_email": settings.REGIODAG_ACCESSIBILITY["email"],
        "drawn_up": date.fromisoformat(settings.REGIODAG_ACCESSIBILITY["drawn_up"]),
        "site_url": settings.SITE_URL,
    }
    return render(request, "events/accessibility.html", context)
