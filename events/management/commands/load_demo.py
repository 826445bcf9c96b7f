from django.core.management.base import BaseCommand

from events.demo import load_demo
from registrations.demo import load_demo_registrations


class Command(BaseCommand):
    help = (
        "Laadt de evenementen uit de aankondigingen (seeds) en komende oefenedities met verzonnen aanmeldingen. "
        "Idempotent."
    )

    def handle(self, *args, **options):
        load_demo()
        load_demo_registrations()
        self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))
