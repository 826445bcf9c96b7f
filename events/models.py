"""Organisations, venues, series and events: what the public catalogue is made of."""

import secrets
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.municipalities import PROVINCES
from regiodag.text_limits import length_limit, limited_text
from regiodag.text_validators import dutch_postcode, multi_line, one_line
from regiodag.uploads import validate_file_content

# Driehoek sessions close four weeks before they start, on the Amsterdam wall clock: a
# session at 13.00 closes at 13.00 four weeks earlier, also across a change to summer time.
TEAM_REGISTRATION_CLOSES_BEFORE = timedelta(weeks=4)

# Texts organisers write in the admin: generous for what the seeds hold (a description of
# under 2,000 characters), short of what would swamp a page, a mail or a PDF.
ROUTE_NOTES_MAX = 2000
DESCRIPTION_MAX = 10_000
PRACTICAL_INFO_MAX = 5000
ORGANISER_NOTES_MAX = 5000
PROGRAMME_ITEM_DESCRIPTION_MAX = 2000


def team_deadline(starts_at):
    """When team registration for a session starting at ``starts_at`` closes."""
    zone = timezone.get_default_timezone()
    local_start = timezone.localtime(starts_at, zone).replace(tzinfo=None)
    return timezone.make_aware(local_start - TEAM_REGISTRATION_CLOSES_BEFORE, zone)


class Organisation(models.Model):
    """A body that organises events; staff users act on behalf of one or more of them."""

    # Every model an organiser may see names its way to Organisation (see events.scoping).
    organisation_path = "pk"

    name = models.CharField(_("naam"), max_length=200, unique=True)
    short_name = models.CharField(_("korte naam"), max_length=40, blank=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("e-mailadres voor vragen"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organisatoren"),
        related_name="organisations",
        blank=True,
        help_text=_("Beheerders die de evenementen van deze organisatie beheren."),
    )

    class Meta:
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")
        ordering = ["name"]

    def __str__(self):
        return self.short_name or self.name


def owner_field():
    """The organisation that keeps a shared kind of row (venue, speaker) up to date."""
    return models.ForeignKey(
        Organisation,
        verbose_name=_("eigenaar"),
        related_name="+",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_(
            "Alleen deze organisatie wijzigt dit. Zonder eigenaar: gedeeld, alleen de platformbeheerder wijzigt."
        ),
    )


class Venue(models.Model):
    # Organisers choose their own venues and shared ones (no owner); they change only their own.
    organisation_path = "owner"
    shared_when_ownerless = True

    name = models.CharField(_("naam"), max_length=200)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("plaats"), max_length=100)
    province = models.CharField(_("provincie"), max_length=40, blank=True, choices=[(p, p) for p in PROVINCES])
    route_notes = limited_text(_("routebeschrijving"), ROUTE_NOTES_MAX, blank=True)
    owner = owner_field()

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["city", "name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "city"], name="venue_unique_name_city"),
            length_limit("venue", "route_notes", ROUTE_NOTES_MAX, _("routebeschrijving")),
        ]

    def __str__(self):
        return f"{self.name}, {self.city}"

    @property
    def one_line(self):
        return ", ".join(part for part in [self.name, self.address, f"{self.postcode} {self.city}".strip()] if part)


class Series(models.Model):
    """A programme of related events: the 2026 driehoek sessions, Ambtenaar van Nu."""

    organisation_path = "organisations"

    title = models.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    organisations = models.ManyToManyField(Organisation, verbose_name=_("organisaties"), related_name="series")
    summary = models.CharField(_("samenvatting"), max_length=300, blank=True)
    description = limited_text(_("beschrijving"), DESCRIPTION_MAX, blank=True)

    class Meta:
        verbose_name = _("reeks")
        verbose_name_plural = _("reeksen")
        ordering = ["title"]
        constraints = [length_limit("series", "description", DESCRIPTION_MAX, _("beschrijving"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:series", args=[self.slug])


class Speaker(models.Model):
    organisation_path = "owner"
    shared_when_ownerless = True

    name = models.CharField(_("naam"), max_length=200)
    function = models.CharField(_("functie"), max_length=200, blank=True)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    owner = owner_field()

    class Meta:
        verbose_name = _("spreker")
        verbose_name_plural = _("sprekers")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "function"], name="speaker_unique_name_function")]

    def __str__(self):
        return self.name

    @property
    def description(self):
        return ", ".join(part for part in [self.function, self.organisation] if part)


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status__in=[Event.Status.PUBLISHED, Event.Status.CANCELLED])

    def upcoming(self, now=None):
        return self.published().filter(ends_at__gte=now or timezone.now()).order_by("starts_at")

    def past(self, now=None):
        return self.published().filter(ends_at__lt=now or timezone.now()).order_by("-starts_at")

    def confirmation_due(self, now):
        """Published events ahead whose definitive-confirmation moment has come by ``now``.

        The moment is ``starts_at`` minus ``confirmation_days_before`` days. Multiplying a
        column by a duration in SQL works on PostgreSQL but not on SQLite, so the query
        takes one condition per distinct number of days instead: the same on both.
        """
        upcoming = self.filter(status=Event.Status.PUBLISHED, starts_at__gt=now)
        days = set(upcoming.order_by().values_list("confirmation_days_before", flat=True).distinct())
        if not days:
            return self.none()
        due = Q()
        for n in days:
            due |= Q(confirmation_days_before=n, starts_at__lte=now + timedelta(days=n))
        return upcoming.filter(due)

    def for_user(self, user):
        """The events an organiser may manage: those of their own organisations."""
        from events.scoping import visible  # the one organisation rule; it imports this module

        return visible(self, user)


class Event(models.Model):
    organisation_path = "organisations"

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("congresdag")
        TEAM_SESSION = "team_session", _("leerbijeenkomst voor driehoeken")
        MEETING = "meeting", _("bijeenkomst")
        DIALOGUE = "dialogue", _("online dialoog")

    class Status(models.TextChoices):
        DRAFT = "draft", _("concept")
        PUBLISHED = "published", _("gepubliceerd")
        CANCELLED = "cancelled", _("geannuleerd")
        ARCHIVED = "archived", _("gearchiveerd")

    class Admission(models.TextChoices):
        DIRECT = "direct", _("direct bevestigd")
        BY_ORGANISER = "organiser", _("bij toelating door de organisator")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("titel"), max_length=200)
    subtitle = models.CharField(_("ondertitel"), max_length=300, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    organisations = models.ManyToManyField(Organisation, verbose_name=_("organisatoren"), related_name="events")
    series = models.ForeignKey(
        Series, verbose_name=_("reeks"), related_name="events", on_delete=models.PROTECT, null=True, blank=True
    )
    episode = models.PositiveSmallIntegerField(_("aflevering"), null=True, blank=True)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))
    venue = models.ForeignKey(Venue, verbose_name=_("locatie"), on_delete=models.PROTECT, null=True, blank=True)
    online = models.BooleanField(_("online"), default=False)
    regions = models.CharField(
        _("regio"), max_length=200, blank=True, help_text=_("Voor welke provincies de bijeenkomst bedoeld is.")
    )
    summary = models.CharField(_("samenvatting"), max_length=300, blank=True)
    description = limited_text(_("beschrijving"), DESCRIPTION_MAX, blank=True)
    practical_info = limited_text(
        _("praktische informatie"), PRACTICAL_INFO_MAX, blank=True, help_text=_("Wat mee te nemen, parkeren, …")
    )
    is_free = models.BooleanField(_("deelname gratis"), default=True)
    price_note = models.CharField(_("kosten"), max_length=200, blank=True)
    attendance_required = models.BooleanField(
        _("aanwezigheid verplicht"), default=False, help_text=_("Wie zich aanmeldt, verplicht zich te komen.")
    )
    registration_mode = models.CharField(
        _("aanmelden als"),
        max_length=10,
        choices=[("person", _("persoon")), ("team", _("driehoek (team van drie)")), ("none", _("geen aanmelding"))],
        default="person",
    )
    admission = models.CharField(_("toelating"), max_length=10, choices=Admission.choices, default=Admission.DIRECT)
    capacity = models.PositiveIntegerField(
        _("capaciteit"),
        null=True,
        blank=True,
        help_text=_("Aantal plaatsen (bij driehoeken: aantal teams). Leeg = onbeperkt."),
    )
    registration_opens_at = models.DateTimeField(_("aanmelding open vanaf"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("aanmelding sluit"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    confirmation_days_before = models.PositiveSmallIntegerField(_("definitieve bevestiging (dagen vooraf)"), default=7)
    external_url = models.URLField(_("externe pagina"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("evenement")
        verbose_name_plural = _("evenementen")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("Het einde moet na het begin liggen."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="event_capacity_positive",
                violation_error_message=_(
                    "De capaciteit moet minstens 1 zijn; laat het veld leeg als er geen grens is."
                ),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_ordered",
                violation_error_message=_("De aanmelding moet sluiten na het moment waarop die opengaat."),
            ),
            models.CheckConstraint(
                condition=Q(registration_mode__in=["person", "team", "none"]),
                name="event_registration_mode_valid",
                violation_error_message=_("Kies een van de manieren van aanmelden uit de lijst."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "cancelled", "archived"]),
                name="event_status_valid",
                violation_error_message=_("Kies een van de statussen uit de lijst."),
            ),
            length_limit("event", "description", DESCRIPTION_MAX, _("beschrijving")),
            length_limit("event", "practical_info", PRACTICAL_INFO_MAX, _("praktische informatie")),
        ]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    def clean(self):
        super().clean()
        self.follow_team_deadline()
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError(
                {"registration_closes_at": _("De aanmelding moet sluiten na het moment waarop ze opent.")}
            )

    def follow_team_deadline(self):
        """A driehoek session that moves takes its closing moment along: a closing moment
        that followed the four-week rule for the old date, or lies after the rule's moment
        for the new one, becomes the rule's moment for the new date. ``closing_moved`` tells
        the admin to say so."""
        self.closing_moved = False
        if not (self.is_team_event and self.starts_at and self.registration_closes_at and self.pk):
            return
        previous = type(self).objects.filter(pk=self.pk).values_list("starts_at", flat=True).first()
        if previous is None or previous == self.starts_at:
            return
        new_deadline = self.team_registration_deadline
        followed = self.registration_closes_at == team_deadline(previous)
        if followed or self.registration_closes_at > new_deadline:
            self.closing_moved = self.registration_closes_at != new_deadline
            self.registration_closes_at = new_deadline

    @property
    def is_team_event(self):
        return self.registration_mode == "team"

    @property
    def confirmation_due_at(self):
        return self.starts_at - timedelta(days=self.confirmation_days_before)

    @property
    def team_registration_deadline(self):
        """The moment team registration closes, whatever the organiser set as a later close."""
        return team_deadline(self.starts_at)

    @property
    def registration_deadline(self):
        """The moment registering stops being possible."""
        closes = self.registration_closes_at or self.starts_at
        if self.is_team_event:
            closes = min(closes, self.team_registration_deadline)
        return closes

    def registration_state(self, now=None):
        """'open', 'not_yet', 'closed', 'none' or 'cancelled' — the window, not capacity."""
        now = now or timezone.now()
        if self.registration_mode == "none":
            return "none"
        if self.status == self.Status.CANCELLED:
            return "cancelled"
        if self.status != self.Status.PUBLISHED:
            return "closed"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if now >= self.registration_deadline:
            return "closed"
        return "open"


SESSION_DOCUMENT_EXTENSIONS = ["pdf", "docx", "doc", "odt", "pptx", "ppt", "odp"]
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def validate_attachment_size(file):
    if file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(_("Dit bestand is groter dan 10 MB; dat is te groot om te mailen."))


def session_document_path(document, filename):
    # A random folder per file: the files are for admitted teams, so their URL is unguessable.
    return f"bijeenkomsten/{secrets.token_urlsafe(16)}/{filename}"


class SessionDocument(models.Model):
    """The programme or homework of a session, mailed to admitted teams before it starts."""

    organisation_path = "event__organisations"

    class Kind(models.TextChoices):
        PROGRAMME = "programme", _("programma")
        HOMEWORK = "homework", _("huiswerk")

    event = models.ForeignKey(Event, verbose_name=_("bijeenkomst"), related_name="documents", on_delete=models.CASCADE)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    file = models.FileField(
        _("bestand"),
        upload_to=session_document_path,
        max_length=300,
        validators=[
            FileExtensionValidator(SESSION_DOCUMENT_EXTENSIONS),
            validate_file_content,
            validate_attachment_size,
        ],
        help_text=_("PDF, Word, OpenDocument of PowerPoint, hoogstens 10 MB: het gaat als bijlage mee in de e-mail."),
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("programma of huiswerk")
        verbose_name_plural = _("programma en huiswerk")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["programme", "homework"]),
                name="sessiondocument_kind_valid",
                violation_error_message=_("Kies een van de soorten uit de lijst."),
            ),
            # One programme and one homework file per session: the mail carries exactly those.
            models.UniqueConstraint(fields=["event", "kind"], name="sessiondocument_one_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def filename(self):
        return Path(self.file.name).name


# A town hall's largest room; more is a typo, not an offer.
ROOM_CAPACITY_MAX = 1000


class HostOffer(models.Model):
    """A municipality offering its town hall, free of charge, as the venue of a session."""

    class Status(models.TextChoices):
        NEW = "new", _("nieuw")
        IN_PROGRESS = "in_progress", _("in behandeling")
        ACCEPTED = "accepted", _("aangenomen")
        DECLINED = "declined", _("afgewezen")

    series = models.ForeignKey(Series, verbose_name=_("reeks"), related_name="host_offers", on_delete=models.PROTECT)
    municipality = models.CharField(_("gemeente"), max_length=100, validators=[one_line])
    location_name = models.CharField(
        _("naam van de locatie"), max_length=200, default="Gemeentehuis", validators=[one_line]
    )
    address = models.CharField(_("adres"), max_length=200, validators=[one_line])
    postcode = models.CharField(_("postcode"), max_length=10, validators=[dutch_postcode])
    city = models.CharField(_("plaats"), max_length=100, validators=[one_line])
    contact_name = models.CharField(_("contactpersoon"), max_length=200, validators=[one_line])
    contact_email = models.EmailField(_("e-mailadres contactpersoon"))
    contact_phone = models.CharField(
        _("telefoonnummer contactpersoon"), max_length=30, blank=True, validators=[one_line]
    )
    room_capacity = models.PositiveSmallIntegerField(
        _("capaciteit van de zaal (personen)"),
        validators=[
            MinValueValidator(1, message=_("Vul in voor hoeveel personen de zaal plaats biedt: minstens 1.")),
            MaxValueValidator(
                ROOM_CAPACITY_MAX,
                message=_("Een zaal voor meer dan %(limit_value)s personen is voor deze bijeenkomsten niet nodig."),
            ),
        ],
    )
    sessions = models.ManyToManyField(
        Event, verbose_name=_("mogelijke bijeenkomsten"), related_name="host_offers", blank=True
    )
    # A bounded column, not a TextField: the public form is the only writer and a page of text
    # is plenty (the form once stored a megabyte).
    dates_note = models.CharField(
        _("andere mogelijke data of toelichting"), max_length=2000, blank=True, validators=[multi_line]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NEW)
    organiser_notes = limited_text(_("notities organisator"), ORGANISER_NOTES_MAX, blank=True)
    created_at = models.DateTimeField(_("ontvangen op"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(_("geanonimiseerd op"), null=True, blank=True)
    # Empty on offers that came in before the form asked for consent.
    privacy_accepted_at = models.DateTimeField(_("privacyverklaring aanvaard"), null=True, blank=True)

    organisation_path = "series__organisations"

    class Meta:
        verbose_name = _("locatieaanbod")
        verbose_name_plural = _("locatieaanbiedingen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(room_capacity__gt=0),
                name="hostoffer_room_capacity_positive",
                violation_error_message=_("De capaciteit van de zaal moet minstens 1 persoon zijn."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["new", "in_progress", "accepted", "declined"]),
                name="hostoffer_status_valid",
                violation_error_message=_("Kies een van de statussen uit de lijst."),
            ),
            length_limit("hostoffer", "organiser_notes", ORGANISER_NOTES_MAX, _("notities organisator")),
        ]

    def __str__(self):
        return _("%(location)s, gemeente %(municipality)s") % {
            "location": self.location_name,
            "municipality": self.municipality,
        }


class ProgrammeItem(models.Model):
    """One line of an event's programme; speakers are the moderator and guests."""

    organisation_path = "event__organisations"

    event = models.ForeignKey(Event, related_name="programme", on_delete=models.CASCADE)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"), null=True, blank=True)
    title = models.CharField(_("titel"), max_length=200)
    description = limited_text(_("beschrijving"), PROGRAMME_ITEM_DESCRIPTION_MAX, blank=True)
    moderator = models.ForeignKey(
        Speaker, verbose_name=_("gespreksleider"), related_name="+", null=True, blank=True, on_delete=models.PROTECT
    )
    speakers = models.ManyToManyField(Speaker, verbose_name=_("gasten"), related_name="programme_items", blank=True)
    is_deadline = models.BooleanField(
        _("is een deadline"), default=False, help_text=_("Een stap die openstaat tot dit moment.")
    )

    class Meta:
        verbose_name = _("programmaonderdeel")
        verbose_name_plural = _("programma")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="programmeitem_ends_after_start",
                violation_error_message=_("Het einde moet na het begin liggen."),
            ),
            length_limit("programmeitem", "description", PROGRAMME_ITEM_DESCRIPTION_MAX, _("beschrijving")),
        ]

    def __str__(self):
        return self.title
