"""The spam trap of every public form: a field people never see, and a signed start stamp.

A robot fills in the hidden ``website`` field; a form sent sooner after it was shown than a
person can fill it in, or with a stamp that was already used for a sent form, is refused.
Each stamp carries a random nonce that is marked used in the shared cache (``cache.add``,
atomic in Redis) for as long as the stamp is valid, so one shown form yields at most one
submission, however often it is replayed.

The cache rather than a table: a replayed stamp is the cheap part of an attack that the
rate limits (regiodag.rate_limits, on the same cache) bound anyway, and a table would add a
write and a clean-up job to every registration. With the cache down the check is skipped
with one log line, as the rate limits are: a registration must not fail because Redis does.
"""

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from regiodag.outages import CACHE

# Unchanged since the stamp was the registration form's alone.
STAMP_SALT = "registrations.forms.started"
# A form older than this is refused as stale rather than trusted for the spam trap.
FORM_MAX_AGE = 24 * 3600
USED_KEY = "spam-trap:used:{}"


def sign_start(now=None):
    """A stamp for a form shown at ``now`` (default: this moment), unique to this showing."""
    return signing.dumps(
        {"t": now if now is not None else time.time(), "n": secrets.token_urlsafe(12)}, salt=STAMP_SALT
    )


def read_stamp(stamp):
    """(shown at, nonce) of a valid stamp; raises signing.BadSignature or ValueError."""
    value = signing.loads(stamp or "", salt=STAMP_SALT, max_age=FORM_MAX_AGE)
    if not isinstance(value, dict) or not isinstance(value.get("n"), str):
        raise ValueError("not a stamp")
    return float(value["t"]), value["n"]


def use_nonce(nonce):
    """Mark a stamp's nonce used; False if it was used before. True when the cache is down."""
    try:
        fresh = cache.add(USED_KEY.format(nonce), 1, timeout=FORM_MAX_AGE)
    except Exception as exc:  # noqa: BLE001 - any cache failure: let the person through
        CACHE.failed(exc)
        return True
    CACHE.recovered()
    return fresh


def spam_trap_fields():
    return {
        # People never see this field; robots fill it in.
        "website": forms.CharField(
            label=_("Laat dit veld leeg"),
            required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
        ),
        # Signed when shown (a callable initial), not when a sent form is checked.
        "started": forms.CharField(widget=forms.HiddenInput, required=False, initial=sign_start),
    }


class SpamTrapMixin:
    """For a form with spam_trap_fields(): refuses robots, replays and stale forms.

    Forms that do not declare the fields get them at the end. Its problems are told above
    the form (the fields are hidden). A checked stamp is replaced in the form's data by one
    with the same start and a new nonce, so that the form shown again with its errors can
    be sent again.
    """

    trap_message = _("Uw aanmelding kon niet worden verwerkt. Probeer het opnieuw.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not {"website", "started"} <= self.fields.keys():
            for name, field in spam_trap_fields().items():
                self.fields.setdefault(name, field)

    def clean_website(self):
        if self.cleaned_data.get("website"):
            # A robot learns nothing from the message.
            self.add_error(None, self.trap_message)
        return ""

    def clean(self):
        cleaned = super().clean()
        # Nothing for the services: the data of the form are what is left.
        cleaned.pop("website", None)
        cleaned.pop("started", None)
        return cleaned

    def full_clean(self):
        super().full_clean()
        # After every other check, so that a stamp is used up only by a form with nothing
        # else to correct: one with errors is shown again and sent again.
        if self.is_bound:
            self.check_stamp()

    def restamp(self, shown_at):
        self.data = self.data.copy()
        self.data[self.add_prefix("started")] = sign_start(shown_at)

    def check_stamp(self):
        try:
            shown_at, nonce = read_stamp(self.data.get(self.add_prefix("started")))
        except (signing.BadSignature, TypeError, ValueError):
            # A stale or tampered form: hand out a fresh one so that sending again works.
            self.restamp(None)
            self.add_error(None, _("Dit formulier is verlopen. Controleer uw gegevens en verstuur het opnieuw."))
            return
        self.restamp(shown_at)
        if time.time() - shown_at < settings.REGIODAG_MIN_FILL_SECONDS:
            self.add_error(
                None, _("Het formulier is wel erg snel verstuurd. Controleer uw gegevens en verstuur het opnieuw.")
            )
        elif not self.errors and not use_nonce(nonce):
            self.add_error(
                None,
                _(
                    "Dit formulier is al verstuurd. Controleer op de pagina of in uw e-mail of dat gelukt is, "
                    "of verstuur het opnieuw."
                ),
            )
