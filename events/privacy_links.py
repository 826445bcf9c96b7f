"""Consent sentences with the privacy statement linked inside them."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

PLACEHOLDER = "%(privacy_statement)s"


def with_statement_link(sentence, section=""):
    """``sentence`` (translated, holding PLACEHOLDER) with the statement linked in its place:
    a plain link in the same tab, like every link on the site; the statement is short and the
    back button returns to the form. Only the link is markup: the translated text around it
    is escaped. ``section`` is the fragment of the part of the statement that applies."""
    before, _placeholder, after = str(sentence).partition(PLACEHOLDER)
    address = reverse("events:privacy") + (f"#{section}" if section else "")
    return format_html('{}<a href="{}">{}</a>{}', before, address, _("privacyverklaring"), after)
