"""What an uploaded file must hold to be stored: content that matches its extension.

An extension is only a name: an HTML page renamed ``slides.png`` would pass a check of the
name, and served on our domain it could run script. Downloads are always attachments with
``nosniff`` (regiodag.downloads); this is the second line: the first bytes of the file must
be the signature of the format its name claims, and nothing a browser would take for a web
page may hide in it.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

ZIP = (b"PK\x03\x04",)  # Office Open XML and OpenDocument files are zip archives
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # the older Office formats
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "pptx": ZIP,
    "xlsx": ZIP,
    "odt": ZIP,
    "odp": ZIP,
    "ods": ZIP,
    "doc": OLE,
    "ppt": OLE,
    "xls": OLE,
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "txt": None,  # any text: checked below for markup and binary content
}
# How much of a file is read for markup: enough for a page hidden in an image's header.
SCAN_BYTES = 1024 * 1024
MARKUP = (b"<html", b"<script", b"<svg", b"<iframe", b"<body", b"<!doctype html", b"<?xml-stylesheet")


def read_head(file, size):
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


def validate_file_content(file):
    """Refuses a file whose content is not what its extension says."""
    extension = Path(file.name).suffix.lstrip(".").lower()
    if extension not in SIGNATURES:
        return  # the extension validator beside this one refuses it, in its own words
    head = read_head(file, SCAN_BYTES)
    signatures = SIGNATURES[extension]
    if signatures is not None and not head.startswith(signatures):
        raise ValidationError(
            _("Dit bestand is geen echt .%(extension)s-bestand: de inhoud past niet bij de naam."),
            params={"extension": extension},
            code="content_mismatch",
        )
    lowered = head.lower()
    if extension in ("txt", "png", "jpg", "jpeg") and any(marker in lowered for marker in MARKUP):
        raise ValidationError(
            _("Dit bestand bevat code voor een webpagina en wordt daarom niet opgeslagen."), code="markup"
        )
    if extension == "txt" and b"\x00" in head:
        raise ValidationError(_("Dit is geen tekstbestand."), code="not_text")
