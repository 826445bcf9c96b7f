"""Anonymising personal data of past events after the retention period (AVG).

What remains is what organisers need for their figures: how many registered, for which
workshops, who came (as counts), never who it was.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from registrations.models import Mail, Participant, Registration


@transaction.atomic
def anonymise_expired(now=None, retention_days=None):
    """Anonymise registrations of events that ended more than the retention period ago."""
    now = now or timezone.now()
    days = settings.REGIODAG_RETENTION_DAYS if retention_days is None else retention_days
    registrations = list(
        Registration.objects.select_for_update()
        .filter(event__ends_at__lt=now - timedelta(days=days), anonymised_at__isnull=True)
        .values_list("pk", flat=True)
    )
    for pk in registrations:
        Registration.objects.filter(pk=pk).update(
            email=f"geanonimiseerd-{pk}@anoniem.invalid", contact_name="Geanonimiseerd", anonymised_at=now
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
        )
    Mail.objects.filter(registration_id__in=registrations).update(recipient="anoniem@anoniem.invalid", last_error="")
    return len(registrations)
