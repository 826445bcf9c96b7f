from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Aanmeldingen")

    def ready(self):
        # Attachments register themselves per mail kind; every process that sends needs them.
        from registrations.mails import attachments  # noqa: F401
