"""Registering a test driehoek: through the service in one line, or as a form post."""

import time

from conftest import team
from regiodag.spam_trap import sign_start
from registrations.driehoek.admission import register_team


def sign_up(event, municipality="Nijmegen", n=1, **kwargs):
    """Team ``n`` of ``municipality``; its contact address is unique per team."""
    return register_team(
        event.pk,
        municipality=municipality,
        people=team(municipality, n),
        contact_name="Carla Contact",
        contact_email=f"contact{n}@{municipality.lower()}.nl",
        **kwargs,
    )


def form_data(municipality="Nijmegen", **overrides):
    """A valid post of the team form; ``overrides`` spoil or change single fields."""
    data = {
        "municipality": municipality,
        "contact_name": "Carla Contact",
        "contact_email": "contact@nijmegen.nl",
        "privacy": "on",
        "website": "",
        # Shown a minute ago (a person's pace), and a stamp of its own for every post.
        "started": sign_start(time.time() - 60),
    }
    for number, (role, given, family) in enumerate(
        [
            ("griffier", "Griet", "Griffier"),
            ("burgemeester", "Bram", "Burgemeester"),
            ("gemeentesecretaris", "Sanne", "Secretaris"),
        ],
        start=1,
    ):
        data |= {
            f"lid{number}-role": role,
            f"lid{number}-given_name": given,
            f"lid{number}-name_prefix": "",
            f"lid{number}-family_name": family,
            f"lid{number}-email": f"{role}@{municipality.lower()}.nl",
        }
    data.update(overrides)
    # ``None`` leaves a field out, as a browser does with an unticked box.
    return {key: value for key, value in data.items() if value is not None}


def host_offer_data(event, **overrides):
    """A valid post of the host-offer form for ``event``'s series."""
    data = {
        "municipality": "Epe",
        "location_name": "Gemeentehuis Epe",
        "address": "Hoofdstraat 28",
        "postcode": "8162 AK",
        "city": "Epe",
        "room_capacity": "30",
        "sessions": [event.pk],
        "contact_name": "Piet Bode",
        "contact_email": "bode@epe.nl",
        "privacy": "on",
        "website": "",
        "started": sign_start(time.time() - 60),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
