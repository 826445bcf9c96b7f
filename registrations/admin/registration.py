from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Event
from events.scoping import OrganisationScopedAdmin, ScopedInline, visible
from registrations import exports
from registrations.admin.erasure import erase_personal_data
from registrations.admin.mail import RegistrationMailAdminMixin
from registrations.admin.search import ParticipantNameSearch
from registrations.models import Participant, Registration, WorkshopChoice
from registrations.selectors import capacity_overview
from registrations.services.registering import cancel
from registrations.services.resending import resend_acknowledgement
from workshops.models import Workshop


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


def scoped_events(user):
    return visible(Event.objects.all(), user)


class WorkshopFilter(admin.SimpleListFilter):
    title = _("workshop")
    parameter_name = "workshop"

    def lookups(self, request, model_admin):
        workshops = visible(Workshop.objects.select_related("round__event"), request.user)
        event_id = request.GET.get("event__id__exact")
        if event_id and event_id.isdigit():
            workshops = workshops.filter(round__event_id=event_id)
        workshops = workshops.order_by("round__event__starts_at", "round__number", "title")
        return [(w.pk, f"{w.round.event.title} · {w.round.number}: {w.title}") for w in workshops]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(participants__choices__workshop_id=self.value()).distinct()
        return queryset


class OrganisationFilter(admin.SimpleListFilter):
    """The participant's own organisation (as typed), not the organiser."""

    title = _("organisatie van de deelnemer")
    parameter_name = "organisatie"

    def lookups(self, request, model_admin):
        names = (
            Participant.objects.filter(registration__in=model_admin.get_queryset(request))
            .exclude(organisation="")
            .order_by("organisation")
            .values_list("organisation", flat=True)
            .distinct()
        )
        return [(name, name) for name in names]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(participants__organisation=self.value()).distinct()
        return queryset


@admin.register(Registration)
class RegistrationAdmin(ParticipantNameSearch, RegistrationMailAdminMixin, OrganisationScopedAdmin):
    list_display = ["__str__", "email", "organisations", "event", "status", "workshops", "created_at"]
    list_filter = ["status", ("event", admin.RelatedOnlyFieldListFilter), WorkshopFilter, OrganisationFilter]
    # Participants' names and organisations are searched too: see ParticipantNameSearch.
    search_fields = ["contact_name", "email", "municipality"]
    list_select_related = ["event"]
    readonly_fields = ["created_at", "updated_at", "waitlisted_at", "decided_at", "cancelled_at"]
    inlines = [ParticipantInline]
    actions = ["cancel_selected", "resend_acknowledgement", "export_selected", erase_personal_data]
    change_list_template = "registrations/admin/change_list.html"

    def get_queryset(self, request):
        # The list shows participants and their workshops: fetched for the whole page in two
        # more queries, so the page costs the same for 5 or 500 registrations.
        choices = WorkshopChoice.objects.select_related("workshop", "round").order_by("round__number")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("participants", queryset=Participant.objects.prefetch_related(Prefetch("choices", choices)))
            )
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "municipality" in form.changed_data:
            obj.refresh_search_names()

    @admin.display(description=_("organisatie"))
    def organisations(self, registration):
        return ", ".join(sorted({p.organisation for p in registration.participants.all() if p.organisation}))

    @admin.display(description=_("workshops"))
    def workshops(self, registration):
        return "; ".join(c.workshop.title for p in registration.participants.all() for c in p.choices.all())

    # --- actions ---------------------------------------------------------------------

    @admin.action(description=_("Geselecteerde aanmeldingen annuleren (plaatsen vrijgeven)"), permissions=["change"])
    def cancel_selected(self, request, queryset):
        done, refused = 0, 0
        for registration in queryset.filter(status__in=Registration.ACTIVE).order_by("pk"):
            try:
                cancel(registration.pk, by=request.user)
            except ValidationError:
                refused += 1
            else:
                done += 1
        self.message_user(
            request, ngettext("%(n)s aanmelding geannuleerd.", "%(n)s aanmeldingen geannuleerd.", done) % {"n": done}
        )
        if refused:
            self.message_user(request, _("%(n)s konden niet worden geannuleerd.") % {"n": refused}, messages.WARNING)

    @admin.action(description=_("Ontvangstbevestiging opnieuw versturen"), permissions=["change"])
    def resend_acknowledgement(self, request, queryset):
        sent = sum(len(resend_acknowledgement(r.pk, by=request.user)) for r in queryset.order_by("pk"))
        self.message_user(
            request, ngettext("%(n)s e-mail klaargezet.", "%(n)s e-mails klaargezet.", sent) % {"n": sent}
        )

    @admin.action(description=_("Deelnemers exporteren (CSV)"), permissions=["view"])
    def export_selected(self, request, queryset):
        return exports.csv_response("deelnemers.csv", exports.participants(queryset))

    # --- capacity overview and exports per event and workshop --------------------------

    def get_urls(self):
        own = [
            path("bezetting/", self.admin_site.admin_view(self.capacity_view), name="registrations_capacity"),
            path(
                "export/evenement/<int:event_id>/",
                self.admin_site.admin_view(self.export_event),
                name="registrations_export_event",
            ),
            path(
                "export/workshop/<int:workshop_id>/",
                self.admin_site.admin_view(self.export_workshop),
                name="registrations_export_workshop",
            ),
        ]
        return own + super().get_urls()

    def _require_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def capacity_view(self, request):
        self._require_view(request)
        events = scoped_events(request.user).filter(registration_mode="person").order_by("starts_at")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Bezetting per evenement en workshop"),
            "events": capacity_overview(events),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "registrations/admin/capacity.html", context)

    def export_event(self, request, event_id):
        self._require_view(request)
        event = get_object_or_404(scoped_events(request.user), pk=event_id)
        return exports.csv_response(f"deelnemers-{event.slug}.csv", exports.participants(event=event))

    def export_workshop(self, request, workshop_id):
        self._require_view(request)
        workshop = get_object_or_404(
            visible(Workshop.objects.select_related("round__event"), request.user), pk=workshop_id
        )
        filename = f"deelnemers-{workshop.round.event.slug}-workshop-{workshop.pk}.csv"
        return exports.csv_response(filename, exports.participants(workshop=workshop))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "capacity_url": reverse("admin:registrations_capacity")}
        return super().changelist_view(request, extra_context)


@admin.register(WorkshopChoice)
class WorkshopChoiceAdmin(OrganisationScopedAdmin):
    list_display = ["participant", "workshop", "round"]
    list_select_related = ["participant", "workshop", "round"]
    verbose_name = _("workshopkeuze")
