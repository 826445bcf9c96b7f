"""Municipalities offering their town hall as the venue of a session: the public form."""

from django import forms
from django.db import transaction
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from events.fields import MunicipalityField
from events.models import ROOM_CAPACITY_MAX, Event, HostOffer, Series
from events.municipalities import municipality_names
from events.privacy_links import with_statement_link
from regiodag.rate_limits import posted_address, rate_limited
from regiodag.spam_trap import SpamTrapMixin
from regiodag.text_validators import normalise_postcode


def privacy_label():
    """The consent sentence with the statement's section on host offers linked in it. The
    registration forms' sentence promises use for one session, which an offer for several
    does not fit."""
    return with_statement_link(
        _(
            "Ik ga akkoord met de %(privacy_statement)s: "
            "mijn gegevens worden alleen gebruikt om de locatie af te spreken."
        ),
        section="locatie-aanbieden",
    )


class HostOfferForm(SpamTrapMixin, forms.ModelForm):
    trap_message = _("Uw aanbod kon niet worden verwerkt. Probeer het opnieuw.")

    municipality = MunicipalityField(label=_("Gemeente"), help_text=_("Begin te typen en kies uit de lijst."))
    # Built when the form is shown, in the visitor's language.
    privacy = forms.BooleanField(
        label=lazy(privacy_label, SafeString)(),
        error_messages={
            "required": _("U kunt de locatie alleen aanbieden als u akkoord gaat met de privacyverklaring.")
        },
    )

    class Meta:
        model = HostOffer
        fields = [
            "municipality",
            "location_name",
            "address",
            "postcode",
            "city",
            "room_capacity",
            "sessions",
            "dates_note",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {"sessions": forms.CheckboxSelectMultiple, "dates_note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "room_capacity": _(
                "Hoeveel personen de zaal kan ontvangen; zes driehoeken met begeleiding zijn ruim twintig."
            ),
            "sessions": _("Voor welke bijeenkomsten uw locatie beschikbaar is."),
        }

    def __init__(self, *args, series, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's range and its Dutch messages, also for the browser's own check.
        capacity = self.fields["room_capacity"]
        capacity.validators = list(HostOffer._meta.get_field("room_capacity").validators)
        capacity.widget.attrs.update(min=1, max=ROOM_CAPACITY_MAX)
        self.fields["sessions"].queryset = series.events.published().filter(starts_at__gt=timezone.now())
        self.fields["sessions"].label_from_instance = lambda event: f"{event.starts_at:%d-%m-%Y} · {event.regions}"

    def clean_postcode(self):
        return normalise_postcode(self.cleaned_data["postcode"])

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("sessions") and not cleaned.get("dates_note", "").strip():
            self.add_error("sessions", _("Kies minstens één bijeenkomst, of noem hieronder de data die u passen."))
        return cleaned


class ConsentMissing(Exception):
    """A host offer without the contact person's consent to the privacy statement."""


@transaction.atomic
def offer_location(series, data):
    """Record a host offer for ``series`` from validated form data, with the moment the
    contact person consented to the privacy statement (the statement says it is recorded)."""
    data = dict(data)
    if not data.pop("privacy", False):
        raise ConsentMissing()
    sessions = data.pop("sessions", [])
    offer = HostOffer.objects.create(series=series, privacy_accepted_at=timezone.now(), **data)
    offer.sessions.set([event for event in sessions if event.series_id == series.pk])
    return offer


@require_http_methods(["GET", "POST"])
@rate_limited(("host-offer-ip", "ip"), ("host-offer-email", posted_address("contact_email")))
def host_offer(request, slug):
    series = get_object_or_404(
        Series.objects.filter(events__registration_mode="team", events__status=Event.Status.PUBLISHED).distinct(),
        slug=slug,
    )
    form = HostOfferForm(request.POST or None, series=series)
    if request.method == "POST" and form.is_valid():
        offer = offer_location(series, form.cleaned_data)
        return render(request, "events/host_offer_thanks.html", {"series": series, "offer": offer})
    return render(
        request, "events/host_offer.html", {"series": series, "form": form, "municipalities": municipality_names()}
    )
