"""Anonymising personal data of past events after the retention period (AVG).

What remains is what organisers need for their figures: how many registered, for which
workshops, who came (as counts), never who it was. Of a host offer what remains is the
municipality's venue (address, room capacity), which is not personal data.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from events.models import HostOffer
from registrations.models import Mail, Participant, Registration, new_token


def retention_cutoff(now, retention_days):
    """The moment before which personal data has been kept long enough."""
    days = settings.REGIODAG_RETENTION_DAYS if retention_days is None else retention_days
    return (now or timezone.now()) - timedelta(days=days)


@transaction.atomic
def anonymise_expired(now=None, retention_days=None):
    """Anonymise registrations of events that ended more than the retention period ago."""
    now = now or timezone.now()
    registrations = list(
        Registration.objects.select_for_update()
        .filter(event__ends_at__lt=retention_cutoff(now, retention_days), anonymised_at__isnull=True)
        .values_list("pk", flat=True)
    )
    for pk in registrations:
        # A new token: the personal link in old mails (forwarded, archived) leads nowhere once
        # there is nobody behind it, and neither does the QR code on an old badge.
        Registration.objects.filter(pk=pk).update(
            email=f"geanonimiseerd-{pk}@anoniem.invalid",
            contact_name="Geanonimiseerd",
            token=new_token(),
            anonymised_at=now,
            updated_at=now,
        )
    participants = Participant.objects.filter(registration_id__in=registrations)
    for pk in participants.values_list("pk", flat=True):
        Participant.objects.filter(pk=pk).update(
            given_name="Geanonimiseerd",
            name_prefix="",
            family_name=f"{pk}",
            email=f"deelnemer-{pk}@anoniem.invalid",
            function="",
            dietary_wishes="",
            accessibility_needs="",
            # Anonymised people are no longer looked for, and their old name must not linger here.
            search_name="",
            checkin_code=new_token(),
        )
    Mail.objects.filter(registration_id__in=registrations).update(recipient="anoniem@anoniem.invalid", last_error="")
    return len(registrations)


@transaction.atomic
def anonymise_expired_host_offers(now=None, retention_days=None):
    """Anonymise the contact details of host offers whose sessions are past the retention period.

    An offer is kept as long as any session it was offered for has not ended long enough
    ago; an offer for no session (only other dates in its note) counts from its arrival.
    """
    now = now or timezone.now()
    cutoff = retention_cutoff(now, retention_days)
    sessions = HostOffer.sessions.through.objects.filter(hostoffer=OuterRef("pk"))
    # A second run at the same moment (a redelivered task) waits for these locks and then
    # finds the offers anonymised, so the counts it reports are not counted twice.
    offers = list(
        HostOffer.objects.select_for_update()
        .filter(anonymised_at__isnull=True)
        .exclude(Exists(sessions.filter(event__ends_at__gte=cutoff)))
        .filter(Q(Exists(sessions)) | Q(created_at__lt=cutoff))
        .values_list("pk", flat=True)
    )
    HostOffer.objects.filter(pk__in=offers).update(
        contact_name="Geanonimiseerd",
        contact_email=Concat(Value("locatieaanbod-"), Cast("pk", CharField()), Value("@anoniem.invalid")),
        contact_phone="",
        organiser_notes="",
        dates_note="",
        anonymised_at=now,
        updated_at=now,
    )
    return len(offers)
