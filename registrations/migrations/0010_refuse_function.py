"""``regiodag_refuse(rule, detail)``: ends a statement as a broken rule (PostgreSQL only).

Registering is one statement, without a transaction around it
(registrations/services/places.py, save_rows_taking_places): where the event is full and no
waiting list was asked for, or its registration window changed since it was read, the
statement must store nothing. It calls this function in place of a value, which fails the
whole statement as a check violation named ``rule``; the service turns the name back into
its refusal. ``detail`` carries what the refusal needs to say (the full workshop's id).
"""

from importlib import import_module

from django.db import migrations

on_postgresql = import_module("registrations.migrations.0005_place_counters").on_postgresql

INSTALL = """
CREATE FUNCTION regiodag_refuse(rule text, detail text DEFAULT '') RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'refused: ' || rule, ERRCODE = 'check_violation', CONSTRAINT = rule, DETAIL = detail;
END
$$;
"""

UNINSTALL = "DROP FUNCTION regiodag_refuse(text, text);"


class Migration(migrations.Migration):
    dependencies = [("registrations", "0009_new_registration_counts_its_place_only")]

    operations = [migrations.RunPython(on_postgresql(INSTALL), on_postgresql(UNINSTALL))]
