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

# Rows per statement where each row gets a value of its own (a new token).
BATCH_SIZE = 500


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
    Registration.objects.filter(pk__in=registrations).update(
        email=Concat(Value("geanonimiseerd-"), Cast("pk", CharField()), Value("@anoniem.invalid")),
        contact_name="Geanonimiseerd",
        anonymised_at=now,
        updated_at=now,
    )
    # A new token: the personal link in old mails (forwarded, archived) leads nowhere once
    # there is nobody behind it, and neither does the QR code on an old badge. Each is drawn
    # here, so they are written in batches rather than one statement.
    Registration.objects.bulk_update(
        [Registration(pk=pk, token=new_token()) for pk in registrations], ["token"], batch_size=BATCH_SIZE
    )
    participants = list(Participant.objects.filter(registration_id__in=registrations).values_list("pk", flat=True))
    Participant.objects.filter(pk__in=participants).update(
        given_name="Geanonimiseerd",
        name_prefix="",
        family_name=Cast("pk", CharField()),
        email=Concat(Value("deelnemer-"), Cast("pk", CharField()), Value("@anoniem.invalid")),
        function="",
        dietary_wishes="",
        accessibility_needs="",
        # Anonymised people are no longer looked for, and their old name must not linger here.
        search_name="",
    )
    Participant.objects.bulk_update(
        [Participant(pk=pk, checkin_code=new_token()) for pk in participants], ["checkin_code"], batch_size=BATCH_SIZE
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
