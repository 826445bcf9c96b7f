from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Aanmeldingen")

    def ready(self):
        # Mail attachments register themselves per mail kind, in web processes and Celery
        # workers alike; the event pages get places through events.hooks, since events
        # cannot import us.
        from events import hooks
        from registrations import calendar_mail, selectors  # noqa: F401
        from registrations.mails import attachments  # noqa: F401

        hooks.provide(
            event_occupancy=selectors.event_occupancy,
            places_left=selectors.places_left,
            event_page_rounds=selectors.event_page_rounds,
        )
