from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from events.scoping import OrganisationScopedAdmin, ScopedInline
from registrations.admin.mail import RegistrationMailAdminMixin
from registrations.models import Participant, Registration, WorkshopChoice


class ParticipantInline(ScopedInline, admin.StackedInline):
    model = Participant
    extra = 0
    fields = [
        ("given_name", "name_prefix", "family_name"),
        "email",
        ("organisation", "function"),
        "role",
        "dietary_wishes",
        "accessibility_needs",
    ]


@admin.register(Registration)
class RegistrationAdmin(RegistrationMailAdminMixin, OrganisationScopedAdmin):
    organisation_path = "event__organisations"
    list_display = ["__str__", "email", "event", "status", "created_at"]
    list_filter = ["status", "event"]
    search_fields = ["contact_name", "email", "municipality", "participants__family_name"]
    list_select_related = ["event"]
    readonly_fields = ["created_at", "updated_at", "waitlisted_at", "decided_at", "cancelled_at"]
    inlines = [ParticipantInline]


@admin.register(WorkshopChoice)
class WorkshopChoiceAdmin(OrganisationScopedAdmin):
    organisation_path = "participant__registration__event__organisations"
    list_display = ["participant", "workshop", "round"]
    list_select_related = ["participant", "workshop", "round"]
    verbose_name = _("workshopkeuze")
