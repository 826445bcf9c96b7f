"""Registrations, the people in them, their workshop choices, attendance and mails.

A *registration* is what holds (or waits for) a place: one person at a conference day, or
one complete driehoek at a learning session. The *participants* are the people in it;
badges, attendance and mails are per participant.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.models import Event, Series
from registrations.search import search_text
from workshops.models import Round, Workshop


def new_token():
    """A personal link's secret: 256 random bits, URL-safe, never derived from an id."""
    return secrets.token_urlsafe(32)


class Registration(models.Model):
    organisation_path = "event__organisations"

    class Status(models.TextChoices):
        APPLIED = "applied", _("aangemeld")
        CONFIRMED = "confirmed", _("bevestigd")
        WAITLISTED = "waitlisted", _("op de wachtlijst")
        DECLINED = "declined", _("niet toegelaten")
        CANCELLED = "cancelled", _("afgemeld")

    # A place is taken while a team waits for admission, not only once admitted.
    HOLDS_PLACE = (Status.APPLIED, Status.CONFIRMED)
    ACTIVE = (Status.APPLIED, Status.CONFIRMED, Status.WAITLISTED)

    # No index of its own: the index on (event, status) below serves every look-up by event.
    event = models.ForeignKey(
        Event, verbose_name=_("evenement"), related_name="registrations", on_delete=models.PROTECT, db_index=False
    )
    # Copied from the event so that the database can hold "one team place per
    # municipality per series" as a constraint.
    series = models.ForeignKey(
        Series, related_name="+", null=True, blank=True, on_delete=models.PROTECT, editable=False, db_index=False
    )
    # Unique by a constraint in Meta rather than unique=True, which on PostgreSQL also builds
    # a second index for LIKE searches that a token never gets.
    token = models.CharField(max_length=64, default=new_token, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    email = models.EmailField(_("e-mailadres contactpersoon"))
    contact_name = models.CharField(_("contactpersoon"), max_length=200)
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)
    language = models.CharField(_("taal"), max_length=5, default="nl")
    waitlisted_at = models.DateTimeField(_("op wachtlijst sinds"), null=True, blank=True)
    privacy_accepted_at = models.DateTimeField(_("privacyverklaring aanvaard"), null=True, blank=True)
    decided_at = models.DateTimeField(_("besluit over toelating"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )
    cancelled_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    created_at = models.DateTimeField(_("aangemeld op"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aanmelding")
        verbose_name_plural = _("aanmeldingen")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["token"], name="registration_token_unique"),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(status__in=["applied", "confirmed", "waitlisted"]),
                name="registration_one_active_per_email_per_event",
            ),
            models.UniqueConstraint(
                fields=["series", "municipality"],
                condition=Q(status__in=["applied", "confirmed"]) & ~Q(municipality="") & Q(series__isnull=False),
                name="registration_one_team_place_per_municipality_per_series",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["applied", "confirmed", "waitlisted", "declined", "cancelled"]),
                name="registration_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="registration_waitlist_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
            # The optional foreign keys are indexed only where they are set: most registrations
            # have neither (a conference day has no series, few are decided by hand), and
            # every registration would otherwise write an entry for nothing in each.
            models.Index(fields=["series"], condition=Q(series__isnull=False), name="registration_series"),
            models.Index(fields=["decided_by"], condition=Q(decided_by__isnull=False), name="registration_decided_by"),
            models.Index(
                fields=["event", "waitlisted_at"], condition=Q(status="waitlisted"), name="registration_waitlist"
            ),
        ]

    def __str__(self):
        if self.municipality:
            return _("Driehoek %(municipality)s") % {"municipality": self.municipality}
        return self.contact_name

    def get_absolute_url(self):
        return reverse("registrations:manage", args=[self.token])

    def refresh_search_names(self):
        """After a change of municipality: it is part of each participant's search text."""
        participants = list(self.participants.all())
        for participant in participants:
            participant.registration = self
            participant.refresh_search_name()
        Participant.objects.bulk_update(participants, ["search_name"])

    @property
    def holds_place(self):
        return self.status in self.HOLDS_PLACE

    @property
    def is_active(self):
        return self.status in self.ACTIVE


class TeamRegistration(Registration):
    """Driehoek registrations, as the organiser admits and follows them in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("driehoek-aanmelding")
        verbose_name_plural = _("driehoek-aanmeldingen")


class ParticipantQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        # bulk_create skips save(), where the search text is kept up to date.
        objs = list(objs)
        for participant in objs:
            participant.refresh_search_name()
        return super().bulk_create(objs, *args, **kwargs)


class Participant(models.Model):
    organisation_path = "registration__event__organisations"

    class Role(models.TextChoices):
        NONE = "", _("geen")
        GRIFFIER = "griffier", _("griffier")
        BURGEMEESTER = "burgemeester", _("burgemeester")
        GEMEENTESECRETARIS = "gemeentesecretaris", _("gemeentesecretaris")

    TEAM_ROLES = (Role.GRIFFIER, Role.BURGEMEESTER, Role.GEMEENTESECRETARIS)

    registration = models.ForeignKey(Registration, related_name="participants", on_delete=models.CASCADE)
    given_name = models.CharField(_("voornaam"), max_length=100)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    family_name = models.CharField(_("achternaam"), max_length=150)
    email = models.EmailField(_("e-mailadres"))
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    function = models.CharField(_("functie"), max_length=200, blank=True)
    role = models.CharField(_("rol in de driehoek"), max_length=20, choices=Role.choices, blank=True, default="")
    dietary_wishes = models.CharField(_("dieetwensen"), max_length=300, blank=True)
    accessibility_needs = models.CharField(_("toegankelijkheid"), max_length=300, blank=True)
    # Signs the QR code on the PDF confirmation; separate from the registration token so
    # that a badge scan never grants access to the personal page.
    # Unique by a constraint in Meta, for the reason given at Registration.token.
    checkin_code = models.CharField(max_length=64, default=new_token, editable=False)
    # What the name search at the door matches: the SEARCHED fields and the registration's
    # municipality, normalised (registrations/search.py). Filled by save() and bulk_create();
    # a queryset update() of those fields, or of the municipality, must set it itself.
    # Empty once anonymised. No index: the search is confined to one event's participants,
    # and a B-tree cannot serve a substring match anyway.
    search_name = models.TextField(blank=True, default="", editable=False)

    SEARCHED = ("given_name", "name_prefix", "family_name", "organisation")

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["registration_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin_code"], name="participant_checkin_code_unique"),
            models.UniqueConstraint(
                fields=["registration", "role"], condition=~Q(role=""), name="participant_one_per_role_per_team"
            ),
            models.CheckConstraint(
                condition=Q(role__in=["", "griffier", "burgemeester", "gemeentesecretaris"]),
                name="participant_role_valid",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            self.refresh_search_name()
        elif set(update_fields) & set(self.SEARCHED):
            self.refresh_search_name()
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def refresh_search_name(self):
        parts = [getattr(self, name) for name in self.SEARCHED]
        self.search_name = search_text(*parts, self.registration.municipality)

    @property
    def full_name(self):
        return " ".join(part for part in [self.given_name, self.name_prefix, self.family_name] if part)

    @property
    def sort_key(self):
        """Dutch alphabetical order: 'Esther van der Mark' files under M, not under V."""
        return (self.family_name.casefold(), self.name_prefix.casefold(), self.given_name.casefold())


class WorkshopChoice(models.Model):
    organisation_path = "participant__registration__event__organisations"

    # No index of its own: the unique rule on (participant, round) serves look-ups by participant.
    participant = models.ForeignKey(Participant, related_name="choices", on_delete=models.CASCADE, db_index=False)
    # Denormalised from the workshop so the database holds "one workshop per round".
    round = models.ForeignKey(Round, related_name="+", on_delete=models.CASCADE)
    # Its database key is (workshop, round) → the workshop's (id, round) (migration 0011):
    # the workshop exists and the choice's round is the workshop's, one check for both.
    workshop = models.ForeignKey(Workshop, related_name="choices", on_delete=models.PROTECT, db_constraint=False)

    class Meta:
        verbose_name = _("workshopkeuze")
        verbose_name_plural = _("workshopkeuzes")
        ordering = ["round__number"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "round"], name="choice_one_workshop_per_round"),
        ]

    def __str__(self):
        return f"{self.participant} → {self.workshop}"

    def clean(self):
        # The database holds the workshop to its round; this holds the round to the
        # participant's event, so no choice links one organisation's person to another's day.
        if not (self.participant_id and self.round_id):
            return
        if self.round.event_id != self.participant.registration.event_id:
            raise ValidationError({"round": _("Deze ronde hoort niet bij het evenement van de deelnemer.")})


class Attendance(models.Model):
    """Whether a participant came: from check-in at the door or recorded afterwards."""

    organisation_path = "participant__registration__event__organisations"

    class Status(models.TextChoices):
        PRESENT = "present", _("aanwezig")
        ABSENT = "absent", _("afwezig")

    class Method(models.TextChoices):
        SCAN = "scan", _("QR-code gescand")
        SEARCH = "search", _("op naam gezocht")
        ADMIN = "admin", _("achteraf vastgelegd")

    participant = models.OneToOneField(Participant, related_name="attendance", on_delete=models.CASCADE)
    status = models.CharField(_("aanwezigheid"), max_length=10, choices=Status.choices)
    method = models.CharField(_("vastgelegd via"), max_length=10, choices=Method.choices, default=Method.ADMIN)
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("aanwezigheid")
        verbose_name_plural = _("aanwezigheid")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=["present", "absent"]), name="attendance_status_valid"),
        ]

    def __str__(self):
        return f"{self.participant}: {self.get_status_display()}"


class Mail(models.Model):
    """Every mail a participant is owed or was sent: the outbox and the log in one.

    A row is written in the same transaction as the change that owes the mail, so a mail
    can never be lost between commit and broker; the unique rule makes a second copy of
    the same mail impossible unless an organiser deliberately resends it.
    """

    organisation_path = "registration__event__organisations"

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        SENDING = "sending", _("wordt verzonden")
        SENT = "sent", _("verzonden")
        FAILED = "failed", _("mislukt")
        SKIPPED = "skipped", _("niet meer nodig")

    registration = models.ForeignKey(Registration, related_name="mails", on_delete=models.CASCADE)
    participant = models.ForeignKey(Participant, related_name="mails", on_delete=models.CASCADE)
    kind = models.CharField(_("soort"), max_length=40)
    # Distinguishes mails of one kind that may legitimately repeat, such as one per change
    # of an event's time; empty for mails that are owed once.
    occasion = models.CharField(_("aanleiding"), max_length=60, blank=True, default="")
    is_resend = models.BooleanField(_("opnieuw verzonden"), default=False)
    recipient = models.EmailField(_("ontvanger"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=0)
    last_error = models.TextField(_("laatste fout"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True)
    # Set when the relay (outbox.hand_over) gave the mail to the workers; a queued mail
    # without it is one no worker has heard of yet.
    handed_over_at = models.DateTimeField(_("doorgegeven op"), null=True, blank=True)
    # While "sending", the worker that claimed the mail holds it until this moment; a worker
    # that died meanwhile leaves it to be claimed again once the moment has passed.
    claimed_until = models.DateTimeField(_("in verzending tot"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "kind", "occasion"],
                condition=Q(is_resend=False),
                name="mail_once_per_participant_kind_occasion",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "skipped"]), name="mail_status_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="mail_outbox"),
            # Set only on mails an organiser asked for (see Registration's optional keys).
            models.Index(fields=["requested_by"], condition=Q(requested_by__isnull=False), name="mail_requested_by"),
            # What the relay looks for every second: small, since it holds only the mails
            # recorded in the last moment.
            models.Index(
                fields=["id"], condition=Q(status="queued", handed_over_at__isnull=True), name="mail_to_hand_over"
            ),
            # The cap on unsolicited mails counts a recipient's mails of the last hour on
            # every registration (registrations.mails.outbox).
            models.Index(fields=["recipient", "created_at"], name="mail_recipient_recent"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"


def generated_document_path(document, filename):
    # A random folder per file, as for uploads: nothing serves these but the scoped download view.
    return f"documenten/{secrets.token_urlsafe(16)}/{filename}"


class GeneratedDocument(models.Model):
    """A big PDF (badges, an attendance list) that the PDF worker makes in the background.

    The organiser asks for it, follows its progress and downloads it from the admin; the
    file holds names, so it is deleted after a few days (REGIODAG_DOCUMENT_DAYS) and with
    the personal data of anyone in it (registrations.services.retention.erase).
    """

    organisation_path = "event__organisations"

    class Kind(models.TextChoices):
        BADGES = "badges", _("naambadges")
        ATTENDANCE_LIST = "attendance_list", _("presentielijst")

    class Status(models.TextChoices):
        QUEUED = "queued", _("in de wachtrij")
        RUNNING = "running", _("wordt gemaakt")
        READY = "ready", _("klaar")
        FAILED = "failed", _("mislukt")

    FINISHED = (Status.READY, Status.FAILED)

    event = models.ForeignKey(
        Event, verbose_name=_("evenement"), related_name="generated_documents", on_delete=models.CASCADE
    )
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    # The badge layout (registrations.pdf.badges.LAYOUTS); empty for a list.
    layout = models.CharField(_("formaat"), max_length=10, blank=True)
    # The participants chosen on the badge page; empty means everyone with a place.
    participant_ids = models.JSONField(default=list, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangevraagd door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    # Fixed when the worker starts: who is on it, in order, and in how many parts it is made;
    # the parts are rendered side by side by the PDF worker's processes.
    people = models.JSONField(default=list, blank=True, editable=False)
    parts = models.PositiveIntegerField(default=0, editable=False)
    parts_ready = models.JSONField(default=list, blank=True, editable=False)
    done = models.PositiveIntegerField(_("gedaan"), default=0)
    # Set when beat's relay gave the document to the PDF worker (a web request never talks
    # to the broker; see registrations.services.documents.hand_over).
    handed_over_at = models.DateTimeField(null=True, blank=True, editable=False)
    total = models.PositiveIntegerField(_("totaal"), default=0)
    file = models.FileField(_("bestand"), upload_to=generated_document_path, blank=True, max_length=200)
    error = models.TextField(_("fout"), blank=True)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)

    class Meta:
        verbose_name = _("gemaakt document")
        verbose_name_plural = _("gemaakte documenten")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "ready", "failed"]), name="document_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=["badges", "attendance_list"]), name="document_kind_valid"),
            models.CheckConstraint(condition=Q(done__lte=models.F("total")), name="document_done_within_total"),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="document_created"),
            # What the relay looks for every two seconds: the documents asked for since.
            models.Index(
                fields=["id"], condition=Q(status="queued", handed_over_at__isnull=True), name="document_to_hand_over"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.event}"

    @property
    def finished(self):
        return self.status in self.FINISHED

    @property
    def percent(self):
        return int(100 * self.done / self.total) if self.total else 0
