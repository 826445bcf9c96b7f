"""What the public may type into a text field: printable text, and a Dutch postcode.

Names and other one-line fields are printed on badges, lists and mail headers, where a line
break or another control character breaks the layout or the header. Emoji, accents and the
joiners that build emoji sequences (format characters, not control characters) stay allowed.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Control characters, and the two Unicode separators that also break a line.
BREAKING = {"Cc", "Zl", "Zp"}


def _breaks(char, allow_newlines):
    return unicodedata.category(char) in BREAKING and not (allow_newlines and char in "\r\n\t")


@deconstructible
class PrintableText:
    """Refuses control characters; ``allow_newlines`` for a multi-line field (a textarea)."""

    def __init__(self, allow_newlines=False):
        self.allow_newlines = allow_newlines

    def __call__(self, value):
        if not isinstance(value, str) or not any(_breaks(char, self.allow_newlines) for char in value):
            return
        if self.allow_newlines:
            message = _("Dit veld bevat onzichtbare stuurtekens. Typ de tekst opnieuw, zonder te plakken.")
        else:
            message = _("Gebruik hier één regel tekst, zonder regeleinden of andere stuurtekens.")
        raise ValidationError(message, code="control_characters")

    def __eq__(self, other):
        return isinstance(other, PrintableText) and other.allow_newlines == self.allow_newlines


one_line = PrintableText()
multi_line = PrintableText(allow_newlines=True)

POSTCODE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})\s*$")

dutch_postcode = RegexValidator(
    regex=r"^[1-9][0-9]{3} [A-Z]{2}$",
    message=_("Vul een Nederlandse postcode in, zoals 1234 AB."),
    code="postcode",
)


def normalise_postcode(value):
    """'1234ab' and ' 1234  AB ' become '1234 AB'; anything else is returned as it was."""
    match = POSTCODE.match(value or "")
    if not match:
        return value
    return f"{match[1]} {match[2].upper()}"
