"""Helpers shared by the event-day tests (badges, lists, check-in, no-shows)."""

import pytest


def workshops_of(event, index=0):
    """One workshop id per round of ``event``: the ``index``-th of each round."""
    return [list(r.workshops.order_by("pk"))[index].pk for r in event.rounds.order_by("number")]


# Imported under this name by the test modules; pytest knows it by ``name``.
@pytest.fixture(name="organiser_client")
def organiser_client_fixture(client, organiser):
    client.force_login(organiser)
    return client
