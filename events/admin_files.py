"""Uploaded files in the admin: fetched through a download view, never from /media/.

An inline with ``DownloadLinksInline`` shows its current file as a link to that view; the
admin that holds the inline (``UploadDownloadsAdmin``) adds the view to its URLs. Whether
the organiser may have the file is decided by ``events.scoping.managed_upload``.
"""

from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.http import Http404
from django.urls import path, reverse

from events.scoping import managed_upload
from regiodag.downloads import file_name, file_response


def download_url_name(model):
    return f"{model._meta.app_label}_{model._meta.model_name}_file"


class DownloadLink:
    """What the file widget's template reads of its value: the link and the name shown."""

    def __init__(self, url, name):
        self.url = url
        self.name = name

    def __str__(self):
        return self.name


class DownloadLinkWidget(AdminFileWidget):
    def __init__(self, url_name, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"]:
            url = reverse(self.url_name, args=[value.instance.pk])
            context["widget"]["value"] = DownloadLink(url, file_name(value))
        return context


class DownloadLinksInline:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.FileField):
            kwargs["widget"] = DownloadLinkWidget(f"admin:{download_url_name(self.model)}")
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class UploadDownloadsAdmin:
    """Adds a download view for the files of each of its ``DownloadLinksInline`` inlines."""

    def get_urls(self):
        downloads = [
            path(
                f"{inline.model._meta.model_name}/<int:pk>/bestand/",
                self.admin_site.admin_view(self.download_view),
                {"model": inline.model},
                name=download_url_name(inline.model),
            )
            for inline in self.inlines
            if issubclass(inline, DownloadLinksInline)
        ]
        return [*downloads, *super().get_urls()]

    def download_view(self, request, pk, model):
        row = managed_upload(request.user, model, pk)
        if row is None:
            raise Http404
        return file_response(row.file)
