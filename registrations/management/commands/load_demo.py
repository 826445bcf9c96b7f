"""The demo of `make run`: the events of the seeds with their workshops, and made-up registrations."""

from django.core.management.base import BaseCommand

from registrations.demo import load_demo_registrations
from registrations.invitations.demo import load_demo_invitations
from workshops.demo import load_demo


class Command(BaseCommand):
    help = (
        "Laadt de evenementen uit de aankondigingen (seeds) en komende oefenedities met verzonnen aanmeldingen, "
        "een contactlijst en een verstuurde uitnodiging. "
        "Idempotent."
    )

    def handle(self, *args, **options):
        load_demo()
        load_demo_registrations()
        load_demo_invitations()
        self.stdout.write(self.style.SUCCESS("Demogegevens geladen."))
