"""Send an invitation mailing now, as the admin's "Nu versturen" does."""

from django.core.management.base import BaseCommand, CommandError

from registrations.invitations.mailings import send_mailing
from registrations.invitations.models import Mailing


class Command(BaseCommand):
    help = "Verstuur een uitnodiging aan haar doelgroep (nooit twee keer aan dezelfde persoon)."

    def add_arguments(self, parser):
        parser.add_argument("mailing_id", type=int)

    def handle(self, *args, mailing_id, **options):
        if not Mailing.objects.filter(pk=mailing_id).exists():
            raise CommandError(f"Onbekende uitnodiging: {mailing_id}")
        count = send_mailing(mailing_id)
        self.stdout.write(f"{count} uitnodigingen klaargezet; de workers versturen ze.")
