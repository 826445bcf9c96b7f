"""Register, change and cancel: the operations that take and free places.

Each function is one transaction. Capacity is decided by registrations.services.places,
under row locks on the rows that carry it: first the event, then its workshops in id
order (one fixed order, so two transactions never wait on each other in a cycle).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from registrations.errors import DuplicateRegistration, EventFull, NotAllowed, RegistrationClosed, WorkshopFull
from registrations.mails.outbox import first_mails, queue_mail
from registrations.models import Mail, Participant, Registration, WorkshopChoice
from registrations.services.places import (
    check_one_per_round,
    check_room,
    lock_event,
    lock_workshops,
    placed_status,
    workshop_demand,
)
from registrations.services.retention import forget_needs
from registrations.services.waitlist import promote_waiting


@dataclass(frozen=True)
class Person:
    given_name: str
    family_name: str
    email: str
    name_prefix: str = ""
    organisation: str = ""
    function: str = ""
    role: str = ""
    dietary_wishes: str = ""
    accessibility_needs: str = ""
    # Workshop ids, one per round of the event.
    workshop_ids: tuple = field(default_factory=tuple)


def register(
    event_id,
    *,
    people,
    contact_email=None,
    contact_name=None,
    municipality="",
    waitlist=False,
    language="nl",
    now=None,
):
    """Register one person or one team for an event.

    Returns the registration: confirmed, applied (awaiting admission) or, when the event or
    a chosen workshop is full and ``waitlist`` is true, waitlisted. Raises a
    RegistrationError otherwise, having stored nothing.
    """
    if not people:
        raise NotAllowed()
    contact_email = (contact_email or people[0].email).strip().lower()
    now = now or timezone.now()
    demand = workshop_demand(w for person in people for w in person.workshop_ids)
    with transaction.atomic():
        event = lock_event(event_id)
        if event.registration_state(now) != "open":
            raise RegistrationClosed()
        # Told before the places: also where the event is full by now.
        if (existing := active_registration(event.pk, contact_email, municipality)) is not None:
            raise DuplicateRegistration(existing)
        workshops = lock_workshops(event, demand)
        check_one_per_round(event, workshops, [person.workshop_ids for person in people])
        try:
            check_room(event, workshops, demand)
            status = placed_status(event)
        except (EventFull, WorkshopFull):
            if not waitlist:
                raise
            status = Registration.Status.WAITLISTED
        registration = Registration.objects.create(
            event=event,
            series_id=event.series_id,
            status=status,
            email=contact_email,
            contact_name=contact_label(contact_name, people[0]),
            municipality=municipality,
            language=language,
            waitlisted_at=now if status == Registration.Status.WAITLISTED else None,
            privacy_accepted_at=now,
        )
        participants = Participant.objects.bulk_create(new_participant(registration, person) for person in people)
        WorkshopChoice.objects.bulk_create(
            WorkshopChoice(participant=participant, workshop_id=w, round_id=workshops[w].round_id)
            for participant, person in zip(participants, people, strict=True)
            for w in person.workshop_ids
        )
        kind = "waitlisted" if status == Registration.Status.WAITLISTED else "acknowledgement"
        Mail.objects.bulk_create(first_mails(registration, kind, participants))
    return registration


def active_registration(event_id, email, municipality=""):
    """The address's active registration for the event: for a team, the one for this
    municipality (a shared griffie registers the driehoek of each municipality it serves)."""
    return (
        Registration.objects.filter(
            event_id=event_id, email=email, municipality=municipality, status__in=Registration.ACTIVE
        )
        .order_by("pk")
        .first()
    )


def contact_label(contact_name, first):
    """The participant's own fields hold the full name; the contact name is only a label,
    and a very long Dutch name must not make the registration fail."""
    name = contact_name or " ".join(p for p in [first.given_name, first.name_prefix, first.family_name] if p)
    return name[: Registration._meta.get_field("contact_name").max_length]


def new_participant(registration, person):
    return Participant(
        registration=registration,
        given_name=person.given_name.strip(),
        name_prefix=person.name_prefix.strip(),
        family_name=person.family_name.strip(),
        email=person.email.strip().lower(),
        organisation=person.organisation.strip(),
        function=person.function.strip(),
        role=person.role,
        dietary_wishes=person.dietary_wishes.strip(),
        accessibility_needs=person.accessibility_needs.strip(),
    )


@transaction.atomic
def change_workshops(registration_id, participant_id, workshop_ids):
    """Replace one participant's workshop choices, with capacity as hard as at registering."""
    registration = Registration.objects.get(pk=registration_id)
    event = lock_event(registration.event_id)
    registration.refresh_from_db()
    if not registration.is_active or event.registration_state() not in {"open", "closed"}:
        raise NotAllowed()
    if event.starts_at <= timezone.now():
        raise NotAllowed()
    participant = registration.participants.get(pk=participant_id)
    workshops = lock_workshops(event, workshop_ids)
    check_one_per_round(event, workshops, [workshop_ids])
    current = set(participant.choices.values_list("workshop_id", flat=True))
    added = {w: 1 for w in workshop_ids if w not in current}
    if registration.holds_place and added:
        check_room(event, workshops, added, event_place=False)
    if current == set(workshop_ids):
        return registration
    participant.choices.all().delete()
    WorkshopChoice.objects.bulk_create(
        WorkshopChoice(participant=participant, workshop_id=w, round_id=workshops[w].round_id) for w in workshop_ids
    )
    # One mail per change: the moment tells one change's mail from the next.
    queue_mail(registration, "workshops_changed", occasion=timezone.now().isoformat(), participants=[participant])
    if current - set(workshop_ids):
        # A freed workshop place may let someone off the waiting list.
        promote_waiting(event)
    return registration


@transaction.atomic
def cancel(registration_id, *, by=None, now=None):
    """Cancel a registration, free its places and promote from the waiting list."""
    registration = Registration.objects.get(pk=registration_id)
    event = lock_event(registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration_id)
    if not registration.is_active:
        raise NotAllowed()
    freed = registration.holds_place
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now or timezone.now()
    registration.save(update_fields=["status", "cancelled_at", "updated_at"])
    forget_needs(registration.pk)
    queue_mail(registration, "cancelled")
    if freed:
        promote_waiting(event)
    return registration
