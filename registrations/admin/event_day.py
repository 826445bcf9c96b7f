"""The event day in the admin: badges, attendance lists, no-show report, host lists.

Mixins for EventAdmin and WorkshopAdmin so that those stay short. Every object is looked
up through the admin's own (organisation-scoped) queryset, so an id of another
organisation's event or workshop gives a 404 here exactly as on its change page.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.scoping import visible
from registrations.csv_safety import csv_response
from registrations.models import GeneratedDocument
from registrations.pdf.badges import DEFAULT_LAYOUT, LAYOUTS, badge_participants, badges_pdf
from registrations.pdf.lists import (
    NO_SHOW_CSV_HEADER,
    PARTICIPANT_CSV_HEADER,
    event_attendance_pdf,
    no_show_rows,
    participant_list_pdf,
    participant_list_rows,
    workshop_attendance_pdf,
)
from registrations.reports import expected_participants, no_shows_by, presence_counts
from registrations.services import documents
from registrations.services.certificates import NotEnded, send_certificates


def pdf_response(data, filename):
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


class ScopedObjectViews:
    """Extra admin pages for one object, reachable only for objects the user may view."""

    def scoped_object(self, request, object_id):
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        return obj

    def object_urls(self, views):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(f"<int:object_id>/{route}", self.admin_site.admin_view(view), name="%s_%s_%s" % (*info, name))
            for route, view, name in views
        ]

    def object_url(self, name, obj):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_{name}", args=[obj.pk])

    @staticmethod
    def links(links):
        return format_html_join(" · ", '<a href="{}">{}</a>', links)

    def add_actions(self, actions, functions):
        for function in functions:
            actions[function.__name__] = self.get_action(function)
        return actions


class EventDayAdminMixin(ScopedObjectViews):
    def get_urls(self):
        return [
            *self.object_urls(
                [
                    ("badges/", self.badges_view, "badges"),
                    ("presentielijst/", self.attendance_list_view, "attendance_list"),
                    ("niet-gekomen/", self.no_shows_view, "no_shows"),
                    ("niet-gekomen.csv", self.no_shows_csv_view, "no_shows_csv"),
                    ("bewijzen-van-deelname/", self.certificates_view, "certificates"),
                ]
            ),
            *super().get_urls(),
        ]

    def get_actions(self, request):
        # Added to whatever actions EventAdmin declares, rather than replacing them.
        return self.add_actions(
            super().get_actions(request),
            [print_badges, print_attendance_lists, export_no_shows, send_certificates_to_present],
        )

    def get_list_display(self, request):
        return [*super().get_list_display(request), "event_day_links"]

    @admin.display(description=gettext_lazy("evenementdag"))
    def event_day_links(self, event):
        return self.links(
            [
                (self.object_url("badges", event), _("badges")),
                (self.object_url("attendance_list", event), _("presentielijst")),
                (reverse("checkin:event", args=[event.pk]), _("inchecken")),
                (self.object_url("no_shows", event), _("niet gekomen")),
            ]
        )

    def badges_view(self, request, object_id):
        """GET: choose a layout and people; POST: the PDF of the chosen (default: all)."""
        event = self.scoped_object(request, object_id)
        if request.method == "POST":
            chosen = [int(pk) for pk in request.POST.getlist("participant") if pk.isdigit()]
            layout = request.POST.get("layout", DEFAULT_LAYOUT)
            if documents.in_background(documents.badge_count(event, chosen)):
                # Too many for the request: the PDF worker makes them; the organiser follows.
                document = documents.request_document(
                    event, GeneratedDocument.Kind.BADGES, by=request.user, layout=layout, participant_ids=chosen
                )
                return redirect("admin:registrations_generateddocument_progress", document.pk)
            return pdf_response(badges_pdf([event], layout, chosen or None), f"badges-{event.slug}.pdf")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": event,
            "title": _("Naambadges: %(event)s") % {"event": event.title},
            "layouts": LAYOUTS.values(),
            "default_layout": DEFAULT_LAYOUT,
            "participants": badge_participants([event]),
            "background_limit": settings.REGIODAG_DIRECT_PDF_LIMIT,
            "documents": visible(
                GeneratedDocument.objects.filter(event=event, kind=GeneratedDocument.Kind.BADGES), request.user
            )[:5],
        }
        return TemplateResponse(request, "admin/event_day/badges.html", context)

    def attendance_list_view(self, request, object_id):
        """Small events: the PDF at once. Big ones: a button that has the PDF worker make it."""
        event = self.scoped_object(request, object_id)
        count = documents.badge_count(event)
        if not documents.in_background(count):
            return pdf_response(event_attendance_pdf([event]), f"presentielijst-{event.slug}.pdf")
        if request.method == "POST":
            document = documents.request_document(event, GeneratedDocument.Kind.ATTENDANCE_LIST, by=request.user)
            return redirect("admin:registrations_generateddocument_progress", document.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": event,
            "title": _("Presentielijst: %(event)s") % {"event": event.title},
            "count": count,
            "documents": visible(
                GeneratedDocument.objects.filter(event=event, kind=GeneratedDocument.Kind.ATTENDANCE_LIST),
                request.user,
            )[:5],
        }
        return TemplateResponse(request, "admin/event_day/attendance_list.html", context)

    def no_shows_view(self, request, object_id):
        event = self.scoped_object(request, object_id)
        field = "registration__municipality" if event.is_team_event else "organisation"
        present, expected = presence_counts(event)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": event,
            "title": _("Niet gekomen: %(event)s") % {"event": event.title},
            "groups": no_shows_by([event], field),
            "group_label": _("Gemeente") if event.is_team_event else _("Organisatie"),
            "present": present,
            "expected": expected,
            "finished": event.ends_at <= timezone.now(),
            "csv_url": self.object_url("no_shows_csv", event),
            "certificates_url": self.object_url("certificates", event),
        }
        return TemplateResponse(request, "admin/event_day/no_shows.html", context)

    def certificates_view(self, request, object_id):
        """POST: mail the certificates of this event, as the changelist's action does; GET
        shows the page that has the button."""
        if request.method != "POST":
            return self.no_shows_view(request, object_id)  # the page with the button
        event = self.scoped_object(request, object_id)
        send_certificates_to_present(self, request, self.get_queryset(request).filter(pk=event.pk))
        return HttpResponseRedirect(self.object_url("no_shows", event))

    def no_shows_csv_view(self, request, object_id):
        event = self.scoped_object(request, object_id)
        return csv_response(f"niet-gekomen-{event.slug}.csv", NO_SHOW_CSV_HEADER, no_show_rows([event]))


def in_background(modeladmin, request, events, kind):
    """Too many people for one request: a document per event for the PDF worker, and a
    message that leads to them. Returns whether it went that way."""
    if not documents.in_background(expected_participants(events).count()):
        return False
    for event in events:
        documents.request_document(event, kind, by=request.user)
    url = reverse("admin:registrations_generateddocument_changelist")
    modeladmin.message_user(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("Dat zijn te veel deelnemers om meteen af te drukken: de PDF's worden op de achtergrond gemaakt."),
            url,
            _("Naar de gemaakte documenten"),
        ),
        messages.INFO,
    )
    return True


@admin.action(description=gettext_lazy("Naambadges afdrukken (PDF, 10 per vel)"))
def print_badges(modeladmin, request, queryset):
    events = list(queryset.order_by("starts_at"))
    if in_background(modeladmin, request, events, GeneratedDocument.Kind.BADGES):
        return None
    return pdf_response(badges_pdf(events), "badges.pdf")


@admin.action(description=gettext_lazy("Presentielijsten afdrukken (PDF)"))
def print_attendance_lists(modeladmin, request, queryset):
    events = list(queryset.order_by("starts_at"))
    if in_background(modeladmin, request, events, GeneratedDocument.Kind.ATTENDANCE_LIST):
        return None
    return pdf_response(event_attendance_pdf(events), "presentielijsten.pdf")


@admin.action(description=gettext_lazy("Niet gekomen deelnemers exporteren (CSV)"))
def export_no_shows(modeladmin, request, queryset):
    return csv_response("niet-gekomen.csv", NO_SHOW_CSV_HEADER, no_show_rows(list(queryset)))


@admin.action(description=gettext_lazy("Bewijzen van deelname mailen aan wie aanwezig was"))
def send_certificates_to_present(modeladmin, request, queryset):
    """The queryset is the admin's own, so only events of the user's organisations are sent."""
    recorded = 0
    for event in queryset.order_by("starts_at"):
        try:
            recorded += len(send_certificates(event.pk, by=request.user))
        except NotEnded as refusal:
            modeladmin.message_user(request, f"{event.title}: {refusal.message}", messages.WARNING)
    modeladmin.message_user(
        request,
        _(
            "%(count)s nieuwe bewijzen van deelname klaargezet voor verzending; "
            "wie er al een kreeg, krijgt er geen tweede."
        )
        % {"count": recorded},
        messages.SUCCESS,
    )


class WorkshopDayAdminMixin(ScopedObjectViews):
    def get_urls(self):
        return [
            *self.object_urls(
                [
                    ("presentielijst/", self.attendance_list_view, "attendance_list"),
                    ("deelnemers.pdf", self.participants_pdf_view, "participants_pdf"),
                    ("deelnemers.csv", self.participants_csv_view, "participants_csv"),
                ]
            ),
            *super().get_urls(),
        ]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "workshop_lists"]

    @admin.display(description=gettext_lazy("lijsten"))
    def workshop_lists(self, workshop):
        return self.links(
            [
                (self.object_url("attendance_list", workshop), _("presentielijst")),
                (self.object_url("participants_pdf", workshop), _("deelnemers (PDF)")),
                (self.object_url("participants_csv", workshop), _("deelnemers (CSV)")),
            ]
        )

    def attendance_list_view(self, request, object_id):
        workshop = self.scoped_object(request, object_id)
        return pdf_response(workshop_attendance_pdf(workshop), f"presentielijst-workshop-{workshop.pk}.pdf")

    def participants_pdf_view(self, request, object_id):
        workshop = self.scoped_object(request, object_id)
        return pdf_response(participant_list_pdf(workshop), f"deelnemers-workshop-{workshop.pk}.pdf")

    def participants_csv_view(self, request, object_id):
        workshop = self.scoped_object(request, object_id)
        return csv_response(
            f"deelnemers-workshop-{workshop.pk}.csv", PARTICIPANT_CSV_HEADER, participant_list_rows(workshop)
        )
