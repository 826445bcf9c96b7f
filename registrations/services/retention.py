"""Erasing personal data (AVG): after the retention period, and at once on request.

What remains of a registration is what organisers need for their figures: that it existed,
its status and dates, its workshop choices, its members' roles and whether they came, as
counts. Nothing that says who it was: no name, address, organisation, function, wish or
remark, no municipality of a driehoek (a municipality with a role *is* a person: its
burgemeester), no mail recipient or error text, and no name in the admin's log. Of a host
offer what remains is the municipality's venue (address, room capacity), which is not
personal data.

Retention and erasure on request take the same path (``erase``), one transaction per batch.
"""

from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import HostOffer
from registrations.errors import RegistrationError
from registrations.models import (
    Attendance,
    Certificate,
    Contact,
    GeneratedDocument,
    Mail,
    Participant,
    Registration,
    WorkshopChoice,
    new_token,
)
from registrations.services import documents

# Rows per transaction and per statement where each row gets a value of its own (a token).
BATCH_SIZE = 500
# What the admin's log says of an object whose personal data is gone.
ERASED_REPR = "Geanonimiseerd"
# Every model whose rows (and admin log lines) may name a participant.
PERSONAL_MODELS = (Registration, Participant, WorkshopChoice, Attendance, Mail, Contact)


class NotErasable(RegistrationError):
    """The registration still holds or waits for a place at an event to come: erased, its
    place would stay taken by nobody."""

    default_message = _(
        "Deze aanmelding is nog actief voor een evenement dat nog komt. "
        "Meld haar eerst af; daarna kunnen de gegevens worden gewist."
    )


def retention_cutoff(now, retention_days):
    """The moment before which personal data has been kept long enough."""
    days = settings.REGIODAG_RETENTION_DAYS if retention_days is None else retention_days
    return (now or timezone.now()) - timedelta(days=days)


def content_types(*models):
    """The content types the admin logs these models under, proxies (TeamRegistration) included."""
    concrete = {model._meta.concrete_model for model in models}
    family = [model for model in apps.get_models() if model._meta.concrete_model in concrete]
    return list(ContentType.objects.get_for_models(*family, for_concrete_models=False).values())


def logged_ids(queryset):
    """The primary keys of ``queryset`` as the admin's log writes them (text), as a subquery."""
    return queryset.annotate(logged_id=Cast("pk", CharField())).values("logged_id")


def scrub_admin_log(*querysets):
    """Blank the admin log's text (what it calls the object, what it says was changed) for
    the objects of these querysets, in one statement."""
    condition = Q(pk__in=[])
    for queryset in querysets:
        condition |= Q(content_type__in=content_types(queryset.model), object_id__in=logged_ids(queryset))
    return LogEntry.objects.filter(condition).update(object_repr=ERASED_REPR, change_message="")


def scrub_admin_log_of_deleted():
    """Blank the admin log's text of personal objects deleted in the admin: the log line is
    all that is left of them, and it holds their name."""
    condition = Q(pk__in=[])
    for model in (*PERSONAL_MODELS, HostOffer):
        condition |= Q(content_type__in=content_types(model)) & ~Q(object_id__in=logged_ids(model._base_manager.all()))
    return (
        LogEntry.objects.filter(condition)
        .exclude(object_repr=ERASED_REPR, change_message="")
        .update(object_repr=ERASED_REPR, change_message="")
    )


def erase(registration_ids, now):
    """Erase the personal data of these registrations. Call inside a transaction."""
    registration_ids = list(
        Registration.objects.select_for_update()
        .filter(pk__in=registration_ids, anonymised_at__isnull=True)
        .values_list("pk", flat=True)
    )
    if not registration_ids:
        return 0
    Registration.objects.filter(pk__in=registration_ids).update(
        # Unique per event among active registrations, so built from the id.
        email=Concat(Value("geanonimiseerd-"), Cast("pk", CharField()), Value("@anoniem.invalid")),
        contact_name=ERASED_REPR,
        municipality="",
        anonymised_at=now,
        updated_at=now,
    )
    # A new token: the personal link in old mails (forwarded, archived) leads nowhere once
    # there is nobody behind it, and neither does the QR code on an old badge.
    Registration.objects.bulk_update(
        [Registration(pk=pk, token=new_token()) for pk in registration_ids], ["token"], batch_size=BATCH_SIZE
    )
    participant_ids = list(
        Participant.objects.filter(registration_id__in=registration_ids).values_list("pk", flat=True)
    )
    Participant.objects.filter(pk__in=participant_ids).update(
        given_name=ERASED_REPR,
        name_prefix="",
        family_name=Cast("pk", CharField()),
        email=Concat(Value("deelnemer-"), Cast("pk", CharField()), Value("@anoniem.invalid")),
        organisation="",
        function="",
        dietary_wishes="",
        accessibility_needs="",
        search_name="",
        sort_name="",
    )
    Participant.objects.bulk_update(
        [Participant(pk=pk, checkin_code=new_token()) for pk in participant_ids],
        ["checkin_code"],
        batch_size=BATCH_SIZE,
    )
    # A certificate's public page names its holder: with the name gone, the code must stop
    # verifying too (and not confirm "Geanonimiseerd" as a participant).
    Certificate.objects.filter(participant_id__in=participant_ids).delete()
    mails = Mail.objects.filter(registration_id__in=registration_ids)
    # Mail bodies are rendered when sent, from the rows above; what is stored is the
    # recipient and the server's last answer, which may quote it. A mail still waiting has
    # nobody to go to any more.
    mails.update(
        recipient="anoniem@anoniem.invalid",
        last_error="",
        status=Case(When(status=Mail.Status.QUEUED, then=Value(Mail.Status.SKIPPED)), default=F("status")),
    )
    # Badges and lists made for these people's events name them: gone with them (an
    # organiser can make them again, without the erased names).
    documents.discard(GeneratedDocument.objects.filter(event__registrations__pk__in=registration_ids).distinct())
    scrub_admin_log(
        Registration.objects.filter(pk__in=registration_ids),
        Participant.objects.filter(pk__in=participant_ids),
        WorkshopChoice.objects.filter(participant_id__in=participant_ids),
        Attendance.objects.filter(participant_id__in=participant_ids),
        mails,
    )
    return len(registration_ids)


def forget_needs(registration_id):
    """On cancelling: the wishes and needs were asked only for the day itself, and may say
    something about health; the rest stays until the cancellation mail has gone and the
    person asks for erasure (their personal page) or the retention period ends."""
    Participant.objects.filter(registration_id=registration_id).update(dietary_wishes="", accessibility_needs="")


def anonymise_expired(now=None, retention_days=None):
    """Erase the personal data of registrations of events that ended more than the
    retention period ago, a batch per transaction. Returns how many were erased."""
    now = now or timezone.now()
    expired = Registration.objects.filter(
        event__ends_at__lt=retention_cutoff(now, retention_days), anonymised_at__isnull=True
    ).order_by("pk")
    erased = 0
    while True:
        with transaction.atomic():
            batch = list(expired.values_list("pk", flat=True)[:BATCH_SIZE])
            erased += erase(batch, now)
        if len(batch) < BATCH_SIZE:
            break
    with transaction.atomic():
        scrub_admin_log_of_deleted()
    return erased


@transaction.atomic
def erase_on_request(registration_id, now=None):
    """Erase one registration's personal data now: the person asked (their personal page
    after cancelling) or an organiser did on their behalf. Returns 1, or 0 if already erased."""
    now = now or timezone.now()
    registration = Registration.objects.select_for_update(of=("self",)).select_related("event").get(pk=registration_id)
    if registration.is_active and registration.event.ends_at > now:
        raise NotErasable()
    return erase([registration.pk], now)


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
        contact_name=ERASED_REPR,
        contact_email=Concat(Value("locatieaanbod-"), Cast("pk", CharField()), Value("@anoniem.invalid")),
        contact_phone="",
        organiser_notes="",
        dates_note="",
        anonymised_at=now,
        updated_at=now,
    )
    # Its log names the offer by venue and municipality, which stay; but a change message
    # may quote the contact person.
    scrub_admin_log(HostOffer.objects.filter(pk__in=offers))
    return len(offers)
