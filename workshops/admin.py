"""The admin of rounds, workshops and their material.

Places taken and waiting, the event-day pages and the waiting list moving on are added by
registrations.admin.event_places, which registers its own admins over these ones:
workshops does not import registrations.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.admin_files import DownloadLinksInline, UploadDownloadsAdmin
from events.scoping import OrganisationScopedAdmin, ScopedInline, ScopedRelatedFieldListFilter
from workshops.models import Material, Round, Workshop


class WorkshopInline(ScopedInline, admin.TabularInline):
    model = Workshop
    extra = 0
    fields = ["title", "room", "capacity"]
    show_change_link = True


@admin.register(Round)
class RoundAdmin(OrganisationScopedAdmin):
    list_display = ["__str__", "event", "number", "starts_at", "ends_at"]
    list_filter = ["event"]
    list_select_related = ["event"]
    inlines = [WorkshopInline]


class MaterialInline(DownloadLinksInline, ScopedInline, admin.StackedInline):
    model = Material
    extra = 0


class RoundFilter(ScopedRelatedFieldListFilter):
    """The rounds the user may see, each named with its event: every event has a round 1."""

    def field_choices(self, field, request, model_admin):
        allowed = [pk for pk, _label in super().field_choices(field, request, model_admin)]
        rounds = Round.objects.filter(pk__in=allowed).select_related("event").order_by("event__starts_at", "number")
        return [(rnd.pk, rnd.label_with_event()) for rnd in rounds]


@admin.register(Workshop)
class WorkshopAdmin(UploadDownloadsAdmin, OrganisationScopedAdmin):
    list_display = ["title", "round", "event_title", "room"]
    list_filter = ["round__event", ("round", RoundFilter)]
    search_fields = ["title"]
    autocomplete_fields = ["hosts"]
    inlines = [MaterialInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("round__event")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "round" and field is not None:
            field.queryset = field.queryset.select_related("event")
            field.label_from_instance = Round.label_with_event
        return field

    @admin.display(description=_("evenement"), ordering="round__event__starts_at")
    def event_title(self, workshop):
        return workshop.round.event.title
