"""Existing venues and speakers get the organisation of the events that use them.

Lives in workshops because speakers are also reached through workshop hosts, and workshops
may depend on events but not the other way round. A venue or speaker used by the events of
more than one organisation (or of none) stays without owner: shared, changed only by the
platform administrator.
"""

from django.db import migrations


def sole_owner(organisation_ids):
    found = set(organisation_ids)
    return found.pop() if len(found) == 1 else None


def set_owners(apps, schema_editor):
    Venue = apps.get_model("events", "Venue")
    Speaker = apps.get_model("events", "Speaker")
    Event = apps.get_model("events", "Event")
    for venue in Venue.objects.filter(owner__isnull=True):
        owner = sole_owner(Event.objects.filter(venue=venue).values_list("organisations", flat=True))
        if owner is not None:
            Venue.objects.filter(pk=venue.pk).update(owner_id=owner)
    for speaker in Speaker.objects.filter(owner__isnull=True):
        used = [
            *Event.objects.filter(programme__moderator=speaker).values_list("organisations", flat=True),
            *Event.objects.filter(programme__speakers=speaker).values_list("organisations", flat=True),
            *Event.objects.filter(rounds__workshops__hosts=speaker).values_list("organisations", flat=True),
        ]
        owner = sole_owner(used)
        if owner is not None:
            Speaker.objects.filter(pk=speaker.pk).update(owner_id=owner)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_venue_speaker_owner"),
        ("workshops", "0004_workshop_id_round"),
    ]

    operations = [migrations.RunPython(set_owners, migrations.RunPython.noop)]
