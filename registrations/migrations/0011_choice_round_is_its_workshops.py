"""A workshop choice's round is always its workshop's round (PostgreSQL only).

The choice keeps the round of its workshop, so that the database can hold "one workshop per
round" (choice_one_workshop_per_round). Nothing held the two together: a workshop moved to
another round in the admin left its choices in the old one. Now the choice's key to its
workshop is (workshop, round), referring to the workshop's (id, round) (unique since
workshops 0004); it replaces the plain key to the workshop, so a choice costs one check, as
before. Moving a workshop that has choices is refused (the admin says so first, see
Workshop.clean()), and so is a choice whose round is not its workshop's.

Choices that are out of step already are first given their workshop's round. On other
databases (the embedded SQLite demo) the choice keeps no key to its workshop at all: SQLite
cannot add one to an existing table.
"""

import django.db.models.deletion
from django.db import migrations, models

from importlib import import_module

on_postgresql = import_module("registrations.migrations.0005_place_counters").on_postgresql

INSTALL = """
UPDATE registrations_workshopchoice AS choice SET round_id = workshop.round_id
FROM workshops_workshop AS workshop
WHERE workshop.id = choice.workshop_id AND choice.round_id <> workshop.round_id;
ALTER TABLE registrations_workshopchoice ADD CONSTRAINT choice_round_is_its_workshops
    FOREIGN KEY (workshop_id, round_id) REFERENCES workshops_workshop (id, round_id)
    DEFERRABLE INITIALLY DEFERRED;
"""

UNINSTALL = "ALTER TABLE registrations_workshopchoice DROP CONSTRAINT choice_round_is_its_workshops;"


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0010_refuse_function"),
        ("workshops", "0004_workshop_id_round"),
    ]

    operations = [
        migrations.AlterField(
            model_name="workshopchoice",
            name="workshop",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="choices",
                to="workshops.workshop",
            ),
        ),
        migrations.RunPython(on_postgresql(INSTALL), on_postgresql(UNINSTALL)),
    ]
