"""HTML templates to PDF with WeasyPrint, fetching nothing from outside the app.

The URL fetcher answers only for files under our own static folder and for data: URLs;
anything else (a remote image, a file elsewhere on disk) is refused, so a PDF can never
leak a request or read a file it should not.
"""

from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

STATIC_ROOTS = [Path(p).resolve() for p in settings.STATICFILES_DIRS]


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"})

    def fetch(self, url, headers=None):
        if url.startswith("file://"):
            path = Path(unquote(url[len("file://") :].split("?", 1)[0])).resolve()
            if not any(path.is_relative_to(root) for root in STATIC_ROOTS):
                raise ValueError(f"PDF rendering may only read static files, not {path.name}")
        elif not url.startswith("data:"):
            raise ValueError(f"PDF rendering may not fetch {url[:80]}")
        return super().fetch(url, headers)


def base_url():
    """Relative URLs in PDF templates (``css/fonts.css``) resolve into static/."""
    return STATIC_ROOTS[0].as_uri() + "/"


def html_to_pdf(html):
    return HTML(string=html, base_url=base_url(), url_fetcher=StaticOnlyFetcher()).write_pdf()


def render_pdf(template_name, context):
    return html_to_pdf(render_to_string(template_name, context))
