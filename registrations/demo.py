"""Invented registrations for the upcoming demo editions.

With them an organiser trying the demo has something to admit, print badges and lists
for, and check in. The names are made up and the addresses use example.org, a domain
reserved for examples, so no mail can reach a real person. They are registered through
the same services as real ones, so the demo also exercises the real rules.
"""

from datetime import timedelta
from itertools import cycle

from events.models import Event
from events.municipalities import municipality_names
from registrations.checkin.attendance import check_in, record_attendance
from registrations.driehoek.admission import admit, register_team
from registrations.models import Attendance, Participant, Registration
from registrations.services.registering import Person, register

GIVEN = [
    "Anouk",
    "Bas",
    "Carlijn",
    "Daan",
    "Esther",
    "Freek",
    "Germaine",
    "Hidde",
    "Ilse",
    "Joost",
    "Karin",
    "Lars",
    "Marieke",
    "Niels",
    "Olga",
    "Pieter",
    "Roos",
    "Sjoerd",
    "Tamara",
    "Wouter",
]
FAMILY = [
    ("", "Bakker"),
    ("van der", "Mark"),
    ("de", "Vries"),
    ("", "Jansen"),
    ("van", "Dijk"),
    ("", "Visser"),
    ("", "Smit"),
    ("de", "Boer"),
    ("van den", "Berg"),
    ("", "Mulder"),
    ("ter", "Horst"),
    ("", "Huisman"),
]
FUNCTIONS = [
    "beleidsadviseur regionale samenwerking",
    "strateeg",
    "directeur bedrijfsvoering",
    "programmamanager regio deal",
    "concernsecretaris",
    "adviseur bestuurszaken",
]

CONFERENCE = "ambtelijke-dag-van-de-regios-demo"
FIRST_SESSION = "leerbijeenkomst-driehoeken-demo-1"
PARTICIPANTS = 40
TEAM_MEMBERS = [
    ("griffier", "Griet", "Griffier"),
    ("burgemeester", "Bram", "Burgemeester"),
    ("gemeentesecretaris", "Sanne", "Secretaris"),
]
TEAMS = [("Zutphen", True), ("Bronckhorst", True), ("Súdwest-Fryslân", False), ("Tilburg", False)]
# Others than TEAMS: a municipality holds one place in a series at a time.
PAST_TEAMS = [("Apeldoorn", True), ("Utrechtse Heuvelrug", True), ("Deventer", False)]


PAST_CONFERENCE = "ambtelijke-dag-van-de-regios-demo-afgelopen"
PAST_SESSION = "leerbijeenkomst-driehoeken-demo-afgelopen"
# Of the past editions' participants, every so many did not come (the rest checked in).
NO_SHOW_EVERY = 5


def load_demo_registrations():
    """Register invented people for the demo editions once; later runs change nothing."""
    conference = Event.objects.filter(slug=CONFERENCE).first()
    if conference and not conference.registrations.exists():
        register_people(conference)
    session = Event.objects.filter(slug=FIRST_SESSION).first()
    if session and not session.registrations.exists():
        register_teams(session)
    load_past_attendance()


def load_past_attendance():
    """The past editions: registered while they were open (the services take that moment),
    then who came, as at the door and afterwards, so their certificates can be tried."""
    conference = Event.objects.filter(slug=PAST_CONFERENCE).first()
    if conference and not conference.registrations.exists():
        register_people(conference, now=conference.starts_at - timedelta(days=14))
        for n, participant in enumerate(participants_of(conference)):
            if n % NO_SHOW_EVERY:
                check_in(participant.pk)
    session = Event.objects.filter(slug=PAST_SESSION).first()
    if session and not session.registrations.exists():
        register_teams(session, PAST_TEAMS, now=session.starts_at - timedelta(weeks=6))
        for n, participant in enumerate(participants_of(session, admitted_only=True)):
            status = Attendance.Status.ABSENT if n % NO_SHOW_EVERY == NO_SHOW_EVERY - 1 else Attendance.Status.PRESENT
            record_attendance(participant.pk, status)


def participants_of(event, admitted_only=False):
    participants = Participant.objects.filter(registration__event=event).order_by("pk")
    if admitted_only:
        participants = participants.filter(registration__status=Registration.Status.CONFIRMED)
    return list(participants)


def register_people(event, now=None):
    rounds = [list(r.workshops.order_by("pk").values_list("pk", flat=True)) for r in event.rounds.order_by("number")]
    places = cycle(FAMILY)
    towns = municipality_names()
    for n in range(PARTICIPANTS):
        prefix, family = next(places)
        register(
            event.pk,
            people=[
                Person(
                    given_name=GIVEN[n % len(GIVEN)],
                    name_prefix=prefix,
                    family_name=family if n < len(FAMILY) else f"{family}-{GIVEN[(n * 7) % len(GIVEN)]}",
                    email=f"deelnemer{n + 1}@example.org",
                    organisation=f"Gemeente {towns[(n * 37) % len(towns)]}",
                    function=FUNCTIONS[n % len(FUNCTIONS)],
                    dietary_wishes="vegetarisch" if n % 5 == 0 else "",
                    workshop_ids=tuple(workshops[n % len(workshops)] for workshops in rounds),
                )
            ],
            now=now,
        )


def register_teams(event, teams=TEAMS, now=None):
    for municipality, admitted in teams:
        slug = municipality.lower().replace("ú", "u").replace("â", "a").replace(" ", "")
        registration = register_team(
            event.pk,
            municipality=municipality,
            contact_name=f"Bestuurssecretariaat {municipality}",
            contact_email=f"secretariaat@{slug}.example.org",
            people=[
                Person(
                    given_name=given,
                    family_name=f"{family}-{municipality}",
                    role=role,
                    email=f"{role.removeprefix('gemeente')}@{slug}.example.org",
                    organisation=f"Gemeente {municipality}",
                )
                for role, given, family in TEAM_MEMBERS
            ],
            now=now,
        )
        if admitted:
            admit([registration.pk], now=now)
