"""The event's dashboard in the admin: how an event is doing at a glance.

Registrations per day, places per workshop against capacity, the waiting list and
cancellations; on the day the check-ins as they come in (the page refreshes itself without
JavaScript), afterwards the no-shows. The event is looked up through the admin's own
organisation-scoped queryset (``scoped_object``), so another organisation's event is a 404.
"""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from registrations.admin.event_day import ScopedObjectViews
from registrations.dashboard import COLUMN_AREA, dashboard

# On the event day the page reloads itself this often (a meta refresh: no JavaScript).
REFRESH_SECONDS = 30


class EventDashboardAdminMixin(ScopedObjectViews):
    def get_urls(self):
        return [*self.object_urls([("overzicht/", self.dashboard_view, "dashboard")]), *super().get_urls()]

    def get_list_display(self, request):
        return [*super().get_list_display(request), "dashboard_link"]

    @admin.display(description=gettext_lazy("overzicht"))
    def dashboard_link(self, event):
        return self.links([(self.object_url("dashboard", event), _("hoe staat het ervoor"))])

    def dashboard_view(self, request, object_id):
        event = self.scoped_object(request, object_id)
        figures = dashboard(event)
        context = {
            **self.admin_site.each_context(request),
            **figures,
            "opts": self.opts,
            "original": event,
            "event": event,
            "title": _("Overzicht: %(event)s") % {"event": event.title},
            "column_width": COLUMN_AREA[0],
            "column_height": COLUMN_AREA[1],
            "refresh_seconds": REFRESH_SECONDS if figures["phase"] == "today" else None,
            "no_shows_url": self.object_url("no_shows", event),
            "self_url": self.object_url("dashboard", event),
        }
        return TemplateResponse(request, "admin/event_day/dashboard.html", context)
