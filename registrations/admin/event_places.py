"""The event, round and workshop admins as registrations completes them.

events and workshops register their admins without knowing about registrations (imports
point one way); this module registers subclasses over them that add what concerns the
people registered: places taken and waiting in the list, the event-day pages, the waiting
list moving on when places grow, and participants told of a moved or cancelled event.
"""

from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events import admin as events_admin
from events.models import Event
from registrations.admin.event_dashboard import EventDashboardAdminMixin
from registrations.admin.event_day import EventDayAdminMixin, WorkshopDayAdminMixin
from registrations.driehoek.admin import SessionDocumentInline
from registrations.models import Registration
from registrations.services.event_changes import notify_event_changed
from registrations.services.waitlist import promote_waiting
from workshops import admin as workshops_admin
from workshops.models import Round, Workshop

HOLDING = Registration.HOLDS_PLACE
WAITING = Registration.Status.WAITLISTED


def overview(taken, capacity, waiting):
    return format_html("{} / {} / {}", taken, "∞" if capacity is None else capacity, waiting)


admin.site.unregister(Event)


@admin.register(Event)
class EventAdmin(EventDashboardAdminMixin, EventDayAdminMixin, events_admin.EventAdmin):
    list_display = [*events_admin.EventAdmin.list_display, "capacity_overview"]
    inlines = [*events_admin.EventAdmin.inlines, SessionDocumentInline]

    def get_queryset(self, request):
        # Occupancy for the whole list in the list's own query, not one query per row.
        return (
            super()
            .get_queryset(request)
            .annotate(
                taken=Count("registrations", filter=Q(registrations__status__in=HOLDING), distinct=True),
                waiting=Count("registrations", filter=Q(registrations__status=WAITING), distinct=True),
            )
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            # More places (or none to count) may let the waiting list in.
            promote_waiting(obj)
        if change:
            # A moved or cancelled event is told to everyone registered (issue #5).
            notify_event_changed(obj, form.changed_data, by=request.user)

    @admin.display(description=_("bezet / capaciteit / wachtend"))
    def capacity_overview(self, event):
        return overview(event.taken, event.capacity, event.waiting)


admin.site.unregister(Round)


@admin.register(Round)
class RoundAdmin(workshops_admin.RoundAdmin):
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any("capacity" in f.changed_data for formset in formsets for f in formset.forms):
            promote_waiting(form.instance.event)


admin.site.unregister(Workshop)


@admin.register(Workshop)
class WorkshopAdmin(WorkshopDayAdminMixin, workshops_admin.WorkshopAdmin):
    list_display = [*workshops_admin.WorkshopAdmin.list_display, "capacity_overview"]

    def get_queryset(self, request):
        holding = Q(choices__participant__registration__status__in=HOLDING)
        waiting = Q(choices__participant__registration__status=WAITING)
        return (
            super()
            .get_queryset(request)
            .annotate(
                taken=Count("choices", filter=holding, distinct=True),
                waiting=Count("choices", filter=waiting, distinct=True),
            )
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promote_waiting(obj.round.event)

    @admin.display(description=_("bezet / capaciteit / wachtend"))
    def capacity_overview(self, workshop):
        return overview(workshop.taken, workshop.capacity, workshop.waiting)
