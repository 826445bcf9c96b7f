"""Changing a participant's own details through the personal link."""

from django.db import transaction

from registrations.errors import NotAllowed
from registrations.models import Participant

EDITABLE = (
    "given_name",
    "name_prefix",
    "family_name",
    "organisation",
    "function",
    "dietary_wishes",
    "accessibility_needs",
)


@transaction.atomic
def update_details(registration_id, participant_id, **fields):
    """Store new personal details; the e-mail address stays, as it identifies the registration."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    participant = (
        Participant.objects.select_related("registration")
        .select_for_update(of=("self",))
        .get(pk=participant_id, registration_id=registration_id)
    )
    if not participant.registration.is_active:
        raise NotAllowed()
    for name, value in fields.items():
        setattr(participant, name, value.strip())
    participant.save(update_fields=list(fields))
    return participant
