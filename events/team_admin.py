"""Admin for the driehoek series: session files for the programme mail, and host offers."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.admin_files import DownloadLinksInline
from events.models import HostOffer, SessionDocument
from events.scoping import OrganisationScopedAdmin, ScopedInline


class SessionDocumentInline(DownloadLinksInline, ScopedInline, admin.TabularInline):
    model = SessionDocument
    extra = 0
    max_num = 2
    fields = ["kind", "title", "file", "uploaded_at"]
    readonly_fields = ["uploaded_at"]
    verbose_name_plural = _("programma en huiswerk (gaan als bijlage mee met de mail aan toegelaten driehoeken)")

    def has_add_permission(self, request, obj=None):
        # Only driehoek sessions mail these files; elsewhere an upload would go nowhere.
        return bool(obj and obj.is_team_event) and super().has_add_permission(request, obj)


@admin.register(HostOffer)
class HostOfferAdmin(OrganisationScopedAdmin):
    list_display = ["municipality", "location_name", "city", "room_capacity", "status", "created_at"]
    list_filter = ["status", "series"]
    list_editable = ["status"]
    search_fields = ["municipality", "location_name", "city", "contact_name"]
    filter_horizontal = ["sessions"]
    readonly_fields = ["series", "created_at", "privacy_accepted_at", "updated_at", "anonymised_at"]
    fieldsets = [
        (None, {"fields": ["series", "status", "organiser_notes"]}),
        (
            _("Locatie"),
            {"fields": ["municipality", "location_name", "address", ("postcode", "city"), "room_capacity"]},
        ),
        (_("Mogelijke data"), {"fields": ["sessions", "dates_note"]}),
        (_("Contactpersoon"), {"fields": ["contact_name", "contact_email", "contact_phone"]}),
        (None, {"fields": ["created_at", "privacy_accepted_at", "updated_at", "anonymised_at"]}),
    ]

    def has_add_permission(self, request):
        return False  # offers come in through the public form
