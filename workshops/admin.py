from django.contrib import admin
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events.admin_files import DownloadLinksInline, UploadDownloadsAdmin
from events.scoping import OrganisationScopedAdmin, ScopedInline
from registrations.admin.event_day import WorkshopDayAdminMixin
from registrations.models import Registration
from registrations.services.waitlist import promote_waiting
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

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any("capacity" in f.changed_data for formset in formsets for f in formset.forms):
            promote_waiting(form.instance.event)


class MaterialInline(DownloadLinksInline, ScopedInline, admin.StackedInline):
    model = Material
    extra = 0


@admin.register(Workshop)
class WorkshopAdmin(UploadDownloadsAdmin, WorkshopDayAdminMixin, OrganisationScopedAdmin):
    list_display = ["title", "round", "event_title", "room", "capacity_overview"]
    list_filter = ["round__event", "round"]
    search_fields = ["title"]
    autocomplete_fields = ["hosts"]
    inlines = [MaterialInline]

    def get_queryset(self, request):
        holding = Q(choices__participant__registration__status__in=Registration.HOLDS_PLACE)
        waiting = Q(choices__participant__registration__status=Registration.Status.WAITLISTED)
        return (
            super()
            .get_queryset(request)
            .select_related("round__event")
            .annotate(
                taken=Count("choices", filter=holding, distinct=True),
                waiting=Count("choices", filter=waiting, distinct=True),
            )
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "capacity" in form.changed_data:
            promote_waiting(obj.round.event)

    @admin.display(description=_("evenement"), ordering="round__event__starts_at")
    def event_title(self, workshop):
        return workshop.round.event.title

    @admin.display(description=_("bezet / capaciteit / wachtend"))
    def capacity_overview(self, workshop):
        return format_html("{} / {} / {}", workshop.taken, workshop.capacity, workshop.waiting)
