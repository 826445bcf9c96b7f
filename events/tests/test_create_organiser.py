"""create_organiser makes a working organiser: set password by the one-time link, enrol, manage."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import totp_code
from events.permissions import ORGANISER_GROUP

NEW_PASSWORD = "een-lang-nieuw-wachtwoord"


def create(*args):
    out = StringIO()
    call_command("create_organiser", *args, stdout=out)
    return out.getvalue()


def test_the_command_creates_an_organiser_who_sets_a_password_enrols_and_manages_events(
    other_organisation, organisation, conference
):
    output = create("ria", "ria@vng.nl", "vng")
    user = get_user_model().objects.get(username="ria")
    assert user.is_staff and not user.is_superuser and not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == [ORGANISER_GROUP]
    assert list(user.organisations.all()) == [other_organisation]

    link = re.search(r"http://\S+", output).group(0)
    path = link.removeprefix(settings.SITE_URL)
    client = Client()
    form_url = client.get(path)["Location"]  # Django swaps the token for a session key
    too_short = client.post(form_url, {"new_password1": "Kx9#mQ2!vLp", "new_password2": "Kx9#mQ2!vLp"})
    assert too_short.status_code == 200 and "12" in too_short.content.decode()
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password_set")
    # The link worked once.
    assert not Client().get(path, follow=True).context["validlink"]

    login = client.post(reverse("admin:login"), {"username": "ria", "password": NEW_PASSWORD, "next": "/beheer/"})
    assert login.status_code == 302
    assert client.get("/beheer/")["Location"].startswith(reverse("accounts:setup"))
    client.get(reverse("accounts:setup"))
    device = TOTPDevice.objects.get(user=user)
    client.post(reverse("accounts:setup"), {"code": totp_code(device)})
    events = client.get(reverse("admin:events_event_changelist"))
    assert events.status_code == 200
    # An organiser of VNG: BMC's conference is not theirs.
    assert conference.title not in events.content.decode()


def test_the_command_refuses_an_unknown_organisation_and_a_taken_username(organisation, organiser):
    with pytest.raises(CommandError, match="bmc"):
        create("ria", "ria@vng.nl", "vng")
    with pytest.raises(CommandError, match="al een account"):
        create("organisator", "o@bmc.nl", "bmc")
    with pytest.raises(CommandError, match="e-mailadres"):
        create("ria", "geen-adres", "bmc")
    assert not get_user_model().objects.filter(username="ria").exists()
