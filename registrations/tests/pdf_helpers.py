"""Reading our PDFs back in tests: their text (with pypdf) and their layout boxes."""

import io
import re

import pypdf
from weasyprint import HTML
from weasyprint.formatting_structure import boxes

from registrations.pdf.rendering import StaticOnlyFetcher, base_url

# Line breaks, spaces and the hyphens WeasyPrint adds when it breaks a word.
BREAKS = re.compile(r"[\s\u2010\u00ad-]+")


def pdf_pages(data):
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def squash(text):
    """Text without the places where a line may have been broken, to find wrapped values."""
    return BREAKS.sub("", text)


def pdf_fonts(data):
    names = set()
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def _walk(box):
    yield box
    for child in getattr(box, "children", None) or []:
        # Absolutely positioned boxes sit in the tree behind a placeholder.
        yield from _walk(getattr(child, "_box", child))


def boxes_with_class(html, css_class):
    """[(page number, box, [text boxes inside it])] for every element with ``css_class``."""
    document = HTML(string=html, base_url=base_url(), url_fetcher=StaticOnlyFetcher()).render()
    found = []
    for number, page in enumerate(document.pages, start=1):
        for box in _walk(page._page_box):
            element = getattr(box, "element", None)
            if (
                isinstance(box, boxes.BlockBox)
                and element is not None
                and css_class in (element.get("class") or "").split()
            ):
                texts = [b for b in _walk(box) if isinstance(b, boxes.TextBox)]
                found.append((number, box, texts))
    return found


def overflow(box, texts):
    """How far (in CSS px) the furthest text sticks out of ``box``'s content area; <= 0 fits."""
    right = box.content_box_x() + box.width
    bottom = box.content_box_y() + box.height
    return max([t.position_x + t.width - right for t in texts] + [t.position_y + t.height - bottom for t in texts])
