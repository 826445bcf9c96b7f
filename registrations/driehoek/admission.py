"""Driehoek teams: registering a whole team, admitting or declining it, and the programme
and homework mail that admitted teams are owed before their session.

Each operation is one transaction. Lock order is the series, then events by id, then
registrations: the same order as ``register`` and ``cancel`` (which start at the event),
so no two operations wait on each other in a cycle.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.dates import long_date
from events.models import Event, Series, SessionDocument
from events.municipalities import canonical_municipality
from registrations.errors import DuplicateRegistration, NotAllowed, RegistrationError
from registrations.mails import programme_homework  # noqa: F401 - registers the mail's attachments
from registrations.mails.outbox import queue_mail
from registrations.models import Mail, Participant, Registration
from registrations.services.places import lock_event
from registrations.services.registering import register
from registrations.services.waitlist import promote_waiting

PROGRAMME_HOMEWORK = "programme_homework"


class UnknownMunicipality(RegistrationError):
    default_message = _("Kies een gemeente uit de lijst van Nederlandse gemeenten.")
    field = "municipality"


class IncompleteTeam(RegistrationError):
    default_message = _("Een driehoek bestaat uit precies één griffier, één burgemeester en één gemeentesecretaris.")
    field = "roles"


class SharedAddress(RegistrationError):
    default_message = _("Geef voor elk lid van de driehoek een eigen e-mailadres op: ieder krijgt de berichten.")
    field = "emails"


class ContactAlreadyRegistered(RegistrationError):
    default_message = _(
        "Met het e-mailadres van deze contactpersoon is voor deze bijeenkomst al een driehoek aangemeld. "
        "Gebruik een ander e-mailadres."
    )
    field = "contact_email"


class MunicipalityHoldsPlace(RegistrationError):
    """The municipality already has an active team registration in this series."""

    field = "municipality"

    def __init__(self, existing):
        self.existing = existing
        values = {
            "municipality": existing.municipality,
            "session": existing.event.title,
            "date": long_date(existing.event.starts_at),
        }
        if existing.status == Registration.Status.WAITLISTED:
            message = _(
                "Gemeente %(municipality)s staat al op de wachtlijst voor %(session)s op %(date)s. Een gemeente "
                "kan in deze reeks maar voor één bijeenkomst tegelijk aangemeld zijn. Wilt u een andere "
                "bijeenkomst? Meld de driehoek dan eerst af via de persoonlijke link in de e-mail."
            )
        else:
            message = _(
                "Gemeente %(municipality)s heeft al een plaats bij %(session)s op %(date)s. Een gemeente kan in "
                "deze reeks maar één plaats tegelijk hebben. Wilt u een andere bijeenkomst? Meld de driehoek dan "
                "eerst af via de persoonlijke link in de e-mail."
            )
        super().__init__(message % values)


def check_team(people):
    roles = sorted(person.role for person in people)
    if roles != sorted(Participant.TEAM_ROLES):
        raise IncompleteTeam()
    emails = {person.email.strip().lower() for person in people}
    if len(emails) != len(people):
        raise SharedAddress()


def active_team_in(series_or_event, municipality):
    scope = {"series": series_or_event} if isinstance(series_or_event, Series) else {"event": series_or_event}
    return (
        Registration.objects.filter(municipality=municipality, status__in=Registration.ACTIVE, **scope)
        .select_related("event")
        .first()
    )


@transaction.atomic
def register_team(
    event_id, *, municipality, people, contact_name, contact_email, waitlist=False, language="nl", now=None
):
    """Register one complete driehoek, whole or not at all.

    ``people`` are three ``Person`` objects with the roles griffier, burgemeester and
    gemeentesecretaris. A municipality holds at most one active registration (a place or a
    spot on a waiting list) per series, so a waiting team can never be promoted into a
    second place.
    """
    name = canonical_municipality(municipality or "")
    if name is None:
        raise UnknownMunicipality()
    check_team(people)
    event = Event.objects.get(pk=event_id)
    if not event.is_team_event:
        raise NotAllowed()
    # The series row serialises team registrations across its sessions, which is what makes
    # "one per municipality per series" exact also for waiting teams (no constraint covers those).
    scope = Series.objects.select_for_update().get(pk=event.series_id) if event.series_id else lock_event(event.pk)
    existing = active_team_in(scope, name)
    if existing:
        raise MunicipalityHoldsPlace(existing)
    try:
        return register(
            event.pk,
            people=people,
            contact_email=contact_email,
            contact_name=contact_name,
            municipality=name,
            waitlist=waitlist,
            language=language,
            now=now,
        )
    except DuplicateRegistration as error:
        if error.field == "municipality":
            raise MunicipalityHoldsPlace(active_team_in(scope, name)) from error
        raise ContactAlreadyRegistered() from error


def _locked_registrations(registration_ids):
    """Lock the events (by id) and then the registrations; yield (event, [registrations])."""
    ids = sorted(set(registration_ids))
    event_ids = sorted(set(Registration.objects.filter(pk__in=ids).values_list("event_id", flat=True)))
    events = [lock_event(event_id) for event_id in event_ids]
    registrations = list(Registration.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    for event in events:
        yield event, [r for r in registrations if r.event_id == event.pk]


def _decide(registration, status, mail_kind, by, now):
    registration.status = status
    registration.decided_at = now
    registration.decided_by = by
    registration.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    queue_mail(registration, mail_kind, by=by)
    return registration


@transaction.atomic
def admit(registration_ids, by=None, now=None):
    """Admit teams that hold a place awaiting admission; mail every member. Returns those admitted.

    Teams in any other state are left as they are, so a bulk action over a mixed
    selection does only what is possible.
    """
    now = now or timezone.now()
    admitted = []
    for _event, registrations in _locked_registrations(registration_ids):
        for registration in registrations:
            if registration.status == Registration.Status.APPLIED:
                admitted.append(_decide(registration, Registration.Status.CONFIRMED, "admitted", by, now))
    return admitted


@transaction.atomic
def decline(registration_ids, by=None, now=None):
    """Decline teams (awaiting, admitted or waiting); mail every member; give freed places on.

    Returns the declined registrations.
    """
    now = now or timezone.now()
    declined = []
    for event, registrations in _locked_registrations(registration_ids):
        freed = False
        for registration in registrations:
            if not registration.is_active:
                continue
            freed = freed or registration.holds_place
            declined.append(_decide(registration, Registration.Status.DECLINED, "declined", by, now))
        if freed:
            promote_waiting(event)
    return declined


def due_programme_homework(now=None):
    """Admitted teams whose session's programme and homework are due and not yet mailed.

    Due means: from ``confirmation_days_before`` days before the start until the start,
    once the organiser has attached at least one file. The mail-engine sweep calls this.
    """
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            status=Registration.Status.CONFIRMED,
            event__registration_mode="team",
            event__in=Event.objects.confirmation_due(now),
        )
        .filter(Exists(SessionDocument.objects.filter(event=OuterRef("event"))))
        .exclude(Exists(Mail.objects.filter(registration=OuterRef("pk"), kind=PROGRAMME_HOMEWORK)))
        .order_by("event__starts_at", "pk")
    )
