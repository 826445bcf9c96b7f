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
HOLDS_PLACE = place_counters.HOLDS_PLACE
on_postgresql = place_counters.on_postgresql

PLACE_ONLY_ON_INSERT = f"""
CREATE OR REPLACE FUNCTION regiodag_registration_places() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    held_before boolean := TG_OP <> 'INSERT' AND OLD.status IN {HOLDS_PLACE};
    held_after boolean := TG_OP <> 'DELETE' AND NEW.status IN {HOLDS_PLACE};
BEGIN
    IF TG_OP = 'UPDATE' AND held_before = held_after AND OLD.event_id = NEW.event_id THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF held_after THEN
            UPDATE events_event SET places_taken = places_taken + 1 WHERE id = NEW.event_id;
        END IF;
        RETURN NULL;
    END IF;
    IF held_before THEN
        PERFORM regiodag_move_places(OLD.id, OLD.event_id, -1);
    END IF;
    IF held_after THEN
        PERFORM regiodag_move_places(NEW.id, NEW.event_id, 1);
    END IF;
    RETURN NULL;
END
$$;
"""


def as_in_0005(install):
    """0005's trigger function, taken from its install script, to put back on reversing."""
    start = install.index("CREATE FUNCTION regiodag_registration_places()")
    end = install.index("CREATE TRIGGER registration_places")
    return install[start:end].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


class Migration(migrations.Migration):
    dependencies = [("registrations", "0008_index_optional_keys_where_set")]

    operations = [migrations.RunPython(on_postgresql(PLACE_ONLY_ON_INSERT), on_postgresql(as_in_0005(place_counters.INSTALL)))]
