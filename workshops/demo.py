"""Demo data: the events of the five seed announcements, plus upcoming editions to try.

The seed events keep their real dates (mostly past by now); the upcoming editions are
placed relative to the day they are first loaded so that a newcomer can register, and are
never moved afterwards. Everything is keyed by slug: loading twice changes nothing.

Where a seed is silent, the choices are ours and are marked ``# assumed`` below.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction

from events.models import Event, Organisation, ProgrammeItem, Series, Speaker, Venue
from workshops.models import Material, Round, Workshop

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day, hhmm):
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=AMSTERDAM)


ORGANISATIONS = [
    ("vng", "Vereniging van Nederlandse Gemeenten", "VNG", "https://vng.nl", "info@vng.nl"),
    ("bzk", "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties", "BZK", "https://www.rijksoverheid.nl", ""),
    ("provincie-gelderland", "Provincie Gelderland", "Gelderland", "https://www.gelderland.nl", ""),
    ("bmc", "BMC", "BMC", "https://www.bmc.nl", "lokaledriehoek@bmc.nl"),
    ("overheid-van-nu", "Overheid van Nu", "Overheid van Nu", "https://www.overheidvannu.nl", ""),
    ("rijk-van-nijmegen", "Rijk van Nijmegen", "", "", ""),
    ("vgs", "Vereniging van Gemeentesecretarissen", "VGS", "", ""),
    ("democratie-in-actie", "Democratie in Actie", "", "", ""),
]

SPEAKERS = {
    "boswinkel": ("Eva Boswinkel", "voormalig wethouder in de gemeente Zutphen en voormalig voorzitter van de M50", ""),
    "bruls": ("Hubert Bruls", "burgemeester", "gemeente Nijmegen"),
    "kok": ("Andries Kok", "directeur Lokaal Bestuur en Informatiesamenleving", "VNG"),
    "rommers": ("Martin Rommers", "gemeentesecretaris", "gemeente Bronckhorst"),
    "huurneman": ("Melanie Huurneman", "", ""),
    "voerman": ("Han Peter Voerman", "", ""),
    "de_vries": ("Kees de Vries", "", ""),
    "jansen": ("Sjoerd Jansen", "", "Twente Board"),
    "van_der_valk": ("Dave van der Valk", "", "Kids4Twente"),
    "burgers": (
        "Natalie Burgers",
        "programmadirecteur Regio Deals en andere regionale programma's",
        "ministerie van BZK",
    ),
    "van_der_kaaij": ("Christiaan van der Kaaij", "onderzoeker regionale samenwerking", "NSOB"),
}

VENUES = {
    "vasim": dict(
        name="De Vasim",
        address="Winselingseweg 41",
        postcode="6541 AH",
        city="Nijmegen",  # assumed address
        province="Gelderland",
        route_notes="Op loopafstand van station Nijmegen Dukenburg; parkeren op het terrein.",
    ),  # assumed
    "emma": dict(
        name="EMMA",
        address="Wijnhaven 88",
        postcode="2511 GA",
        city="Den Haag",
        province="Zuid-Holland",
        route_notes="Op loopafstand van station Den Haag Centraal.",
    ),  # assumed
}

# Who keeps each venue and speaker up to date: the lead organisation of the events using it.
VENUE_OWNERS = {"vasim": "vng", "emma": "overheid-van-nu"}
SPEAKER_OWNERS = dict.fromkeys(("jansen", "van_der_valk", "burgers", "van_der_kaaij"), "overheid-van-nu")
DEFAULT_SPEAKER_OWNER = "vng"

DAG_DESCRIPTION = """Samen in gesprek over de praktijk van regionale samenwerking.

De Ambtelijke Dag van de Regio's is een initiatief van de VNG, het ministerie van BZK en de provincie Gelderland, uitgevoerd in samenwerking met Rijk van Nijmegen en de Vereniging van Gemeentesecretarissen. Tijdens de dag komen beleidsmedewerkers, strategen en directeuren van gemeenten, provincies en regionale samenwerkingsverbanden bijeen om met elkaar in gesprek te gaan over de praktijk van regionale samenwerking. Als deelnemer gaat u naar huis met nieuwe inspiratie, praktische handvatten én een groter netwerk!

Een week voor de bijeenkomst ontvangt u van ons een definitieve bevestiging per e-mail met alle informatie."""

WORKSHOPS_ROUND_1 = [  # assumed: the seed does not say which workshop runs in which round
    ("Eén sterk geluid uit de regio: samenwerken met impact richting het Rijk", ""),
    ("Collectief opdrachtgeverschap: sterker samenspel tussen gemeenten en GR'en", ""),
    ("Wie stuurt de regio? Over regie en samenwerking", ""),
    ("Meer uitvoeringskracht in de regio: de sleutelrol van gemeentesecretaris", ""),
    ("De Fishbowl: Wat partners écht vinden van samenwerken met gemeenten", ""),
]
WORKSHOPS_ROUND_2 = [
    ("Raadsleden in positie in de regio: politiek-ambtelijk samenspel", ""),
    ("Samenwerking waarderen: van buikgevoel naar bewuste keuzes", ""),
    ("Participatie bij regionale visievorming", ""),
    (
        "De regio in het bestuur van morgen",
        "In gesprek over de positie van regionale samenwerking in het openbaar bestuur",
    ),
]

REGIO_MORGEN_DESCRIPTION = """Regio's hebben geen formele plek in de bestuurlijke inrichting van Rijk, provincies en gemeenten. Toch wordt de regionale schaal steeds vaker gebruikt om taken uit te voeren en maatschappelijke opgaven aan te pakken. Het belang van de regio groeit: we verwachten steeds meer van de slagkracht van de regio en steeds meer verdelingsvraagstukken komen op regionaal niveau te liggen.

BZK werkt aan een visie op de regio en regionale samenwerking. Doel is een duidelijke positie van de regio in het openbaar bestuur en regie op regionalisering, ten behoeve van een toekomstbestendige bestuurlijke inrichting van Nederland. In deze workshop gaan we daarover met elkaar in gesprek."""

REGIO_MORGEN_MATERIAL = [
    (
        "Aanleiding: visie op de regio en regionale samenwerking",
        """Veel regio(nalisering), weinig (bewuste) keuzes.
- Regio's hebben geen formele plek in de bestuurlijke inrichting van Rijk, provincies en gemeenten. Toch wordt de regionale schaal steeds vaker gebruikt om taken uit te voeren en maatschappelijke opgaven aan te pakken.
- Het belang van de regio groeit. De regio wordt in de praktijk steeds vaker als bestuurslaag benaderd.
- BZK werkt aan een visie op de regio en regionale samenwerking.

Verduidelijking vooraf: met 'de regio' wordt bedoeld de schaal van bestuurlijke samenwerking tussen verschillende overheden (en mogelijke andere partners) in een gebied, ten behoeve van de realisatie van taken, opgaven en ambities van deelnemers. Het gaat niet over 'de regio' in de zin van de geografische gebieden buiten de Randstad.

Bron kaart: BZK regioatlas, bewerking PBL (Atlas van de Regio).""",
    ),
    (
        "Eerste analyse: kansen en spanningen",
        """Wat zien we?
- De regio is onmisbaar voor opgaven en uitvoering
- Verwachtingen nemen toe: slagkracht, samenhang, verdeling
- Bevoegdheden, geld en verantwoording liggen vaak elders
- Sectorale indelingen bemoeilijken integrale afweging
- Democratische grip en herkenbaarheid staan onder druk

Welke keuzes roept dit op?
- Regionale slagkracht vs. lokale autonomie
- Passende schaal vs. herkenbare inrichting
- Maatwerk vs. uniformiteit
- Sectorale effectiviteit vs. integrale besluitvorming
- Vrijwilligheid vs. robuustheid""",
    ),
    (
        "Vragen voor het gesprek",
        """Denk met elkaar na over:
- Waar zien we regionale samenwerking in de toekomstige inrichting van het openbaar bestuur?
- Welke kansen en knelpunten uit de praktijk zijn daarvoor bepalend?
- Aan welke knoppen kunnen of moeten we draaien om daar te komen?""",
    ),
]

DRIEHOEK_DESCRIPTION = """Besturen doe je - beter - samen! De leerbijeenkomsten zijn erop gericht om het samenspel tussen griffier, burgemeester en gemeentesecretaris te versterken.

De bijeenkomsten zijn niet regio-gebonden. Als een datum in een andere regio dan die van uw gemeente (beter) schikt, kunt u zich daar gewoon voor inschrijven.

Tijdens de bijeenkomsten ligt de focus op samenwerking en reflectie binnen de driehoek. Met een interactief spel worden praktijkdilemma's behandeld. Daarnaast is er ruimte voor bewustwording, dialoog en intervisie. Adviseurs van BMC begeleiden de bijeenkomsten. Meer dan honderd driehoeken namen eerder al enthousiast deel aan de leerbijeenkomsten. De bijeenkomsten in 2026 worden wederom mogelijk gemaakt i.s.m. het ministerie van BZK en het netwerk Democratie in Actie.

De leerbijeenkomsten van een dagdeel zijn bedoeld voor deelname door de voltallige driehoek en voor maximaal zes driehoeken per bijeenkomst, vol = vol. Aanmelden kan tot 4 weken voorafgaand aan de bijeenkomst.

Bij toelating ontvangt u ongeveer een week voor aanvang het programma en het 'huiswerk' voor op de heen- en terugweg. Er zijn geen kosten verbonden aan deelname, maar wel de verplichting om als u zegt te komen er ook te zijn.

We zoeken nog locaties om bijeenkomsten te houden. Mocht u andere driehoeken (kosteloos) willen en kunnen ontvangen in uw gemeentehuis, laat het ons weten."""

DRIEHOEK_SESSIONS_2026 = [
    (date(2026, 4, 10), "Friesland / Groningen / Drenthe (Noord)"),
    (date(2026, 4, 17), "Noord-Holland / Zuid-Holland / Flevoland"),
    (date(2026, 5, 29), "Overijssel / Gelderland"),
    (date(2026, 6, 12), "Noord-Brabant / Zeeland / Limburg"),
    (date(2026, 9, 18), "Friesland / Groningen / Drenthe / Overijssel (Noord)"),
    (date(2026, 10, 9), "Gelderland / Utrecht / Flevoland / Noord-Holland (Midden)"),
    (date(2026, 11, 6), "Limburg / Noord-Brabant / Zuid-Holland (Zuid)"),
]

AVN_DESCRIPTION = """Dit is de tweede aflevering van Ambtenaar van Nu – het leerprogramma van Overheid van Nu voor bevlogen ambtenaren.

In deze tweede aflevering op 12 september gaat het over zorgen dat echt elke regio telt. De laatste jaren zet de rijksoverheid in op beleid dat de 'brede welvaart' in de regio's wil vergroten. Daartoe worden regiodeals en andere programmatische samenwerkingen in het leven geroepen waarin Rijk en lokale en regionale partijen samen optrekken. Hoe doen we dat met elkaar? Hoe creëren we vertrouwen? En hoe komen we van tijdelijke tot langjarige programma's?

We zoomen in op regionale samenwerking in Twente. Met Sjoerd Jansen van Twente Board. Dit samenwerkingsverband van ondernemers, onderwijsinstellingen en overheid maakt zich hard voor investeringen in kansrijke en innovatieve projecten (zoals binnen de Regio Deals) om van Twente 'een groene technologische topregio' te maken. En met Dave van der Valk van Kids4Twente – een programma uit de Regio Deal Twente II, met als missie om kinderen in het primair onderwijs te interesseren voor technologie/techniek.

Vervolgens zoomen we uit met Natalie Burgers, programmadirecteur Regio Deals en andere regionale programma's vanuit BZK. En met Christiaan van der Kaaij van de NSOB, onderzoeker op het gebied van regionale samenwerkingen en medeauteur van onder meer 'Kwesties op de kaart' – over netwerksamenwerking.

Overkoepelend: wat leren we van de casus Twente waar ook andere regionale samenwerkingen – en ook Den Haag – hun voordeel mee kunnen doen? We komen zo uit op een serie praktische handvatten voor de beleidsmedewerker bij het ministerie, de provincie, gemeente en het regionaal samenwerkingsverband."""

DIALOGUE_DESCRIPTION = """Op 18 september 2024 start de VNG een verenigingsdialoog om te komen tot een gezamenlijke visie op regionale samenwerking.

Gemeenten participeren steeds vaker in uiteenlopende regionale samenwerkingsverbanden. Die samenwerking biedt allerlei voordelen, maar roept ook vragen op. Deze dialoog is onderdeel van de VNG Verenigingsstrategie 2030 en neemt de vorm aan van een open en transparant gesprek over de beelden, thema's, obstakels en oplossingen op het gebied van regionale samenwerking.

Voor wie: raadsleden, burgemeesters, wethouders, gemeentesecretarissen, griffiers en gemeenteambtenaren die betrokken zijn bij regionale samenwerking. De dialoog is digitaal, zodat meedoen laagdrempelig is en weinig tijd kost.

De dialoog bestaat uit een aantal interactieve stappen en loopt van 18 september tot half december 2024. De opbrengst wordt begin 2025 vastgelegd in een advies van de VNG, dat ook onderdeel vormt van het visietraject Goed Lokaal Bestuur en wordt geagendeerd in de relevante VNG-commissies. De VNG wordt ondersteund door de Facilitating Company, die als onafhankelijke facilitator de dialoog begeleidt.

Vragen of opmerkingen? Mail naar dialoogregionalesamenwerking@vng.nl."""


class Loader:
    def __init__(self, today):
        self.today = today
        self.orgs = {}
        self.speakers = {}
        self.venues = {}

    def run(self):
        for slug, name, short, website, email in ORGANISATIONS:
            self.orgs[slug], _ = Organisation.objects.get_or_create(
                slug=slug, defaults=dict(name=name, short_name=short, website=website, contact_email=email)
            )
        for key, (name, function, organisation) in SPEAKERS.items():
            owner = self.orgs[SPEAKER_OWNERS.get(key, DEFAULT_SPEAKER_OWNER)]
            self.speakers[key], _ = Speaker.objects.get_or_create(
                name=name, function=function, defaults=dict(organisation=organisation, owner=owner)
            )
        for key, fields in VENUES.items():
            owner = self.orgs[VENUE_OWNERS[key]]
            self.venues[key], _ = Venue.objects.get_or_create(
                name=fields["name"], city=fields["city"], defaults={**fields, "owner": owner}
            )
        self.ambtelijke_dag(
            slug="ambtelijke-dag-van-de-regios-2026",
            day=date(2026, 6, 18),
            edition="Tweede editie",
            opens=at(date(2026, 3, 2), "09:00"),
        )
        self.ambtelijke_dag(
            slug="ambtelijke-dag-van-de-regios-demo",
            day=self.next_weekday(self.today + timedelta(weeks=8), 3),
            edition="Derde editie (oefenversie om het aanmelden te proberen)",
            opens=None,
        )
        # Three weeks ago, so an organiser can try what comes after the day: who came, who
        # did not, and the proof of attendance (its registrations: registrations.demo).
        self.ambtelijke_dag(
            slug="ambtelijke-dag-van-de-regios-demo-afgelopen",
            day=self.next_weekday(self.today - timedelta(weeks=3), 3),
            edition="Oefeneditie (afgelopen, om aanwezigheid en bewijzen van deelname te proberen)",
            opens=None,
        )
        self.driehoeken()
        self.ambtenaar_van_nu()
        self.dialogue()

    @staticmethod
    def next_weekday(day, weekday):
        return day + timedelta(days=(weekday - day.weekday()) % 7)

    def event(self, slug, organisations, **fields):
        event, created = Event.objects.get_or_create(slug=slug, defaults=fields)
        if created:
            event.organisations.set(organisations)
        return event, created

    def programme(self, event, items):
        for start, end, title, description, moderator, guests in items:
            item = ProgrammeItem.objects.create(
                event=event,
                starts_at=start,
                ends_at=end,
                title=title,
                description=description,
                moderator=self.speakers.get(moderator),
            )
            item.speakers.set([self.speakers[key] for key in guests])

    def ambtelijke_dag(self, *, slug, day, edition, opens):
        event, created = self.event(
            slug,
            [self.orgs["vng"], self.orgs["bzk"], self.orgs["provincie-gelderland"]],
            kind=Event.Kind.CONFERENCE,
            title="De Ambtelijke Dag van de Regio's",
            subtitle=f"{edition} — Samen in gesprek over de praktijk van regionale samenwerking",
            starts_at=at(day, "10:00"),
            ends_at=at(day, "16:30"),
            venue=self.venues["vasim"],
            summary="Beleidsmedewerkers, strategen en directeuren van gemeenten, provincies en regionale "
            "samenwerkingsverbanden in gesprek over de praktijk van regionale samenwerking.",
            description=DAG_DESCRIPTION,
            practical_info="Deelname is gratis. Geef bij uw aanmelding eventuele dieetwensen voor de netwerklunch door.",
            is_free=True,
            registration_mode="person",
            admission=Event.Admission.DIRECT,
            capacity=200,  # assumed
            registration_opens_at=opens,
            registration_closes_at=at(day - timedelta(days=8), "23:59"),  # assumed: before the definitive mail
            status=Event.Status.PUBLISHED,
            confirmation_days_before=7,
        )
        if not created:
            return
        # assumed: the seed gives 10.00, 10.30 and 16.30; the other times are ours.
        self.programme(
            event,
            [
                (at(day, "10:00"), at(day, "10:30"), "Ontvangst", "", None, []),
                (
                    at(day, "10:30"),
                    at(day, "11:30"),
                    "Plenair programma",
                    "Gespreksleider Eva Boswinkel gaat in gesprek met haar gasten.",
                    "boswinkel",
                    ["bruls", "kok", "rommers"],
                ),
                (at(day, "11:45"), at(day, "12:45"), "Workshopronde 1", "", None, []),
                (at(day, "12:45"), at(day, "13:45"), "Netwerklunch", "", None, []),
                (at(day, "13:45"), at(day, "14:45"), "Workshopronde 2", "", None, []),
                (at(day, "15:00"), at(day, "15:45"), "Plenaire afsluiting", "", None, []),
                (at(day, "15:45"), at(day, "16:30"), "Borrel", "", None, []),
            ],
        )
        rooms = iter(["Zaal 1", "Zaal 2", "Zaal 3", "Zaal 4", "Zaal 5"] * 2)  # assumed
        for number, (start, end, workshops, capacity) in enumerate(
            [("11:45", "12:45", WORKSHOPS_ROUND_1, 40), ("13:45", "14:45", WORKSHOPS_ROUND_2, 50)], start=1
        ):
            rnd = Round.objects.create(
                event=event,
                number=number,
                title=f"Workshopronde {number}",
                starts_at=at(day, start),
                ends_at=at(day, end),
            )
            for title, subtitle in workshops:
                workshop = Workshop.objects.create(
                    round=rnd, title=title, subtitle=subtitle, room=next(rooms), capacity=capacity
                )
                if title == "De regio in het bestuur van morgen":
                    workshop.description = REGIO_MORGEN_DESCRIPTION
                    workshop.save(update_fields=["description"])
                    workshop.hosts.set([self.speakers[k] for k in ("huurneman", "voerman", "de_vries")])
                    for order, (mtitle, body) in enumerate(REGIO_MORGEN_MATERIAL):
                        Material.objects.create(
                            workshop=workshop, title=mtitle, body=body, order=order, for_participants_only=True
                        )

    def driehoeken(self):
        series, _ = Series.objects.get_or_create(
            slug="versterking-lokale-driehoeken-2026",
            defaults=dict(
                title="Leerbijeenkomsten Versterking lokale driehoeken 2026",
                summary="Besturen doe je - beter - samen! Regionale leerbijeenkomsten voor de "
                "driehoek griffier, burgemeester en gemeentesecretaris.",
                description=DRIEHOEK_DESCRIPTION,
            ),
        )
        series.organisations.add(self.orgs["bmc"], self.orgs["bzk"], self.orgs["democratie-in-actie"])
        for number, (day, regions) in enumerate(DRIEHOEK_SESSIONS_2026, start=1):
            self.driehoek_session(series, f"leerbijeenkomst-driehoeken-2026-{number}", number, day, regions)
        demo, _ = Series.objects.get_or_create(
            slug="versterking-lokale-driehoeken-demo",
            defaults=dict(
                title="Leerbijeenkomsten Versterking lokale driehoeken (oefenreeks)",
                summary="Komende bijeenkomsten om het aanmelden als driehoek te proberen.",
                description=DRIEHOEK_DESCRIPTION,
            ),
        )
        demo.organisations.add(self.orgs["bmc"])
        for number, (weeks, regions) in enumerate(
            [
                (7, "Friesland / Groningen / Drenthe (Noord)"),
                (9, "Overijssel / Gelderland"),
                (11, "Noord-Brabant / Zeeland / Limburg"),
            ],
            start=1,
        ):
            day = self.next_weekday(self.today + timedelta(weeks=weeks), 4)
            self.driehoek_session(demo, f"leerbijeenkomst-driehoeken-demo-{number}", number, day, regions)
        # One that has taken place (see the past Ambtelijke Dag above).
        day = self.next_weekday(self.today - timedelta(weeks=3), 4)
        self.driehoek_session(
            demo,
            "leerbijeenkomst-driehoeken-demo-afgelopen",
            None,
            day,
            "Gelderland / Utrecht",
            title="Leerbijeenkomst lokale driehoeken (afgelopen): Gelderland / Utrecht",
        )

    def driehoek_session(self, series, slug, number, day, regions, title=None):
        starts = at(day, "13:00")  # assumed: "een dagdeel"
        self.event(
            slug,
            [self.orgs["bmc"]],
            kind=Event.Kind.TEAM_SESSION,
            title=title or f"Leerbijeenkomst lokale driehoeken {number}: {regions}",
            subtitle="Besturen doe je - beter - samen",
            series=series,
            episode=number,
            starts_at=starts,
            ends_at=at(day, "17:00"),
            regions=regions,
            summary="Leerbijeenkomst van een dagdeel voor de voltallige driehoek: griffier, burgemeester en "
            "gemeentesecretaris. Maximaal zes driehoeken, vol = vol.",
            description=DRIEHOEK_DESCRIPTION,
            practical_info="De locatie wordt bekendgemaakt aan de toegelaten driehoeken.",
            is_free=True,
            attendance_required=True,
            registration_mode="team",
            admission=Event.Admission.BY_ORGANISER,
            capacity=6,
            # Closes four weeks before the session starts, to the minute.
            registration_closes_at=starts - timedelta(weeks=4),
            status=Event.Status.PUBLISHED,
            confirmation_days_before=7,
        )

    def ambtenaar_van_nu(self):
        series, _ = Series.objects.get_or_create(
            slug="ambtenaar-van-nu",
            defaults=dict(
                title="Ambtenaar van Nu", summary="Het leerprogramma van Overheid van Nu voor bevlogen ambtenaren."
            ),
        )
        series.organisations.add(self.orgs["overheid-van-nu"])
        day = date(2025, 9, 12)  # assumed year: the seed gives "12 september" only
        event, created = self.event(
            "ambtenaar-van-nu-welvarende-regios",
            [self.orgs["overheid-van-nu"]],
            kind=Event.Kind.MEETING,
            title="Ambtenaar van Nu: Welvarende regio's",
            subtitle="Aflevering 2 – zorgen dat echt elke regio telt",
            series=series,
            episode=2,
            starts_at=at(day, "13:00"),  # assumed: the seed leaves the time open
            ends_at=at(day, "17:00"),
            venue=self.venues["emma"],
            summary="Over regiodeals, brede welvaart en regionale samenwerking, met de casus Twente.",
            description=AVN_DESCRIPTION,
            registration_mode="person",
            capacity=80,  # assumed
            status=Event.Status.PUBLISHED,
        )
        if created:
            self.programme(
                event,
                [
                    (
                        at(day, "13:00"),
                        at(day, "15:00"),
                        "Inzoomen: regionale samenwerking in Twente",
                        "",
                        None,
                        ["jansen", "van_der_valk"],
                    ),
                    (
                        at(day, "15:00"),
                        at(day, "17:00"),
                        "Uitzoomen: het overkoepelende verhaal",
                        "",
                        None,
                        ["burgers", "van_der_kaaij"],
                    ),
                ],
            )

    def dialogue(self):
        event, created = self.event(
            "verenigingsdialoog-regionale-samenwerking",
            [self.orgs["vng"]],
            kind=Event.Kind.DIALOGUE,
            title="Denkt u mee over regionale samenwerking?",
            subtitle="Een verenigingsdialoog om te komen tot een gezamenlijke visie op regionale samenwerking",
            starts_at=at(date(2024, 9, 18), "09:00"),
            ends_at=at(date(2024, 12, 15), "23:59"),  # "half december"
            online=True,
            summary="Digitale dialoog van de VNG voor raadsleden, burgemeesters, wethouders, gemeentesecretarissen, "
            "griffiers en gemeenteambtenaren.",
            description=DIALOGUE_DESCRIPTION,
            registration_mode="none",
            status=Event.Status.PUBLISHED,
        )
        if created:
            ProgrammeItem.objects.create(
                event=event, starts_at=at(date(2024, 9, 18), "09:00"), title="Start van de dialoog"
            )
            ProgrammeItem.objects.create(
                event=event,
                starts_at=at(date(2024, 10, 7), "23:59"),
                is_deadline=True,
                title="De eerste interactieve stap staat open",
            )
            ProgrammeItem.objects.create(
                event=event,
                starts_at=at(date(2025, 1, 15), "09:00"),
                title="De opbrengst wordt vastgelegd in een advies van de VNG (begin 2025)",
            )


@transaction.atomic
def load_demo(today=None):
    Loader(today or date.today()).run()
