"""Contacts per organisation, mailings to them, and one invitation row per contact and
mailing (the results). Loaded through registrations.models, so they belong to that app."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event, Organisation, ProgrammeItem, Series
from events.municipalities import canonical_municipality, municipalities
from regiodag.text_limits import length_limit, limited_text


def new_token():
    from registrations.models import new_token as make

    return make()


class Contact(models.Model):
    """A person on an organisation's invitation list: personal data, erased on request."""

    organisation_path = "owner"

    class Salutation(models.TextChoices):
        UNKNOWN = "", _("onbekend")
        SIR = "heer", _("heer")
        MADAM = "mevrouw", _("mevrouw")

    class Role(models.TextChoices):
        COUNCILLOR = "raadslid", _("raadslid")
        MAYOR = "burgemeester", _("burgemeester")
        ALDERMAN = "wethouder", _("wethouder")
        SECRETARY = "gemeentesecretaris", _("gemeentesecretaris")
        CLERK = "griffier", _("griffier")
        OFFICIAL = "ambtenaar", _("ambtenaar")

    owner = models.ForeignKey(
        Organisation, verbose_name=_("lijst van"), related_name="contacts", on_delete=models.CASCADE, db_index=False
    )
    given_name = models.CharField(_("voornaam"), max_length=100, blank=True)
    name_prefix = models.CharField(_("tussenvoegsel"), max_length=30, blank=True)
    family_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    salutation = models.CharField(_("aanhef"), max_length=10, choices=Salutation.choices, blank=True, default="")
    # Stored in lower case (see save), so the database's unique rule holds per address.
    email = models.EmailField(_("e-mailadres"))
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    function = models.CharField(_("functie"), max_length=200, blank=True)
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, blank=True)
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)
    token = models.CharField(max_length=64, default=new_token, editable=False)
    unsubscribed_at = models.DateTimeField(_("afgemeld op"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")
        ordering = ["family_name", "given_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "email"], name="contact_once_per_organisation"),
            models.UniqueConstraint(fields=["token"], name="contact_token_unique"),
            models.CheckConstraint(
                condition=Q(salutation__in=["", "heer", "mevrouw"]),
                name="contact_salutation_valid",
                violation_error_message=_("Kies een aanhef uit de lijst."),
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>" if self.full_name else self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        return " ".join(part for part in [self.given_name, self.name_prefix, self.family_name] if part)

    @property
    def province(self):
        for municipality in municipalities():
            if municipality.name == self.municipality:
                return municipality.province
        return ""

    def clean(self):
        self.email = (self.email or "").strip().lower()
        if self.municipality:
            canonical = canonical_municipality(self.municipality)
            if canonical is None:
                raise ValidationError({"municipality": _("Onbekende gemeente.")})
            self.municipality = canonical


MAILING_TEXT_MAX = 10_000


class Mailing(models.Model):
    """An invitation to an event or a series, sent to part of an organisation's contacts."""

    organisation_path = "owner"

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("iedereen")
        ROLE = "role", _("rol")
        MUNICIPALITY = "municipality", _("gemeente")
        PROVINCE = "province", _("provincie")

    owner = models.ForeignKey(
        Organisation, verbose_name=_("organisatie"), related_name="mailings", on_delete=models.CASCADE
    )
    event = models.ForeignKey(
        Event, verbose_name=_("evenement"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    series = models.ForeignKey(
        Series, verbose_name=_("reeks"), null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    subject = models.CharField(_("onderwerp"), max_length=200)
    text = limited_text(
        _("tekst"), MAILING_TEXT_MAX, help_text=_("Platte tekst; een witregel begint een nieuwe alinea.")
    )
    audience = models.CharField(_("doelgroep"), max_length=12, choices=Audience.choices, default=Audience.EVERYONE)
    audience_value = models.CharField(
        _("rol, gemeente of provincie"),
        max_length=100,
        blank=True,
        help_text=_("Bij doelgroep rol, gemeente of provincie: welke."),
    )
    send_at = models.DateTimeField(
        _("versturen op"), null=True, blank=True, help_text=_("Leeg: pas versturen wanneer u op ‘Nu versturen’ klikt.")
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("herinnering, dagen voor de sluiting"),
        null=True,
        blank=True,
        help_text=_("Leeg: geen herinnering. Aan wie zich niet aanmeldde en niet afmeldde."),
    )
    deadline_step = models.ForeignKey(
        ProgrammeItem,
        verbose_name=_("deadline van stap"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.SET_NULL,
        limit_choices_to={"is_deadline": True},
        help_text=_("Leeg: de sluiting van de aanmelding."),
    )
    recorded_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("herinnering verstuurd op"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, series__isnull=True) | Q(event__isnull=True, series__isnull=False),
                name="mailing_event_or_series",
                violation_error_message=_("Kies een evenement of een reeks, niet allebei."),
            ),
            models.CheckConstraint(
                condition=Q(audience__in=["everyone", "role", "municipality", "province"]),
                name="mailing_audience_valid",
                violation_error_message=_("Kies een doelgroep uit de lijst."),
            ),
            length_limit("mailing", "text", MAILING_TEXT_MAX, _("tekst")),
        ]
        indexes = [
            models.Index(fields=["send_at"], condition=Q(recorded_at__isnull=True), name="mailing_due"),
        ]

    def __str__(self):
        return self.subject

    @property
    def target(self):
        return self.event or self.series

    def clean(self):
        if bool(self.event_id) == bool(self.series_id):
            raise ValidationError(_("Kies een evenement of een reeks (één van beide)."))
        if self.audience != self.Audience.EVERYONE and not self.audience_value.strip():
            raise ValidationError({"audience_value": _("Vul in welke rol, gemeente of provincie.")})
        if self.owner_id and self.event_id and not self.event.organisations.filter(pk=self.owner_id).exists():
            raise ValidationError({"event": _("Kies een evenement van deze organisatie.")})
        if self.owner_id and self.series_id and not self.series.organisations.filter(pk=self.owner_id).exists():
            raise ValidationError({"series": _("Kies een reeks van deze organisatie.")})
        if self.deadline_step_id and self.deadline_step.event_id != self.event_id:
            raise ValidationError({"deadline_step": _("Kies een stap van het evenement van deze uitnodiging.")})


class Invitation(models.Model):
    """One contact invited by one mailing: the row behind its mails and its results.

    Kept without its contact when the contact is erased, so the mailing's numbers stay.
    """

    organisation_path = "mailing__owner"

    mailing = models.ForeignKey(Mailing, related_name="invitations", on_delete=models.CASCADE, db_index=False)
    contact = models.ForeignKey(Contact, related_name="invitations", null=True, on_delete=models.SET_NULL)
    token = models.CharField(max_length=64, default=new_token, editable=False)
    opened_at = models.DateTimeField(_("persoonlijke link geopend"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("genodigde")
        verbose_name_plural = _("genodigden")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "contact"], name="invitation_once_per_contact"),
            models.UniqueConstraint(fields=["token"], name="invitation_token_unique"),
        ]

    def __str__(self):
        return str(self.contact) if self.contact else str(_("(gewist)"))
