"""Remove the place counters, their triggers and the refusal function (PostgreSQL only).

Places are counted from the rows under the event's row lock by one service in plain Django
(registrations/services/places.py), on PostgreSQL and SQLite alike, so the counter columns
of migration 0005, the PL/pgSQL triggers and helpers of 0005, 0006 and 0009 and the
``regiodag_refuse`` function of 0010 have no reader left.

Reversing puts them back as those migrations left them, the counters recounted from the
rows (0005's install script does that).
"""

from importlib import import_module

from django.db import migrations

place_counters = import_module("registrations.migrations.0005_place_counters")
in_plpgsql = import_module("registrations.migrations.0006_place_counters_in_plpgsql")
place_only = import_module("registrations.migrations.0009_new_registration_counts_its_place_only")
refuse = import_module("registrations.migrations.0010_refuse_function")
on_postgresql = place_counters.on_postgresql

REMOVE = refuse.UNINSTALL + "\n" + place_counters.UNINSTALL

RESTORE = "\n".join(
    [place_counters.INSTALL, in_plpgsql.PLPGSQL, place_only.PLACE_ONLY_ON_INSERT, refuse.INSTALL]
)


class Migration(migrations.Migration):
    dependencies = [("registrations", "0013_mail_recipient_recent")]

    operations = [migrations.RunPython(on_postgresql(REMOVE), on_postgresql(RESTORE))]
