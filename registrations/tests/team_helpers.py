"""Registering a test driehoek through the real service, in one line."""

from conftest import team
from registrations.services.admission import register_team


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
