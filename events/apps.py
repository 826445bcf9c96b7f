from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Evenementen")

    def ready(self):
        from events.permissions import ensure_organiser_group

        # After each app migrates: permissions themselves appear post_migrate, app by app.
        post_migrate.connect(ensure_organiser_group, dispatch_uid="events.organiser_group")
