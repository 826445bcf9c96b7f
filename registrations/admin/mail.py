from django.contrib import admin

from events.scoping import OrganisationScopedAdmin
from registrations.models import Mail


@admin.register(Mail)
class MailAdmin(OrganisationScopedAdmin):
    organisation_path = "registration__event__organisations"
    list_display = ["kind", "recipient", "status", "attempts", "created_at", "sent_at", "is_resend"]
    list_filter = ["status", "kind", "registration__event"]
    search_fields = ["recipient"]
    list_select_related = ["registration__event"]
    readonly_fields = [f.name for f in Mail._meta.fields]

    def has_add_permission(self, request):
        return False
