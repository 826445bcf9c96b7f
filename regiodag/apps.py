from django.apps import AppConfig
from django.db.backends.signals import connection_created


class RegiodagConfig(AppConfig):
    """The project's own wiring that belongs to no app: it has no models."""

    name = "regiodag"
    verbose_name = "Regiodag"

    def ready(self):
        from regiodag.unavailable import database_answered

        # In every process (web, workers, beat): ends a database outage that process told.
        connection_created.connect(database_answered, dispatch_uid="regiodag.database_answered")
