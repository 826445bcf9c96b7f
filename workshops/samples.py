"""A conference day with workshop rounds, built through the models.

Tests and benchmarks both need one; building it in one place keeps them measuring and
checking the same shape of event.
"""

from datetime import timedelta

from django.utils import timezone

from events.models import Event
from workshops.models import Round, Workshop


def make_conference(
    organisation,
    venue=None,
    *,
    capacity=100,
    workshop_capacity=10,
    rounds=2,
    per_round=2,
    slug="testdag",
    title="Testdag van de Regio's",
    workshop_title="Workshop {round}.{index}",
    starts_in=timedelta(days=30),
):
    """A published conference ``starts_in`` from now, open for registration, with
    ``rounds`` rounds of ``per_round`` workshops each."""
    starts = timezone.now().replace(microsecond=0) + starts_in
    event = Event.objects.create(
        kind=Event.Kind.CONFERENCE,
        title=title,
        slug=slug,
        starts_at=starts,
        ends_at=starts + timedelta(hours=6),
        venue=venue,
        capacity=capacity,
        registration_mode="person",
        status=Event.Status.PUBLISHED,
    )
    event.organisations.add(organisation)
    for number in range(1, rounds + 1):
        rnd = Round.objects.create(
            event=event,
            number=number,
            starts_at=starts + timedelta(hours=number),
            ends_at=starts + timedelta(hours=number, minutes=50),
        )
        Workshop.objects.bulk_create(
            Workshop(
                round=rnd,
                title=workshop_title.format(round=number, index=index),
                capacity=workshop_capacity,
                room=f"Zaal {index}",
            )
            for index in range(1, per_round + 1)
        )
    return event
