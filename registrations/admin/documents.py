"""Documents the PDF worker makes (badges, attendance lists): their list, the page that
follows one's progress, and its download.

Every document is looked up through the admin's organisation-scoped queryset, so another
organisation's document is a 404 on each of these pages, its file included.
"""

from django.conf import settings
from django.contrib import admin
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.scoping import OrganisationScopedAdmin
from regiodag.downloads import file_response
from registrations.admin.event_day import ScopedObjectViews
from registrations.models import GeneratedDocument

# While the worker is busy the progress page reloads itself this often (no JavaScript).
REFRESH_SECONDS = 2


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ScopedObjectViews, OrganisationScopedAdmin):
    list_display = ["__str__", "status", "progress", "requested_by", "created_at", "finished_at", "follow_link"]
    list_filter = ["kind", "status", "event"]
    list_select_related = ["event", "requested_by"]
    readonly_fields = [f.name for f in GeneratedDocument._meta.fields if f.name != "file"]
    exclude = ["file"]

    def has_add_permission(self, request):
        return False  # asked for on the event's badge and attendance-list pages

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            *self.object_urls(
                [
                    ("voortgang/", self.progress_view, "progress"),
                    ("download/", self.download_view, "download"),
                ]
            ),
            *super().get_urls(),
        ]

    @admin.display(description=gettext_lazy("voortgang"))
    def progress(self, document):
        return f"{document.done} / {document.total}"

    @admin.display(description=gettext_lazy("bekijken"))
    def follow_link(self, document):
        label = _("downloaden") if document.status == GeneratedDocument.Status.READY else _("voortgang")
        return self.links([(self.object_url("progress", document), label)])

    def progress_view(self, request, object_id):
        document = self.scoped_object(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": document,
            "document": document,
            "title": str(document),
            "refresh_seconds": None if document.finished else REFRESH_SECONDS,
            "self_url": self.object_url("progress", document),
            "download_url": self.object_url("download", document),
            "document_days": settings.REGIODAG_DOCUMENT_DAYS,
        }
        # It names people (the file) and changes by the second: never from a cache.
        response = TemplateResponse(request, "admin/event_day/document.html", context)
        add_never_cache_headers(response)
        return response

    def download_view(self, request, object_id):
        document = self.scoped_object(request, object_id)
        if document.status != GeneratedDocument.Status.READY or not document.file:
            raise Http404
        response = file_response(document.file)
        add_never_cache_headers(response)
        return response
