from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Aanmeldingen")

    def ready(self):
        # Registers mail attachments, in web processes and Celery workers alike.
        from registrations import calendar_mail  # noqa: F401
