"""Uploaded files, handed out by our own views: the one place that opens them.

Nothing serves /media/: every link to an upload goes through a view that first asks a
selector whether this visitor may have the file, and then calls ``file_response``.
"""

from dataclasses import dataclass
from pathlib import Path

from django.http import FileResponse, Http404


def file_name(field_file):
    """The name the file was uploaded with (each upload gets a folder of its own)."""
    return Path(field_file.name).name


def file_response(field_file):
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        # The row outlived its file (restored database, cleaned disk): nothing to hand out.
        raise Http404 from None
    # Always a download, never shown in the browser: uploads are not checked for type, and
    # an HTML or SVG file opened on our own domain could run script with the visitor's session.
    response = FileResponse(handle, as_attachment=True, filename=file_name(field_file))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@dataclass(frozen=True)
class FileFacts:
    name: str
    kind: str  # the extension, as people know it: PDF, PPTX
    size: int | None  # None when the file is gone from the disk


def file_facts(field_file):
    """What a download link should say about its file (WCAG: type and size)."""
    name = file_name(field_file)
    try:
        size = field_file.size
    except OSError:
        size = None
    return FileFacts(name=name, kind=Path(name).suffix.lstrip(".").upper(), size=size)
