"""Workshop rounds and workshops: each participant picks one workshop per round."""

import secrets
from functools import cached_property

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from events.models import SESSION_DOCUMENT_EXTENSIONS, Event, Speaker
from regiodag.downloads import file_facts
from regiodag.text_limits import length_limit, limited_text
from regiodag.uploads import validate_file_content

# Texts organisers write in the admin; the seeds' longest workshop description is under 700
# characters. Bounded so that no page, mail or PDF swells without limit (regiodag.text_limits).
WORKSHOP_DESCRIPTION_MAX = 5000
MATERIAL_BODY_MAX = 20_000


class Round(models.Model):
    organisation_path = "event__organisations"

    event = models.ForeignKey(Event, verbose_name=_("evenement"), related_name="rounds", on_delete=models.CASCADE)
    number = models.PositiveSmallIntegerField(_("ronde"))
    title = models.CharField(_("titel"), max_length=100, blank=True)
    starts_at = models.DateTimeField(_("begint om"))
    ends_at = models.DateTimeField(_("eindigt om"))

    class Meta:
        verbose_name = _("workshopronde")
        verbose_name_plural = _("workshoprondes")
        ordering = ["event", "number"]
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="round_unique_number_per_event"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="round_ends_after_start",
                violation_error_message=_("Het einde moet na het begin liggen."),
            ),
            models.CheckConstraint(
                condition=Q(number__gt=0),
                name="round_number_positive",
                violation_error_message=_("Het nummer van de ronde moet minstens 1 zijn."),
            ),
        ]

    def __str__(self):
        return self.title or _("Workshopronde %(number)s") % {"number": self.number}

    def label_with_event(self):
        """For a choice among the rounds of several events (the admin): every event has a
        round 1."""
        return f"{self.event.title} – {self}"


class Workshop(models.Model):
    organisation_path = "round__event__organisations"

    round = models.ForeignKey(Round, verbose_name=_("ronde"), related_name="workshops", on_delete=models.CASCADE)
    title = models.CharField(_("titel"), max_length=200)
    subtitle = models.CharField(_("ondertitel"), max_length=300, blank=True)
    description = limited_text(_("beschrijving"), WORKSHOP_DESCRIPTION_MAX, blank=True)
    hosts = models.ManyToManyField(Speaker, verbose_name=_("workshopleiders"), related_name="workshops", blank=True)
    room = models.CharField(_("zaal"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("capaciteit"))

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["round__number", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0),
                name="workshop_capacity_positive",
                violation_error_message=_("De capaciteit moet minstens 1 zijn."),
            ),
            models.UniqueConstraint(fields=["round", "title"], name="workshop_unique_title_per_round"),
            # Unique anyway (the id is): what a workshop choice's key to its workshop and
            # that workshop's round points at (migration registrations 0011), so that a
            # choice's round is always its workshop's.
            models.UniqueConstraint(fields=["id", "round"], name="workshop_id_round"),
            length_limit("workshop", "description", WORKSHOP_DESCRIPTION_MAX, _("beschrijving")),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.pk is None:
            return
        moved = Workshop.objects.filter(pk=self.pk).values_list("round_id", flat=True).get() != self.round_id
        if moved and self.choices.exists():
            # Each choice is one of a participant's choices per round; moved, the participant
            # could hold two workshops in one round and none in another.
            raise ValidationError(
                {
                    "round": _(
                        "Deelnemers hebben deze workshop al gekozen, dus hij kan niet naar een andere ronde. "
                        "Maak in die ronde een nieuwe workshop aan."
                    )
                }
            )

    @property
    def event(self):
        return self.round.event


# Documents people open with an office suite or a browser's viewer, nothing that runs.
MATERIAL_EXTENSIONS = [*SESSION_DOCUMENT_EXTENSIONS, "xlsx", "xls", "ods", "txt", "png", "jpg", "jpeg"]
MAX_MATERIAL_BYTES = 25 * 1024 * 1024


def validate_material_size(file):
    if file.size > MAX_MATERIAL_BYTES:
        raise ValidationError(
            _("Dit bestand is groter dan 25 MB. Maak het kleiner, of zet in de tekst een link naar waar het staat.")
        )


def material_path(material, filename):
    # A folder per upload keeps the name it was uploaded with: the download offers that name.
    return f"materiaal/{secrets.token_urlsafe(16)}/{filename}"


class MaterialQuerySet(models.QuerySet):
    def public(self):
        return self.filter(for_participants_only=False)


class Material(models.Model):
    """Slides, questions or reading for a workshop's participants."""

    organisation_path = "workshop__round__event__organisations"

    workshop = models.ForeignKey(Workshop, related_name="materials", on_delete=models.CASCADE)
    title = models.CharField(_("titel"), max_length=200)
    body = limited_text(_("tekst"), MATERIAL_BODY_MAX, blank=True)
    file = models.FileField(
        _("bestand"),
        upload_to=material_path,
        max_length=300,
        blank=True,
        validators=[FileExtensionValidator(MATERIAL_EXTENSIONS), validate_file_content, validate_material_size],
        help_text=_("PDF, Word, OpenDocument, PowerPoint, Excel, tekst of een afbeelding, hoogstens 25 MB."),
    )
    for_participants_only = models.BooleanField(
        _("alleen voor deelnemers"), default=False, help_text=_("Zichtbaar via de persoonlijke link, niet openbaar.")
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("materiaal")
        verbose_name_plural = _("materiaal")
        ordering = ["order", "id"]
        constraints = [length_limit("material", "body", MATERIAL_BODY_MAX, _("tekst"))]

    def __str__(self):
        return self.title

    @cached_property
    def download(self):
        """Name, type and size of the file, for the link that offers it; None without a file."""
        return file_facts(self.file) if self.file else None
