"""The admin of events, organisations, series, venues and speakers.

What concerns the people registered (places taken, the event-day pages, the waiting list,
telling participants of a change, the driehoek sessions' programme and homework files) is
added by registrations.admin.event_places, which
registers its own EventAdmin over this one: events does not import registrations.
"""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.admin_files import UploadDownloadsAdmin
from events.dates import hour, long_date
from events.models import Event, Organisation, ProgrammeItem, Series, Speaker, Venue
from events.scoping import OrganisationScopedAdmin, OwnedSharedAdmin, ScopedInline


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
class EventAdmin(UploadDownloadsAdmin, OrganisationScopedAdmin):
    list_display = ["title", "starts_at", "venue", "status"]
    list_filter = ["status", "kind", "series", "organisations"]
    search_fields = ["title", "subtitle"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["organisations"]
    inlines = [ProgrammeItemInline]  # registrations.admin.event_places adds the driehoek's session files
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
        return super().get_queryset(request).select_related("venue")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(obj, "closing_moved", False):
            closes = timezone.localtime(obj.registration_closes_at)
            messages.warning(
                request,
                _(
                    "De bijeenkomst is verplaatst, dus de aanmelding sluit nu op %(date)s om %(hour)s uur: "
                    "vier weken voor de nieuwe datum."
                )
                % {"date": long_date(closes), "hour": hour(closes)},
            )
