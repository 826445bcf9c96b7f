"""Create the demo accounts for a local run and print how to log in.

Passwords are generated once and kept in var/ so that every `make run` prints the same
ones; this command refuses to run with DEBUG off, so it never touches production.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from events.models import Organisation
from events.permissions import ORGANISER_GROUP, ensure_organiser_group

DEMO_USERS = [
    # username, organisation slug (None = platform administrator)
    ("admin", None),
    ("bmc", "bmc"),
    ("vng", "vng"),
]


class Command(BaseCommand):
    help = "Maakt de demo-accounts aan (alleen met DEBUG aan) en toont de inloggegevens."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Alleen voor een lokale demo (DEBUG aan).")
        ensure_organiser_group()
        store = settings.VAR_DIR / "demo-passwords.txt"
        known = {}
        if store.exists():
            known = dict(line.split(" ", 1) for line in store.read_text().splitlines() if " " in line)
        User = get_user_model()
        lines = []
        for username, org_slug in DEMO_USERS:
            password = known.get(username) or secrets.token_urlsafe(9)
            user, _ = User.objects.get_or_create(username=username, defaults={"email": f"{username}@example.org"})
            user.is_staff = True
            user.is_superuser = org_slug is None
            user.set_password(password)
            user.save()
            if org_slug:
                user.groups.add(Group.objects.get(name=ORGANISER_GROUP))
                Organisation.objects.get(slug=org_slug).members.add(user)
            known[username] = password
            lines.append(
                f"  {username:6} / {password}   ({'beheerder' if org_slug is None else 'organisator ' + org_slug})"
            )
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text("".join(f"{u} {p}\n" for u, p in known.items()))
        store.chmod(0o600)
        # `make run` switches the second factor off (REGIODAG_REQUIRE_2FA=0); production never does.
        self.stdout.write("Inloggen op /beheer/ met (in de demo zonder tweede stap):\n" + "\n".join(lines))
