"""Proof of attendance: who may have a certificate, its code, and sending them all at once.

A participant earns one when the event has ended and they were recorded present (checked
in at the door of a conference day, or marked present after a driehoek session). Whether
a certificate holds is always read from that record as it is now: an organiser who corrects
someone to absent, or an erasure, takes the certificate and its public page away with it.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event
from registrations.errors import NotAllowed
from registrations.mails.outbox import queue_mail
from registrations.models import Attendance, Certificate, Participant, Registration

MAIL_KIND = "certificate"


class NotEnded(NotAllowed):
    default_message = _("Bewijzen van deelname zijn er pas als het evenement is afgelopen.")


def earned(participants, now=None):
    """Those of ``participants`` (a queryset) who have a certificate coming to them now."""
    now = now or timezone.now()
    present = Attendance.objects.filter(participant=OuterRef("pk"), status=Attendance.Status.PRESENT)
    return participants.filter(
        Exists(present),
        registration__status__in=Registration.HOLDS_PLACE,
        registration__anonymised_at__isnull=True,
        registration__event__ends_at__lte=now,
        registration__event__status__in=[Event.Status.PUBLISHED, Event.Status.ARCHIVED],
    )


def earners(registration, now=None):
    """The members of ``registration`` with a certificate to download, in their order."""
    return list(earned(registration.participants.all(), now))


def certificate_for(participant_id, now=None):
    """The participant's certificate, made on first use; None if they have none coming."""
    if not earned(Participant.objects.filter(pk=participant_id), now).exists():
        return None
    certificate, _created = Certificate.objects.get_or_create(participant_id=participant_id)
    return certificate


def verified(code, now=None):
    """The certificate with this code if it still holds, else None: a wrong, altered or
    withdrawn code all look the same."""
    if not code:
        return None
    certificate = Certificate.objects.select_related("participant__registration__event").filter(code=code).first()
    if certificate is None:
        return None
    if not earned(Participant.objects.filter(pk=certificate.participant_id), now).exists():
        return None
    return certificate


@transaction.atomic
def send_certificates(event_id, *, by=None, now=None):
    """Record a certificate mail for every present participant of an ended event; returns
    the mails newly recorded. Idempotent: who has had it already gets nothing new."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event_id)
    if event.ends_at > now:
        raise NotEnded()
    participants = list(
        earned(Participant.objects.filter(registration__event=event), now)
        .select_related("registration")
        .order_by("registration_id", "pk")
    )
    have = set(Certificate.objects.filter(participant__in=participants).values_list("participant_id", flat=True))
    Certificate.objects.bulk_create([Certificate(participant=p) for p in participants if p.pk not in have])
    by_registration = {}
    for participant in participants:
        by_registration.setdefault(participant.registration_id, (participant.registration, []))[1].append(participant)
    created = []
    for registration, members in by_registration.values():
        created += queue_mail(registration, MAIL_KIND, participants=members, by=by)
    return created
