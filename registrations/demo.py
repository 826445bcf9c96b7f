"""Invented registrations for the upcoming demo editions.

With them an organiser trying the demo has something to admit, print badges and lists
for, and check in. The names are made up and the addresses use example.org, a domain
reserved for examples, so no mail can reach a real person. They are registered through
the same services as real ones, so the demo also exercises the real rules.
"""

from itertools import cycle

from events.models import Event
from events.municipalities import municipality_names
from registrations.services.admission import admit, register_team
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


def load_demo_registrations():
    """Register invented people for the demo editions once; later runs change nothing."""
    conference = Event.objects.filter(slug=CONFERENCE).first()
    if conference and not conference.registrations.exists():
        register_people(conference)
    session = Event.objects.filter(slug=FIRST_SESSION).first()
    if session and not session.registrations.exists():
        register_teams(session)


def register_people(event):
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
        )


def register_teams(event):
    for municipality, admitted in TEAMS:
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
        )
        if admitted:
            admit([registration.pk])
