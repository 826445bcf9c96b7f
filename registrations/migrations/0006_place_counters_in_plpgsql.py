"""The place counters' functions (migration 0005) rewritten in PL/pgSQL (PostgreSQL only).

In 0005 the helpers were SQL-language functions. PostgreSQL (before 18) parses and plans the
statements of such a function on every call, and a trigger calls them for every registration
and every workshop choice: planning was most of the counters' cost, about 0.8 ms of
database CPU per registration (bench/README.md). PL/pgSQL prepares each statement once per
connection and reuses the plan. The behaviour is the same; the tests of the counters
(registrations/tests/test_place_counters.py) hold for both.
"""

from importlib import import_module

from django.db import migrations

place_counters = import_module("registrations.migrations.0005_place_counters")
HOLDS_PLACE = place_counters.HOLDS_PLACE
on_postgresql = place_counters.on_postgresql

# The statements name the functions' parameters in full (function.parameter): PL/pgSQL
# refuses a name that could be a column as well as a variable.
PLPGSQL = f"""
CREATE OR REPLACE FUNCTION regiodag_move_places(registration_id bigint, event_id bigint, delta integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    UPDATE events_event SET places_taken = places_taken + regiodag_move_places.delta
    WHERE id = regiodag_move_places.event_id;
    UPDATE workshops_workshop AS workshop
    SET seats_taken = workshop.seats_taken + regiodag_move_places.delta * chosen.seats
    FROM (SELECT choice.workshop_id, count(*) AS seats
          FROM registrations_workshopchoice AS choice
          JOIN registrations_participant AS participant ON participant.id = choice.participant_id
          WHERE participant.registration_id = regiodag_move_places.registration_id
          GROUP BY choice.workshop_id) AS chosen
    WHERE workshop.id = chosen.workshop_id;
END
$$;

CREATE OR REPLACE FUNCTION regiodag_participant_holds_place(participant_id bigint)
RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN EXISTS (
        SELECT 1 FROM registrations_participant AS participant
        JOIN registrations_registration AS registration ON registration.id = participant.registration_id
        WHERE participant.id = regiodag_participant_holds_place.participant_id
          AND registration.status IN {HOLDS_PLACE});
END
$$;
"""


def installed_function(name):
    """Function ``name`` as 0005 installed it, to put back on reversing (CREATE OR REPLACE)."""
    install = place_counters.INSTALL
    start = install.index(f"CREATE FUNCTION {name}(")
    end = install.index("$$;", start) + len("$$;")
    return install[start:end].replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


# The reverse: 0005's helpers as they were.
SQL = "\n\n".join(installed_function(name) for name in ("regiodag_move_places", "regiodag_participant_holds_place"))


class Migration(migrations.Migration):
    dependencies = [("registrations", "0005_place_counters")]

    operations = [migrations.RunPython(on_postgresql(PLPGSQL), on_postgresql(SQL))]
