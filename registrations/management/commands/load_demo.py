"""The demo of `make run`: the events of the seeds with their workshops, and made-up registrations."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrations.demo import load_demo_registrations
from registrations.invitations.demo import load_demo_invitations
from workshops.demo import load_demo


class Command(BaseCommand):
    help = (
        "Laadt de evenementen uit de aankondigingen (seeds) en komende oefenedities met verzonnen aanmeldingen, "
        "een contactlijst en een verstuurde uitnodiging. "
        "Idempotent. Alleen met DEBUG=1: de verzonnen deelnemers krijgen mails."
    )

    def handle(self, *args, **options):
        # The invented participants are owed mails like real ones; on a production database
        # the workers would send them out. Refusing as a whole also keeps invented events
        # off a production catalogue.
        if not settings.DEBUG:
            raise CommandError(
                "load_demo laadt verzonnen evenementen en deelnemers en is alleen bedoeld voor de demo: "
                "start het met DEBUG=1. Op een productiedatabase zouden de mails aan de verzonnen "
                "deelnemers worden verstuurd zodra de workers draaien; er is niets geladen."
            )
        load_demo()
        load_demo_registrations()
        load_demo_invitations()
        self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))
