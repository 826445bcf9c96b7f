"""Two organisations with a bit of everything, for the admin scoping tests.

Every text of an organisation's rows carries its marker, so that a page of the other
organisation's organiser can be searched for it; the rows themselves are listed per model by
hand here (not through the models' ``organisation_path``), so the tests do not check the
scoping rule against itself.
"""

from html.parser import HTMLParser

from django.core.files.base import ContentFile

from conftest import add_material, make_conference, make_team_session, person, team
from events.models import Event, HostOffer, ProgrammeItem, Series, SessionDocument, Speaker, Venue
from registrations.driehoek.admission import register_team
from registrations.mails.participant_messages import send_message
from registrations.models import (
    Attendance,
    Contact,
    GeneratedDocument,
    Mail,
    Mailing,
    Participant,
    ParticipantMessage,
    Registration,
    TeamRegistration,
    WorkshopChoice,
)
from registrations.services.registering import register
from workshops.models import Material, Round, Workshop

OURS = "Bosbes"
THEIRS = "Geheimvng"


def build_world(organisation, marker, municipality):
    """An organisation's venue, speaker, series, conference (with programme, workshops,
    material and a registration), draft event, driehoek session (with a team, a document and
    a host offer); returns {model: [rows]} of everything that is this organisation's."""
    slug = marker.lower()
    venue = Venue.objects.create(name=f"{marker} Zaal", city=f"{marker}stad", owner=organisation)
    speaker = Speaker.objects.create(name=f"{marker} Spreker", owner=organisation)
    series = Series.objects.create(title=f"{marker} Reeks", slug=f"{slug}-reeks")
    series.organisations.add(organisation)
    conference = make_conference(
        organisation,
        venue,
        slug=f"{slug}-dag",
        title=f"{marker} Congres",
        workshop_title=f"{marker} Workshop {{round}}.{{index}}",
    )
    conference.series = series
    conference.save()
    draft = make_conference(organisation, slug=f"{slug}-concept", title=f"{marker} Concept", rounds=0)
    draft.status = Event.Status.DRAFT
    draft.save()
    item = ProgrammeItem.objects.create(
        event=conference, starts_at=conference.starts_at, title=f"{marker} Opening", moderator=speaker
    )
    item.speakers.add(speaker)
    workshop = Workshop.objects.filter(round__event=conference).order_by("pk").first()
    workshop.hosts.add(speaker)
    add_material(workshop, f"{marker} Hand-out", filename=f"{slug}.pdf")
    chosen = [rnd.workshops.order_by("pk").first().pk for rnd in conference.rounds.order_by("number")]
    register(
        conference.pk,
        people=[person(1, chosen, given_name=marker, family_name=f"{marker}s", organisation=f"{marker} Gemeente")],
    )
    session = make_team_session(organisation, series=series, slug=f"{slug}-sessie")
    session.title = f"{marker} Leerbijeenkomst"
    session.save()
    register_team(
        session.pk,
        municipality=municipality,
        people=team(municipality),
        contact_name=f"{marker} Contact",
        contact_email=f"contact@{slug}.nl",
    )
    SessionDocument.objects.create(
        event=session, kind="programme", title=f"{marker} Programma", file=ContentFile(b"%PDF-1.4", name=f"{slug}.pdf")
    )
    HostOffer.objects.create(
        series=series,
        municipality=f"{marker}dorp",
        address="Dorpsstraat 1",
        postcode="1234 AB",
        city=f"{marker}dorp",
        contact_name=f"{marker} Gastheer",
        contact_email=f"gast@{slug}.nl",
        room_capacity=30,
    )
    contact = Contact.objects.create(
        owner=organisation, email=f"lijst@{slug}.nl", given_name=marker, family_name=f"{marker}s", role="griffier"
    )
    mailing = Mailing.objects.create(
        owner=organisation, event=conference, subject=f"{marker} Uitnodiging", text="Tekst"
    )
    message = ParticipantMessage.objects.create(
        event=conference, subject=f"{marker} Andere zaal", body=f"{marker}: de zaal is veranderd."
    )
    send_message(message.pk)
    GeneratedDocument.objects.create(
        event=conference,
        kind=GeneratedDocument.Kind.BADGES,
        status=GeneratedDocument.Status.READY,
        file=ContentFile(f"%PDF-1.4 {marker} badges".encode(), name=f"badges-{slug}.pdf"),
    )
    events = [conference, draft, session]
    registrations = Registration.objects.filter(event__in=events)
    return {
        type(organisation): [organisation],
        Venue: [venue],
        Speaker: [speaker],
        Series: [series],
        Event: events,
        ProgrammeItem: [item],
        SessionDocument: list(SessionDocument.objects.filter(event__in=events)),
        HostOffer: list(HostOffer.objects.filter(series=series)),
        Round: list(Round.objects.filter(event__in=events)),
        Workshop: list(Workshop.objects.filter(round__event__in=events)),
        Material: list(Material.objects.filter(workshop__round__event__in=events)),
        Registration: list(registrations),
        TeamRegistration: list(TeamRegistration.objects.filter(event=session)),
        Participant: list(Participant.objects.filter(registration__in=registrations)),
        WorkshopChoice: list(WorkshopChoice.objects.filter(participant__registration__in=registrations)),
        Attendance: list(Attendance.objects.filter(participant__registration__in=registrations)),
        Mail: list(Mail.objects.filter(registration__in=registrations)),
        Contact: [contact],
        Mailing: [mailing],
        ParticipantMessage: list(ParticipantMessage.objects.filter(event__in=events)),
        GeneratedDocument: list(GeneratedDocument.objects.filter(event__in=events)),
    }


def snapshot(world):
    """Every field of every row of a world, to see that nothing was changed or added."""
    return {
        model: sorted(model._base_manager.filter(pk__in=[row.pk for row in rows]).values_list())
        for model, rows in world.items()
    } | {"mails": Mail.objects.filter(registration__in=world[Registration]).count()}


class FormFields(HTMLParser):
    """The data a browser would send for the admin's main form, as a dict of lists."""

    def __init__(self):
        super().__init__()
        self.data = {}
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self.select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.data[self.select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][0] += data.removeprefix("\n") if not self.data[self.textarea][0] else data


def submitted(html):
    parser = FormFields()
    parser.feed(html)
    return {name: values for name, values in parser.data.items() if "__prefix__" not in name}
