"""Many registrations for one event at once, written in bulk: for the tests and benchmarks
that measure reads (the dashboard, big documents), not the registration service itself.

Every tenth registration waits and every fifteenth is cancelled; the rest hold a place,
with one workshop per round, and registered on one of ``days`` days before now. With
``checked_in``, that share of the people holding a place is recorded present.
"""

from datetime import timedelta

from django.utils import timezone

from registrations.models import Attendance, Participant, Registration, WorkshopChoice

Status = Registration.Status

GIVEN = ["Esther", "Mohammed", "Anne-Marie", "Jan", "Fatima", "Pieter-Jan", "Saskia", "Henk", "Yara", "Willemijn"]
PREFIXES = ["", "van der", "de", "van", "", "van den", "ter", "", "in 't", ""]
FAMILY = ["Mark", "Bakker", "Vries", "Heuvel-Oosterbeek", "Yılmaz", "Jansen", "Berg", "El Amrani", "Dijk", "Visser"]
ORGANISATIONS = [
    "Gemeente Nijmegen",
    "Provincie Gelderland",
    "Gemeenschappelijke Regeling Veiligheidsregio Gelderland-Zuid en Omgevingsdienst Regio Nijmegen",
    "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "Regio Rivierenland",
]


def status_of(n):
    if n % 10 == 9:
        return Status.WAITLISTED
    if n % 15 == 14:
        return Status.CANCELLED
    return Status.CONFIRMED


def add_registrations(event, count, *, days=14, checked_in=0.0, all_holding=False):
    """``count`` registrations of one person each for ``event``; returns the participants."""
    now = timezone.now()
    rounds = [(rnd, list(rnd.workshops.order_by("pk"))) for rnd in event.rounds.order_by("number")]
    statuses = [Status.CONFIRMED if all_holding else status_of(n) for n in range(count)]
    registrations = Registration.objects.bulk_create(
        Registration(
            event=event,
            email=f"deelnemer{n}@example.org",
            contact_name=f"Deelnemer {n}",
            status=status,
            waitlisted_at=now if status == Status.WAITLISTED else None,
            cancelled_at=now if status == Status.CANCELLED else None,
        )
        for n, status in enumerate(statuses)
    )
    # created_at is set on insert (auto_now_add); spread the registrations over the days after.
    for n, registration in enumerate(registrations):
        registration.created_at = now - timedelta(days=n % days)
    Registration.objects.bulk_update(registrations, ["created_at"], batch_size=1000)
    participants = Participant.objects.bulk_create(
        Participant(
            registration=registration,
            given_name=GIVEN[n % 10],
            name_prefix=PREFIXES[(n // 10) % 10],
            family_name=f"{FAMILY[(n // 100) % 10]}{n}",
            email=registration.email,
            organisation=ORGANISATIONS[n % len(ORGANISATIONS)],
            function="Senior beleidsadviseur regionale samenwerking",
        )
        for n, registration in enumerate(registrations)
    )
    WorkshopChoice.objects.bulk_create(
        WorkshopChoice(participant=participant, round=rnd, workshop=workshops[n % len(workshops)])
        for n, participant in enumerate(participants)
        for rnd, workshops in rounds
    )
    holding = [p for p, status in zip(participants, statuses, strict=True) if status == Status.CONFIRMED]
    Attendance.objects.bulk_create(
        Attendance(participant=p, status=Attendance.Status.PRESENT, method=Attendance.Method.SCAN)
        for p in holding[: int(len(holding) * checked_in)]
    )
    return participants
