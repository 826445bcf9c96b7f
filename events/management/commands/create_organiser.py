"""Create a real organiser of one organisation and print a one-time link to set a password.

The password never passes through the hands (or shell history) of whoever runs this: the link
is Django's password-reset check, which stops working once a password is set, or after
PASSWORD_RESET_TIMEOUT. At the first sign-in the organiser sets up the second factor.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from events.models import Organisation
from events.permissions import ORGANISER_GROUP, ensure_organiser_group


class Command(BaseCommand):
    help = "Maakt een organisator van een organisatie aan en toont een eenmalige link om het wachtwoord in te stellen."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("email")
        parser.add_argument("organisation", help="slug van de organisatie, bijvoorbeeld vng")

    def handle(self, *args, username, email, organisation, **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Ongeldig e-mailadres: {email}") from error
        org = Organisation.objects.filter(slug=organisation).first()
        if org is None:
            known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True)) or "geen"
            raise CommandError(f"Geen organisatie met slug {organisation!r} (bekend: {known}).")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"Er is al een account {username!r}.")
        with transaction.atomic():
            ensure_organiser_group()
            user = User(username=username, email=email, is_staff=True)
            user.set_unusable_password()
            try:
                user.full_clean(exclude=["password"])
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from error
            user.save()
            user.groups.add(Group.objects.get(name=ORGANISER_GROUP))
            org.members.add(user)
        link = settings.SITE_URL + reverse(
            "accounts:set_password",
            args=[urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)],
        )
        days = settings.PASSWORD_RESET_TIMEOUT // 86400
        self.stdout.write(
            f"Organisator {username} van {org} aangemaakt.\n"
            f"Geef deze link alleen aan {email}; hij werkt één keer en {days} dagen lang:\n{link}\n"
            "Na het instellen van het wachtwoord stelt de organisator bij de eerste keer inloggen "
            "de tweestapsverificatie in."
        )
