from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events.admin_files import UploadDownloadsAdmin
from events.models import Event, Organisation, ProgrammeItem, Series, Speaker, Venue
from events.scoping import OrganisationScopedAdmin, OwnedSharedAdmin, ScopedInline
from events.services import notify_event_changed
from events.team_admin import SessionDocumentInline
from registrations.admin.event_day import EventDayAdminMixin
from registrations.models import Registration
from registrations.services.waitlist import promote_waiting

HOLDS = Registration.HOLDS_PLACE


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    list_display = ["name", "short_name", "website"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["members"]


@admin.register(Venue)
class VenueAdmin(OwnedSharedAdmin):
    list_display = ["name", "address", "postcode", "city", "province", "owner"]
    list_filter = ["province", "owner"]
    search_fields = ["name", "city"]


@admin.register(Speaker)
class SpeakerAdmin(OwnedSharedAdmin):
    list_display = ["name", "function", "organisation", "owner"]
    search_fields = ["name", "organisation"]


@admin.register(Series)
class SeriesAdmin(OrganisationScopedAdmin):
    list_display = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisations"]


class ProgrammeItemInline(ScopedInline, admin.TabularInline):
    model = ProgrammeItem
    extra = 0
    autocomplete_fields = ["moderator", "speakers"]


@admin.register(Event)
class EventAdmin(UploadDownloadsAdmin, EventDayAdminMixin, OrganisationScopedAdmin):
    list_display = ["title", "starts_at", "venue", "status", "capacity_overview"]
    list_filter = ["status", "kind", "series", "organisations"]
    search_fields = ["title", "subtitle"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisations"]
    inlines = [ProgrammeItemInline, SessionDocumentInline]
    fieldsets = [
        (None, {"fields": ["kind", "title", "subtitle", "slug", "organisations", "series", "episode", "status"]}),
        (_("Wanneer en waar"), {"fields": ["starts_at", "ends_at", "venue", "online", "regions"]}),
        (_("Inhoud"), {"fields": ["summary", "description", "practical_info", "external_url"]}),
        (
            _("Aanmelden"),
            {
                "fields": [
                    "registration_mode",
                    "admission",
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "is_free",
                    "price_note",
                    "attendance_required",
                    "confirmation_days_before",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        # Occupancy for the whole list in the list's own query, not one query per row.
        return (
            super()
            .get_queryset(request)
            .select_related("venue")
            .annotate(
                taken=Count("registrations", filter=Q(registrations__status__in=HOLDS), distinct=True),
                waiting=Count("registrations", filter=Q(registrations__status="waitlisted"), distinct=True),
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
        capacity = event.capacity if event.capacity is not None else "∞"
        return format_html("{} / {} / {}", event.taken, capacity, event.waiting)
