"""Refusals of the registration services, each with a message fit to show a participant.

They subclass ValidationError so that forms can attach them to a field and the admin can
show them as a message; the message is always Dutch first, translated where asked.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class RegistrationError(ValidationError):
    field = None

    def __init__(self, message=None, field=None):
        super().__init__(message or self.default_message)
        if field:
            self.field = field

    default_message = _("De aanmelding kon niet worden verwerkt.")


class RegistrationClosed(RegistrationError):
    default_message = _("De aanmelding voor dit evenement is gesloten.")


class EventFull(RegistrationError):
    default_message = _("Dit evenement is vol. U kunt zich op de wachtlijst plaatsen.")


class WorkshopFull(RegistrationError):
    def __init__(self, workshop, field=None):
        self.workshop = workshop
        super().__init__(
            _("De workshop ‘%(title)s’ is vol. Kies een andere workshop.") % {"title": workshop.title}, field=field
        )


class InvalidChoice(RegistrationError):
    default_message = _("Kies in elke workshopronde één workshop.")


class DuplicateRegistration(RegistrationError):
    """The address already holds a registration; we never say whose or which."""

    default_message = _(
        "Met dit e-mailadres is al een aanmelding gedaan. We hebben de persoonlijke link "
        "om die aanmelding te bekijken of te wijzigen opnieuw naar dit adres gestuurd."
    )

    def __init__(self, existing=None, field="email"):
        self.existing = existing
        super().__init__(field=field)


class NotAllowed(RegistrationError):
    default_message = _("Deze handeling is voor deze aanmelding niet mogelijk.")
