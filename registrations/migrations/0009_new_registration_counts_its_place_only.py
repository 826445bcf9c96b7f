"""A registration written already holding a place counts its place, not its choices' seats
(PostgreSQL only).

Registering now writes a registration with its final status, in the same statement as its
participants and workshop choices (registrations/services/places.py,
save_rows_taking_places). Row triggers run at the end of that statement, when the choices
are there too: counting their seats on the registration's insert as well as on each
choice's own insert would count every seat twice. The choices' trigger counts them.

Nothing else changes: a registration inserted on its own (the ORM's order) has no choices
yet, so its insert counted no seats before either. Status changes and deletions still move
the seats of every choice, as in 0005.
"""

from importlib import import_module

from django.db import migrations

place_counters = import_module("registrations.migrations.0005_place_counters")
on_postgresql = place_counters.on_postgresql
installed_function = import_module("registrations.migrations.0006_place_counters_in_plpgsql").installed_function

# The reverse: 0005's trigger function as it was.
AS_IN_0005 = installed_function("regiodag_registration_places")

# 0005's function with one branch more, before the moves of an update or a deletion.
INSERT_BRANCH = """    IF TG_OP = 'INSERT' THEN
        IF held_after THEN
            UPDATE events_event SET places_taken = places_taken + 1 WHERE id = NEW.event_id;
        END IF;
        RETURN NULL;
    END IF;
"""
MOVES = "    IF held_before THEN\n"
assert AS_IN_0005.count(MOVES) == 1
PLACE_ONLY_ON_INSERT = AS_IN_0005.replace(MOVES, INSERT_BRANCH + MOVES)


class Migration(migrations.Migration):
    dependencies = [("registrations", "0008_index_optional_keys_where_set")]

    operations = [migrations.RunPython(on_postgresql(PLACE_ONLY_ON_INSERT), on_postgresql(AS_IN_0005))]
