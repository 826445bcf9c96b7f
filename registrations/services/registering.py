"""Register, change and cancel: the operations that take and free places.

Each function is one transaction; registering is one statement, which is a transaction of
its own (registrations.services.places.save_rows_taking_places). Capacity is checked and
taken under a row lock on the rows that carry it: first the event, then its workshops in id
order (one fixed order, so two transactions never wait on each other in a cycle). Every
operation that takes workshop places locks the event first, so while it is held no
workshop's occupancy can grow.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from registrations.errors import (
    DuplicateRegistration,
    EventFull,
    InvalidChoice,
    NotAllowed,
    RegistrationClosed,
    WorkshopFull,
)
from registrations.mails.outbox import first_mails, queue_mail
from registrations.models import Participant, Registration, WorkshopChoice
from registrations.services.places import (
    WindowChanged,
    check_one_per_round,
    check_workshop_room,
    lock_event,
    lock_workshops,
    registration_facts,
    save_rows_taking_places,
    workshop_demand,
)
from registrations.services.retention import forget_needs
from registrations.services.waitlist import promote_waiting

FOREIGN_KEY_VIOLATION = "23503"


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
    known=None,
):
    """Register one person or one team for an event.

    Returns the registration: confirmed, applied (awaiting admission) or, when the event is
    full and ``waitlist`` is true, waitlisted. Raises a RegistrationError otherwise, having
    stored nothing.

    ``known``: the event's RegistrationFacts as the caller already holds them (the
    registration page's snapshot of the event, at most seconds old), so that they need not
    be read again. Where they say the event looked full, they are read anyway: then it
    matters whether the address is registered already, and that only the database knows.
    Places are decided under the event's lock in any case, and the window is checked there
    to be as the facts have it (else they are read again); a workshop that is gone since
    the snapshot is refused by its foreign key.
    """
    if not people:
        raise NotAllowed()
    contact_email = (contact_email or people[0].email).strip().lower()
    now = now or timezone.now()
    # Read before anything is written: for most of a crowd arriving after the last place,
    # and for a choice that cannot be, this is all there is to do.
    facts = known if known is not None and not known.looked_full else registration_facts(event_id, contact_email)
    # The window changes rarely, and only by an organiser's hand: twice in a moment, and
    # the form has been open long enough for the visitor to try again.
    for _attempt in range(3):
        check_choices(facts.round_of, people)
        if facts.registered and (existing := active_registration(event_id, contact_email)) is not None:
            # Told before anything else: also where the event is full by now.
            raise DuplicateRegistration(existing)
        if facts.looked_full and not waitlist:
            raise EventFull()
        if facts.registration_state(now) != "open":
            raise RegistrationClosed()
        try:
            return _register(
                event_id,
                facts=facts,
                people=people,
                contact_email=contact_email,
                contact_name=contact_name,
                municipality=municipality,
                waitlist=waitlist,
                language=language,
                now=now,
            )
        except WindowChanged:
            facts = registration_facts(event_id, contact_email)
        except (EventFull, WorkshopFull):
            # Refused before its rows met the address's unique rule: an address already
            # registered is told so all the same, whatever the places.
            if (existing := active_registration(event_id, contact_email)) is not None:
                raise DuplicateRegistration(existing) from None
            raise
        except IntegrityError as exc:
            refused = registration_refusal(exc, event_id, contact_email)
            if refused is None:
                raise
            raise refused from exc
    raise RegistrationClosed()


def active_registration(event_id, email):
    return (
        Registration.objects.filter(event_id=event_id, email=email, status__in=Registration.ACTIVE)
        .order_by("pk")
        .first()
    )


def registration_refusal(exc, event_id, contact_email):
    """The refusal for a registration that one of the database's own rules refused (also
    when two arrive at once), or None where the error is no refusal. Nothing was stored."""
    diag = getattr(exc.__cause__, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    if constraint == "registration_one_active_per_email_per_event":
        return DuplicateRegistration(active_registration(event_id, contact_email))
    if diag is None and (existing := active_registration(event_id, contact_email)) is not None:
        # Other databases (the SQLite demo) name no constraint: the address's registration tells.
        return DuplicateRegistration(existing)
    if constraint == "registration_one_team_place_per_municipality_per_series":
        return DuplicateRegistration(field="municipality")
    if getattr(diag, "sqlstate", None) == FOREIGN_KEY_VIOLATION and diag.table_name == WorkshopChoice._meta.db_table:
        # A workshop (or its round) removed after the caller's facts were read.
        return InvalidChoice(field="workshops")
    return None


def _register(event_id, *, facts, people, contact_email, contact_name, municipality, waitlist, language, now):
    # Everything that does not depend on the places left happens before the event is
    # locked, so that the lock (which every registration for the event waits for) is held
    # for one statement only: it writes the rows with the outcome decided under the lock,
    # or refuses and stores nothing (save_rows_taking_places).
    round_of = facts.round_of
    # The participant's own fields hold the full name; the contact name is only a label,
    # and a very long Dutch name must not make the registration fail.
    contact_name = (
        contact_name or " ".join(p for p in [people[0].given_name, people[0].name_prefix, people[0].family_name] if p)
    )[: Registration._meta.get_field("contact_name").max_length]
    # A second registration for the same address is refused by the database's unique rule
    # (see register()), which holds under concurrency where a look-up first would not.
    registration = Registration(
        event_id=event_id,
        series_id=facts.series_id,
        status=Registration.Status.WAITLISTED,
        email=contact_email,
        contact_name=contact_name,
        municipality=municipality,
        language=language,
        waitlisted_at=now,
        privacy_accepted_at=now,
    )
    participants = [
        Participant(
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
        for person in people
    ]
    for participant in participants:
        participant.refresh_search_name()
    choices = [
        WorkshopChoice(participant=participant, workshop_id=w, round_id=round_of[w])
        for participant, person in zip(participants, people, strict=True)
        for w in person.workshop_ids
    ]
    mails = first_mails(registration, "acknowledgement", participants)
    save_rows_taking_places(
        event_id,
        workshop_demand(people),
        registration,
        participants,
        choices,
        mails,
        now=now,
        waitlist=waitlist,
        window=facts.window,
    )
    return registration


def check_choices(round_of, people):
    """Every person chose exactly one of the event's workshops in each of its rounds."""
    rounds = set(round_of.values())
    for person in people:
        chosen = [round_of[w] for w in person.workshop_ids if w in round_of]
        if len(chosen) != len(person.workshop_ids) or len(set(chosen)) != len(chosen) or set(chosen) != rounds:
            raise InvalidChoice(field="workshops")


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
    forget_needs(registration.pk)
    queue_mail(registration, "cancelled")
    if freed:
        promote_waiting(event)
    return registration
