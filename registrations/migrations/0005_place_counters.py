"""Place counters kept by the database: ``events_event.places_taken`` and
``workshops_workshop.seats_taken`` (PostgreSQL only).

Registering checked the places by counting, under the event's lock, every registration
holding a place and every seat of the chosen workshops: work that grew with the size of the
event, for every registration, while the others waited for the lock. Now triggers keep the
counts as registrations change status and workshop choices come and go, whatever changes
them (services, admin, bulk updates), and the check reads two numbers.

The columns are deliberately not model fields: a model's save() writes every field it has,
and an event saved in the admin would write back the count it read a moment before. Only
raw SQL reads them (registrations/services/places.py); the selectors that show places keep
counting, so the counters never need to be trusted for display, and the tests compare the
two. The statuses that hold a place are written out here; if Registration.HOLDS_PLACE
changes, a new migration must replace these functions.

On other databases (the embedded SQLite demo) nothing is created: there registering
counts, one writer at a time.
"""

from django.db import migrations

HOLDS_PLACE = "('applied', 'confirmed')"

INSTALL = f"""
ALTER TABLE events_event ADD COLUMN places_taken integer NOT NULL DEFAULT 0;
ALTER TABLE workshops_workshop ADD COLUMN seats_taken integer NOT NULL DEFAULT 0;

CREATE FUNCTION regiodag_move_places(registration_id bigint, event_id bigint, delta integer)
RETURNS void LANGUAGE sql AS $$
    UPDATE events_event SET places_taken = places_taken + delta WHERE id = event_id;
    UPDATE workshops_workshop AS workshop SET seats_taken = workshop.seats_taken + delta * chosen.seats
    FROM (SELECT choice.workshop_id, count(*) AS seats
          FROM registrations_workshopchoice AS choice
          JOIN registrations_participant AS participant ON participant.id = choice.participant_id
          WHERE participant.registration_id = regiodag_move_places.registration_id
          GROUP BY choice.workshop_id) AS chosen
    WHERE workshop.id = chosen.workshop_id;
$$;

CREATE FUNCTION regiodag_registration_places() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    held_before boolean := TG_OP <> 'INSERT' AND OLD.status IN {HOLDS_PLACE};
    held_after boolean := TG_OP <> 'DELETE' AND NEW.status IN {HOLDS_PLACE};
BEGIN
    IF TG_OP = 'UPDATE' AND held_before = held_after AND OLD.event_id = NEW.event_id THEN
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

CREATE TRIGGER registration_places
AFTER INSERT OR DELETE OR UPDATE OF status, event_id ON registrations_registration
FOR EACH ROW EXECUTE FUNCTION regiodag_registration_places();

CREATE FUNCTION regiodag_participant_holds_place(participant_id bigint) RETURNS boolean LANGUAGE sql AS $$
    SELECT EXISTS (
        SELECT 1 FROM registrations_participant AS participant
        JOIN registrations_registration AS registration ON registration.id = participant.registration_id
        WHERE participant.id = regiodag_participant_holds_place.participant_id
          AND registration.status IN {HOLDS_PLACE});
$$;

CREATE FUNCTION regiodag_choice_seats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND regiodag_participant_holds_place(OLD.participant_id) THEN
        UPDATE workshops_workshop SET seats_taken = seats_taken - 1 WHERE id = OLD.workshop_id;
    END IF;
    IF TG_OP <> 'DELETE' AND regiodag_participant_holds_place(NEW.participant_id) THEN
        UPDATE workshops_workshop SET seats_taken = seats_taken + 1 WHERE id = NEW.workshop_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER choice_seats
AFTER INSERT OR DELETE OR UPDATE OF workshop_id, participant_id ON registrations_workshopchoice
FOR EACH ROW EXECUTE FUNCTION regiodag_choice_seats();

UPDATE events_event AS event SET places_taken = (
    SELECT count(*) FROM registrations_registration AS registration
    WHERE registration.event_id = event.id AND registration.status IN {HOLDS_PLACE});
UPDATE workshops_workshop AS workshop SET seats_taken = (
    SELECT count(*) FROM registrations_workshopchoice AS choice
    JOIN registrations_participant AS participant ON participant.id = choice.participant_id
    JOIN registrations_registration AS registration ON registration.id = participant.registration_id
    WHERE choice.workshop_id = workshop.id AND registration.status IN {HOLDS_PLACE});
"""

UNINSTALL = """
DROP TRIGGER choice_seats ON registrations_workshopchoice;
DROP FUNCTION regiodag_choice_seats();
DROP FUNCTION regiodag_participant_holds_place(bigint);
DROP TRIGGER registration_places ON registrations_registration;
DROP FUNCTION regiodag_registration_places();
DROP FUNCTION regiodag_move_places(bigint, bigint, integer);
ALTER TABLE workshops_workshop DROP COLUMN seats_taken;
ALTER TABLE events_event DROP COLUMN places_taken;
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0004_participant_search_name"),
        ("events", "0003_host_offer_anonymised_at"),
        ("workshops", "0001_initial"),
    ]

    operations = [migrations.RunPython(on_postgresql(INSTALL), on_postgresql(UNINSTALL))]
