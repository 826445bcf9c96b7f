from django.core.management.base import BaseCommand

from events.demo import load_demo


class Command(BaseCommand):
    help = "Laadt de evenementen uit de aankondigingen (seeds) en komende oefenedities. Idempotent."

    def handle(self, *args, **options):
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))
