"""Register, change and cancel: the operations that take and free places.

Each function is one transaction. Capacity is checked and taken under a row lock on the
rows that carry it: first the event, then its workshops in id order (one fixed order, so
two transactions never wait on each other in a cycle).
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Event
from registrations import selectors
from registrations.errors import (
    DuplicateRegistration,
    EventFull,
    NotAllowed,
    RegistrationClosed,
    WorkshopFull,
)
from registrations.mails.outbox import queue_mail
from registrations.models import Participant, Registration, WorkshopChoice
from registrations.services.places import (
    check_one_per_round,
    check_workshop_room,
    lock_event,
    lock_workshops,
    workshop_demand,
)
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


@transaction.atomic
def register(
    event_id, *, people, contact_email=None, contact_name=None, municipality="", waitlist=False, language="nl", now=None
):
    """Register one person or one team for an event.

    Returns the registration: confirmed, applied (awaiting admission) or, when the event is
    full and ``waitlist`` is true, waitlisted. Raises a RegistrationError otherwise, having
    stored nothing.
    """
    now = now or timezone.now()
    if not people:
        raise NotAllowed()
    event = lock_event(event_id)
    if event.registration_state(now) != "open":
        raise RegistrationClosed()
    contact_email = (contact_email or people[0].email).strip().lower()
    contact_name = contact_name or " ".join(
        p for p in [people[0].given_name, people[0].name_prefix, people[0].family_name] if p
    )

    existing = Registration.objects.filter(
        event=event, email__iexact=contact_email, status__in=Registration.ACTIVE
    ).first()
    if existing:
        raise DuplicateRegistration(existing)

    all_ids = [w for person in people for w in person.workshop_ids]
    workshops = lock_workshops(event, all_ids)
    for person in people:
        check_one_per_round(event, workshops, person.workshop_ids)

    full = event.capacity is not None and selectors.places_taken(event) >= event.capacity
    if not full:
        try:
            check_workshop_room(workshops, workshop_demand(people))
        except WorkshopFull:
            if not waitlist:
                raise
            full = True
    if full and not waitlist:
        raise EventFull()

    if full:
        status = Registration.Status.WAITLISTED
    elif event.admission == Event.Admission.BY_ORGANISER:
        status = Registration.Status.APPLIED
    else:
        status = Registration.Status.CONFIRMED
    registration = Registration(
        event=event,
        series=event.series,
        status=status,
        email=contact_email,
        contact_name=contact_name,
        municipality=municipality,
        language=language,
        waitlisted_at=now if status == Registration.Status.WAITLISTED else None,
        privacy_accepted_at=now,
    )
    if municipality:
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as exc:
            # Only the series rule can still collide here: the email rule was checked under
            # the event lock. The caller turns this into a message naming the session.
            raise DuplicateRegistration(field="municipality") from exc
    else:
        # Without a municipality the series rule cannot apply: no savepoint, two fewer
        # round trips while the event row is locked.
        registration.save()
    participants = []
    for person in people:
        participant = Participant.objects.create(
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
        participants.append(participant)
    # One insert for every choice of every person.
    WorkshopChoice.objects.bulk_create(
        WorkshopChoice(participant=participant, workshop_id=w, round_id=workshops[w].round_id)
        for participant, person in zip(participants, people, strict=True)
        for w in person.workshop_ids
    )
    kind = "waitlisted" if status == Registration.Status.WAITLISTED else "acknowledgement"
    queue_mail(registration, kind, participants=participants)
    return registration


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
    check_one_per_round(event, workshops, workshop_ids)
    current = set(participant.choices.values_list("workshop_id", flat=True))
    added = {w: 1 for w in workshop_ids if w not in current}
    if registration.holds_place and added:
        check_workshop_room(workshops, added)
    participant.choices.all().delete()
    WorkshopChoice.objects.bulk_create(
        WorkshopChoice(participant=participant, workshop_id=w, round_id=workshops[w].round_id) for w in workshop_ids
    )
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
    queue_mail(registration, "cancelled")
    if freed:
        promote_waiting(event)
    return registration
