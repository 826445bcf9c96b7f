"""The driehoek in the admin: admitting and declining teams, recording who came, no-shows;
the session files for the programme mail; the host offers.

The actions and forms only call services; the rules (locks, mails, promotion from the
waiting list) live in registrations.driehoek.admission and registrations.services.
The session files are an inline of the event admin, added by
registrations.admin.event_places.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.admin_files import DownloadLinksInline
from events.models import Event, HostOffer, SessionDocument
from events.municipalities import sort_key as municipality_order
from events.scoping import OrganisationScopedAdmin, ScopedInline, visible
from registrations.admin.erasure import erase_personal_data
from registrations.admin.search import ParticipantNameSearch
from registrations.checkin.attendance import record_attendance
from registrations.csv_safety import csv_response
from registrations.driehoek.admission import admit, decline
from registrations.models import Attendance, Participant, TeamRegistration
from registrations.reports import no_shows

UNKNOWN = ""


class MemberAttendanceForm(forms.ModelForm):
    attendance = forms.ChoiceField(
        label=_("aanwezigheid"),
        choices=[(UNKNOWN, _("niet vastgelegd")), *Attendance.Status.choices],
        required=False,
    )

    class Meta:
        model = Participant
        fields = []  # members' details are changed in Aanmeldingen; here only who came

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = getattr(self.instance, "attendance", None) if self.instance.pk else None
        self.fields["attendance"].initial = record.status if record else UNKNOWN


class MemberInline(ScopedInline, admin.TabularInline):
    """One row per member, with their attendance: recorded after the session."""

    model = Participant
    form = MemberAttendanceForm
    fields = ["role", "full_name", "email", "attendance"]
    readonly_fields = ["role", "full_name", "email"]
    extra = 0
    max_num = 3
    can_delete = False
    verbose_name = _("lid van de driehoek")
    verbose_name_plural = _("leden van de driehoek en hun aanwezigheid")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("attendance")

    @admin.display(description=_("naam"))
    def full_name(self, participant):
        return participant.full_name


class TeamEventFilter(admin.SimpleListFilter):
    title = _("bijeenkomst")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        events = visible(Event.objects.all(), request.user).filter(registration_mode="team").order_by("starts_at")
        return [(str(event.pk), f"{event.starts_at:%d-%m-%Y} {event.title}") for event in events]

    def queryset(self, request, queryset):
        return queryset.filter(event_id=self.value()) if self.value() else queryset


@admin.register(TeamRegistration)
class TeamRegistrationAdmin(ParticipantNameSearch, OrganisationScopedAdmin):
    list_display = ["municipality", "event_date", "event", "status", "members", "created_at", "decided_at"]
    list_filter = ["status", TeamEventFilter]
    # The members' names are searched too: see ParticipantNameSearch.
    search_fields = ["municipality", "contact_name", "email"]
    list_select_related = ["event"]
    ordering = ["event__starts_at", "created_at"]
    readonly_fields = ["event", "municipality", "status", "created_at", "waitlisted_at", "decided_at", "cancelled_at"]
    fields = [
        ("event", "status"),
        "municipality",
        ("contact_name", "email"),
        ("created_at", "waitlisted_at", "decided_at", "cancelled_at"),
    ]
    inlines = [MemberInline]
    actions = ["admit_teams", "decline_teams", "no_show_csv", erase_personal_data]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(event__registration_mode="team").prefetch_related("participants")

    def has_add_permission(self, request):
        return False  # teams register themselves through the public form

    def has_delete_permission(self, request, obj=None):
        return False  # cancel or decline instead: deleting would lose the mails and the history

    @admin.display(description=_("datum"), ordering="event__starts_at")
    def event_date(self, registration):
        return timezone.localtime(registration.event.starts_at).strftime("%d-%m-%Y")

    @admin.display(description=_("leden"))
    def members(self, registration):
        return ", ".join(f"{p.full_name} ({p.get_role_display()})" for p in registration.participants.all())

    @admin.action(description=_("Geselecteerde driehoeken toelaten (mailt de leden)"))
    def admit_teams(self, request, queryset):
        done = admit(list(queryset.values_list("pk", flat=True)), by=request.user)
        self._report(request, queryset, done, _("toegelaten"))

    @admin.action(description=_("Geselecteerde driehoeken niet toelaten (mailt de leden, geeft de plaats door)"))
    def decline_teams(self, request, queryset):
        done = decline(list(queryset.values_list("pk", flat=True)), by=request.user)
        self._report(request, queryset, done, _("niet toegelaten"))

    def _report(self, request, queryset, done, what):
        self.message_user(
            request,
            ngettext("%(n)d driehoek %(what)s.", "%(n)d driehoeken %(what)s.", len(done))
            % {"n": len(done), "what": what},
            messages.SUCCESS,
        )
        skipped = queryset.count() - len(done)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d driehoek overgeslagen: de status liet dit niet toe.",
                    "%(n)d driehoeken overgeslagen: de status liet dit niet toe.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Wie niet kwam, van de geselecteerde driehoeken, als CSV"))
    def no_show_csv(self, request, queryset):
        events = Event.objects.filter(pk__in=queryset.values("event_id"))
        return no_show_csv_response(no_shows(events).filter(registration__in=queryset))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is not Participant:
            return
        for member_form in formset.forms:
            status = member_form.cleaned_data.get("attendance")
            if status and "attendance" in member_form.changed_data:
                try:
                    record_attendance(member_form.instance.pk, status, by=request.user)
                except ValidationError as error:
                    self.message_user(
                        request, f"{member_form.instance.full_name}: {' '.join(error.messages)}", messages.ERROR
                    )

    def get_urls(self):
        report = self.admin_site.admin_view(self.no_show_report)
        return [path("no-shows/", report, name="registrations_teamregistration_no_shows"), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "no_show_url": reverse("admin:registrations_teamregistration_no_shows"),
        }
        return super().changelist_view(request, extra_context)

    def no_show_report(self, request):
        """No-shows of past sessions, per session and per municipality; CSV with ?format=csv."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        events = visible(Event.objects.all(), request.user).filter(
            registration_mode="team", starts_at__lte=timezone.now()
        )
        selected = request.GET.get("event")
        if selected and selected.isdigit():
            events = events.filter(pk=selected)
        missing = no_shows(events).select_related("registration__event")
        if request.GET.get("format") == "csv":
            return no_show_csv_response(missing)
        by_session, by_municipality = {}, {}
        for participant in missing:
            by_session.setdefault(participant.registration.event, []).append(participant)
            by_municipality.setdefault(participant.registration.municipality, []).append(participant)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Niet gekomen bij de leerbijeenkomsten"),
            "opts": self.model._meta,
            "events": visible(Event.objects.all(), request.user).filter(registration_mode="team").order_by("starts_at"),
            "selected": selected,
            "by_session": sorted(by_session.items(), key=lambda item: item[0].starts_at),
            "by_municipality": sorted(by_municipality.items(), key=lambda item: municipality_order(item[0])),
            "total": len(missing),
        }
        return TemplateResponse(request, "registrations/team_no_shows.html", context)


def no_show_csv_response(participants):
    header = ["bijeenkomst", "datum", "gemeente", "rol", "naam", "e-mailadres", "aanwezigheid"]
    return csv_response("no-shows-driehoeken.csv", header, no_show_rows(participants))


def no_show_rows(participants):
    for participant in participants:
        event = participant.registration.event
        record = getattr(participant, "attendance", None)
        yield [
            event.title,
            timezone.localtime(event.starts_at).strftime("%d-%m-%Y"),
            participant.registration.municipality,
            participant.get_role_display(),
            participant.full_name,
            participant.email,
            record.get_status_display() if record else "niet vastgelegd",
        ]


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
