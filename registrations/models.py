"""Registrations, the people in them, their workshop choices, attendance and mails.

A *registration* is what holds (or waits for) a place: one person at a conference day, or
one complete driehoek at a learning session. The *participants* are the people in it;
badges, attendance and mails are per participant.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Event, Series
from regiodag.text_validators import one_line
from registrations import names

# Defined with the invitations, loaded (and migrated) with this app.
from registrations.invitations.models import Contact, Invitation, Mailing  # noqa: F401
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
    contact_name = models.CharField(_("contactpersoon"), max_length=200, validators=[one_line])
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True, validators=[one_line])
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
            # One active registration per address per event, and per municipality for the
            # driehoeken: a shared griffie's address registers each municipality it serves
            # (people register with municipality "", so for them it is one per address).
            models.UniqueConstraint(
                fields=["event", "email", "municipality"],
                condition=Q(status__in=["applied", "confirmed", "waitlisted"]),
                name="registration_one_active_per_email_municipality_event",
                violation_error_message=_("Met dit e-mailadres is al iemand aangemeld voor dit evenement."),
            ),
            models.UniqueConstraint(
                fields=["series", "municipality"],
                condition=Q(status__in=["applied", "confirmed"]) & ~Q(municipality="") & Q(series__isnull=False),
                name="registration_one_team_place_per_municipality_per_series",
                violation_error_message=_("Deze gemeente heeft in deze reeks al een plaats voor een driehoek."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["applied", "confirmed", "waitlisted", "declined", "cancelled"]),
                name="registration_status_valid",
                violation_error_message=_("Kies een van de statussen uit de lijst."),
            ),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(waitlisted_at__isnull=False),
                name="registration_waitlist_has_time",
                violation_error_message=_(
                    "Een aanmelding op de wachtlijst heeft een moment van plaatsing op de wachtlijst nodig."
                ),
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
        Participant.objects.bulk_update(participants, ["search_name", "sort_name"])

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
    given_name = models.CharField(_("voornaam"), max_length=100, validators=[one_line])
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True, validators=[one_line])
    family_name = models.CharField(_("achternaam"), max_length=150, validators=[one_line])
    email = models.EmailField(_("e-mailadres"))
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True, validators=[one_line])
    function = models.CharField(_("functie"), max_length=200, blank=True, validators=[one_line])
    role = models.CharField(_("rol in de driehoek"), max_length=20, choices=Role.choices, blank=True, default="")
    dietary_wishes = models.CharField(_("dieetwensen"), max_length=300, blank=True, validators=[one_line])
    accessibility_needs = models.CharField(_("toegankelijkheid"), max_length=300, blank=True, validators=[one_line])
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
    # The alphabetical order of lists (registrations/names.py), kept with the search text.
    sort_name = models.CharField(max_length=300, blank=True, default="", editable=False)

    SEARCHED = ("given_name", "name_prefix", "family_name", "organisation")

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["registration_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["checkin_code"], name="participant_checkin_code_unique"),
            models.UniqueConstraint(
                fields=["registration", "role"],
                condition=~Q(role=""),
                name="participant_one_per_role_per_team",
                violation_error_message=_("Deze rol is in de driehoek al aan een ander lid gegeven."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=["", "griffier", "burgemeester", "gemeentesecretaris"]),
                name="participant_role_valid",
                violation_error_message=_("Kies een van de rollen uit de lijst."),
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
            kwargs["update_fields"] = {*update_fields, "search_name", "sort_name"}
        super().save(*args, **kwargs)

    def refresh_search_name(self):
        parts = [getattr(self, name) for name in self.SEARCHED]
        self.search_name = search_text(*parts, self.registration.municipality)
        self.sort_name = self.sort_key

    @property
    def full_name(self):
        return " ".join(part for part in [self.given_name, self.name_prefix, self.family_name] if part)

    @property
    def sort_key(self):
        """Dutch alphabetical order: 'Esther van der Mark' files under M, not under V."""
        return names.sort_name(self.given_name, self.name_prefix, self.family_name)


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
            models.CheckConstraint(
                condition=Q(status__in=["present", "absent"]),
                name="attendance_status_valid",
                violation_error_message=_("Kies aanwezig of afwezig."),
            ),
        ]

    def __str__(self):
        return f"{self.participant}: {self.get_status_display()}"


def new_certificate_code():
    """A certificate's public code: 128 random bits, URL-safe; guessing one is hopeless."""
    return secrets.token_urlsafe(16)


class Certificate(models.Model):
    """The code printed on a participant's proof of attendance, which its public page checks.

    Only the code is stored: what the certificate says is read from the participant and the
    event when it is printed or checked, so a certificate verifies only while its holder is
    recorded present and their data is kept (erasure deletes the row).
    """

    organisation_path = "participant__registration__event__organisations"

    # One per participant, and so one per participant and event.
    participant = models.OneToOneField(Participant, related_name="certificate", on_delete=models.CASCADE)
    # Unique by a constraint in Meta, for the reason given at Registration.token.
    code = models.CharField(max_length=32, default=new_certificate_code, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("bewijs van deelname")
        verbose_name_plural = _("bewijzen van deelname")
        constraints = [models.UniqueConstraint(fields=["code"], name="certificate_code_unique")]

    def __str__(self):
        return _("Bewijs van deelname van %(name)s") % {"name": self.participant.full_name}


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

    # A mail is owed either to a participant of a registration or, as an invitation or its
    # reminder, to a contact on an organisation's list (registrations.invitations).
    registration = models.ForeignKey(Registration, related_name="mails", on_delete=models.CASCADE, null=True)
    participant = models.ForeignKey(Participant, related_name="mails", on_delete=models.CASCADE, null=True)
    invitation = models.ForeignKey(
        Invitation, related_name="mails", on_delete=models.CASCADE, null=True, blank=True, db_index=False
    )
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
    # The mail's one retry schedule: no worker claims it, and neither the relay nor the
    # sweep hands it over, before this moment. Delivery moves it on after every transient
    # failure (registrations/mails/delivery.py); new mails are due at once.
    next_attempt_at = models.DateTimeField(_("volgende poging"), default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    # Set on the mails of an organiser's message to participants (kind "message"): the log
    # keeps what was sent, so a message that went out cannot be deleted.
    message = models.ForeignKey(
        "ParticipantMessage",
        verbose_name=_("bericht"),
        null=True,
        blank=True,
        related_name="mails",
        on_delete=models.PROTECT,
        db_index=False,
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
                violation_error_message=_("Deze e-mail is al voor deze deelnemer vastgelegd."),
            ),
            models.UniqueConstraint(
                fields=["invitation", "kind"],
                condition=Q(invitation__isnull=False),
                name="mail_once_per_invitation_kind",
                violation_error_message=_("Deze e-mail is al voor deze uitnodiging vastgelegd."),
            ),
            models.CheckConstraint(
                condition=Q(participant__isnull=False, registration__isnull=False, invitation__isnull=True)
                | Q(participant__isnull=True, registration__isnull=True, invitation__isnull=False),
                name="mail_for_participant_or_invitation",
                violation_error_message=_("Een e-mail hoort bij een deelnemer of bij een uitnodiging."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "sending", "sent", "failed", "skipped"]),
                name="mail_status_valid",
                violation_error_message=_("Kies een van de statussen uit de lijst."),
            ),
            # A message reaches each participant once, however often "send" is pressed;
            # also the index by which a message finds its mails.
            models.UniqueConstraint(
                fields=["message", "participant"],
                condition=Q(message__isnull=False, is_resend=False),
                name="mail_once_per_message_participant",
                violation_error_message=_("Dit bericht is al voor deze deelnemer vastgelegd."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="mail_outbox"),
            # Set only on mails an organiser asked for (see Registration's optional keys).
            models.Index(fields=["requested_by"], condition=Q(requested_by__isnull=False), name="mail_requested_by"),
            # What the relay looks for every second: the mails recorded in the last moment
            # and those waiting for their next attempt, searched by when they are due.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="queued", handed_over_at__isnull=True),
                name="mail_to_hand_over",
            ),
            # The cap on unsolicited mails counts a recipient's mails of the last hour on
            # every registration (registrations.mails.outbox).
            models.Index(fields=["recipient", "created_at"], name="mail_recipient_recent"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"


class Heartbeat(models.Model):
    """When a periodic job last ran, for the health check (registrations/health.py): no
    personal data, one row per job."""

    name = models.CharField(max_length=40, primary_key=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} {self.at:%Y-%m-%d %H:%M:%S}"


# Long enough for a practical notice, short enough to be read in a mail.
MESSAGE_BODY_MAX = 5000


class ParticipantMessage(models.Model):
    """An organiser's message to (part of) an event's participants: "the room changed".

    Written and previewed in the admin, then sent once: sending records one Mail per
    recipient in the outbox (registrations.mails.participant_messages). It holds no personal
    data of participants; whom it went to is in its mails.
    """

    organisation_path = "event__organisations"

    SUBJECT_MAX = 150
    BODY_MAX = MESSAGE_BODY_MAX

    class Audience(models.TextChoices):
        ALL = "all", _("alle aangemelde deelnemers")
        CONFIRMED = "confirmed", _("bevestigde deelnemers")
        WAITING = "waiting", _("deelnemers op de wachtlijst")
        WORKSHOP = "workshop", _("deelnemers van één workshop")
        ADMITTED_TEAMS = "admitted_teams", _("leden van toegelaten driehoeken")

    event = models.ForeignKey(Event, verbose_name=_("evenement"), related_name="messages", on_delete=models.PROTECT)
    audience = models.CharField(_("aan"), max_length=20, choices=Audience.choices, default=Audience.ALL)
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
        help_text=_("Alleen bij 'deelnemers van één workshop'."),
    )
    subject = models.CharField(_("onderwerp"), max_length=SUBJECT_MAX)
    body = models.TextField(
        _("bericht"),
        max_length=BODY_MAX,
        # A TextField's max_length binds only forms; this binds the model too.
        validators=[MaxLengthValidator(MESSAGE_BODY_MAX)],
        help_text=_("Platte tekst; een lege regel begint een nieuwe alinea."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("geschreven op"), auto_now_add=True)
    sent_at = models.DateTimeField(_("verzonden op"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )

    class Meta:
        verbose_name = _("bericht aan deelnemers")
        verbose_name_plural = _("berichten aan deelnemers")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(audience__in=["all", "confirmed", "waiting", "workshop", "admitted_teams"]),
                name="participant_message_audience_valid",
                violation_error_message=_("Kies uit de lijst aan wie het bericht gaat."),
            ),
            models.CheckConstraint(
                condition=Q(audience="workshop", workshop__isnull=False)
                | (~Q(audience="workshop") & Q(workshop__isnull=True)),
                name="participant_message_workshop_iff_audience",
                violation_error_message=_(
                    "Kies een workshop als het bericht naar de deelnemers van één workshop gaat, en anders geen."
                ),
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MESSAGE_BODY_MAX),
                name="participant_message_body_length",
                violation_error_message=_("Het bericht is te lang."),
            ),
        ]

    def __str__(self):
        return self.subject

    def clean(self):
        super().clean()
        if not self.event_id:
            return
        if self.audience == self.Audience.WORKSHOP:
            if self.workshop_id is None:
                raise ValidationError({"workshop": _("Kies de workshop wiens deelnemers dit bericht krijgen.")})
            if self.workshop.round.event_id != self.event_id:
                raise ValidationError({"workshop": _("Deze workshop hoort niet bij dit evenement.")})
        elif self.workshop_id is not None:
            raise ValidationError({"workshop": _("Kies alleen een workshop bij 'deelnemers van één workshop'.")})
        if self.audience == self.Audience.ADMITTED_TEAMS and not self.event.is_team_event:
            raise ValidationError({"audience": _("Dit evenement heeft geen driehoeken; kies een andere groep.")})


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
                condition=Q(status__in=["queued", "running", "ready", "failed"]),
                name="document_status_valid",
                violation_error_message=_("Kies een van de statussen uit de lijst."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["badges", "attendance_list"]),
                name="document_kind_valid",
                violation_error_message=_("Kies een soort document uit de lijst."),
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")),
                name="document_done_within_total",
                violation_error_message=_("Er kan niet meer gedaan zijn dan er in totaal is."),
            ),
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
