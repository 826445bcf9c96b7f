"""Text from the public is shown, never run: a registration whose every text field is an attack,
for a conference and for a driehoek, opened by its organiser in real headless Chromium on every
admin page that shows it (lists, change forms, each mail preview, check-in search), on the
personal page and in every mail read online; its PDFs and CSV exports read back as data.

On every page: no script ran (the payloads call a trap, alerts are dialogs), the browser met no
policy violation (markup that got into the page would have been blocked by the policy, and
reported) and no console message, and the hostile text stands there literally.
"""

import csv
import io
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from pypdf import PdfReader

from conftest import enter_second_factor, make_team_session, person, team, totp_device
from registrations.driehoek.admission import register_team
from registrations.driehoek.host_offers import offer_location
from registrations.mails import actions
from registrations.services.registering import register
from registrations.tests.event_day import workshops_of
from registrations.tests.test_csp_browser import RECORD_VIOLATIONS, Visitor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-wachtwoord-123"  # conftest.make_organiser's

# Every kind of context the text could break out of: an element, an attribute, a template,
# a style sheet, a CSS url(), a title, a text area. Each one names its own trap number.
HOSTILE = {
    "given_name": "<script>__xss(1)</script>",
    "name_prefix": "'><svg onload=__xss(2)>",
    "family_name": "Mark{{ 7|add:7 }}{% debug %}</style><style>*{display:none}</style>",
    "organisation": '"><img src=x onerror=__xss(3)></style><script>__xss(4)</script>',
    "function": 'x" style="background:url(\'javascript:__xss(5)\')" url(https://aanval.example/x.css)',
    "dietary_wishes": "</textarea></title><img src=x onerror=alert(6)>",
    "accessibility_needs": 'javascript:__xss(7)//</pre><iframe srcdoc="<script>parent.__xss(8)</script>">',
}
# Lists order a name surname first: they show the three parts, not the full name.
NAME_PARTS = [HOSTILE["given_name"], HOSTILE["name_prefix"], HOSTILE["family_name"]]
HOSTILE_CONTACT = '"><script>__xss(9)</script>'
HOSTILE_EMAIL = '"<svg/onload=__xss(10)>"@example.org'
HOSTILE_OFFER = {
    "location_name": HOSTILE["organisation"],
    "address": HOSTILE["function"],
    "postcode": "<b>1</b>'\"",
    "city": HOSTILE["given_name"],
    "contact_name": HOSTILE["name_prefix"],
    "contact_email": '"<svg/onload=__xss(12)>"@example.org',
    "contact_phone": "<svg onload=__xss(13)>",
    "dates_note": HOSTILE["accessibility_needs"],
}

# Playwright puts this in every frame before the page's own scripts: the payloads' target.
TRAP = """
window.__xss = (n) => { console.error("XSS " + n); (window.__xss_hits = window.__xss_hits || []).push(n); };
"""


def hostile_email(n):
    """A valid address (a quoted local part may hold markup), unique per ``n``."""
    return HOSTILE_EMAIL.replace('"@', f'{n}"@')


def hostile_person(n, **fields):
    return person(n, **{**HOSTILE, "email": hostile_email(n), **fields})


@pytest.fixture
def conference_registration(conference):
    return register(
        conference.pk, people=[hostile_person(1, workshop_ids=workshops_of(conference))], contact_name=HOSTILE_CONTACT
    )


@pytest.fixture
def team_registration(organisation):
    session = make_team_session(organisation)
    members = [
        hostile_person(20 + i, role=member.role, email=f"lid{i}@zutphen.nl") for i, member in enumerate(team(), 1)
    ]
    return register_team(
        session.pk, municipality="Zutphen", people=members, contact_name=HOSTILE_CONTACT, contact_email=HOSTILE_EMAIL
    )


class Organiser(Visitor):
    """A browser visitor that also springs the trap, answers no dialog and reads text literally."""

    def __init__(self, page, base_url):
        super().__init__(page, base_url)
        page.on("dialog", self.note_dialog)

    def note_dialog(self, dialog):
        self.problems.append(f"{self.page.url}: dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def note_violations(self):
        super().note_violations()
        for frame in self.page.frames:
            hits = frame.evaluate("window.__xss_hits || []")
            if hits:
                self.problems.append(f"{frame.url}: script ran: {hits}")

    def shows(self, path, *texts, within="body"):
        """Visit ``path``; each of ``texts`` stands literally in the page (or ``within``)."""
        self.visit(path)
        shown = self.page.locator(within).first.inner_text()
        for text in texts:
            if text not in shown:
                self.problems.append(f"{path}: {text!r} not shown literally in {within}")
        return shown

    def fetch(self, path, **kwargs):
        method = self.page.context.request.post if "form" in kwargs else self.page.context.request.get
        response = method(self.base_url + path, **kwargs)
        assert response.ok, f"{path}: {response.status}"
        return response

    def log_in(self, user):
        device = totp_device(user)
        self.page.goto(self.base_url + reverse("admin:login"))
        self.fill({"username": user.username, "password": PASSWORD})
        self.submit("#login-form")
        enter_second_factor(self.page, device)
        assert self.page.url.endswith(reverse("admin:index")), self.page.url


@pytest.fixture
def organiser_browser(chromium, live_server, settings, organiser):
    settings.SITE_URL = live_server.url
    context = chromium.new_context(locale="nl-NL")
    context.add_init_script(RECORD_VIOLATIONS)
    context.add_init_script(TRAP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    visitor = Organiser(page, live_server.url)
    visitor.log_in(organiser)
    yield visitor
    context.close()


def flat(text):
    """Text without its line breaks and spaces: PDF extraction wraps long words in cells."""
    return "".join(text.split())


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


def assert_pdf_shows(visitor, path, texts, **kwargs):
    response = visitor.fetch(path, **kwargs)
    assert response.headers["content-type"] == "application/pdf", path
    text = pdf_text(response.body())
    # One registration fits one page in every layout: a style sheet that broke spreads it out.
    assert len(text) == 1, f"{path}: {len(text)} pages"
    whole = flat("".join(text))
    for value in texts:
        assert flat(value) in whole, f"{path}: {value!r} not in the PDF"
    for style in ("@page", "font-family", "page-break"):  # a style sheet ended early shows as text
        assert style not in whole, f"{path}: {style} in the text"


def assert_csv_holds(visitor, path, values, **kwargs):
    response = visitor.fetch(path, **kwargs)
    assert response.headers["content-type"].startswith("text/csv"), path
    assert response.headers["content-disposition"].startswith("attachment"), path
    assert response.headers["x-content-type-options"] == "nosniff", path
    cells = {cell for row in csv.reader(io.StringIO(response.text().lstrip("\ufeff")), delimiter=";") for cell in row}
    for value in values:
        assert value in cells or f"'{value}" in cells, f"{path}: {value!r} not a cell of its own"


def person_pages_and_previews(visitor, registration):
    """What every registration has: its admin pages, each mail's preview, the personal page, the
    mails read online and the PDF confirmation."""
    participant = registration.participants.order_by("pk").first()
    name = participant.full_name
    change = reverse("admin:registrations_registration_change", args=[registration.pk])
    visitor.visit(change)
    for field, value in HOSTILE.items():
        assert visitor.page.input_value(f"#id_participants-0-{field}") == value, field
    assert visitor.page.input_value("#id_contact_name") == HOSTILE_CONTACT
    listed = [str(registration), registration.email]
    visitor.shows(reverse("admin:registrations_registration_changelist"), *listed)
    search = reverse("admin:registrations_registration_changelist") + "?" + urlencode({"q": HOSTILE["given_name"]})
    visitor.shows(search, *listed)
    assert visitor.page.input_value("#searchbar") == HOSTILE["given_name"]

    for kind in actions.mail_kinds():
        preview = reverse("admin:registrations_registration_mail_preview", args=[registration.pk, kind])
        visitor.shows(preview, name, within="pre")
        if name not in visitor.page.frame_locator("iframe").locator("body").inner_text():
            visitor.problems.append(f"{preview}: {name!r} not shown literally in the HTML mail")

    visitor.shows(reverse("registrations:manage", args=[registration.token]), name)
    if not registration.municipality:  # a person changes their own details there
        for field, value in HOSTILE.items():
            assert visitor.page.input_value(f"main [name={field}]") == value, field
    visitor.shows(reverse("registrations:cancel", args=[registration.token]), str(registration.event))
    for mail in registration.mails.all():
        visitor.shows(
            reverse("registrations:mail_online", args=[registration.token, mail.pk]), mail.participant.full_name
        )

    pdf = reverse("admin:registrations_registration_pdf_preview", args=[registration.pk])
    assert_pdf_shows(visitor, pdf, [name, HOSTILE["dietary_wishes"], HOSTILE["accessibility_needs"]])


def test_a_hostile_conference_registration_is_shown_never_run(organiser_browser, conference, conference_registration):
    visitor = organiser_browser
    registration = conference_registration
    participant = registration.participants.get()
    name = participant.full_name
    person_pages_and_previews(visitor, registration)

    # Saved once in the admin (the hostile values are valid): its log keeps the name, shown on
    # the history page and the front page.
    change = reverse("admin:registrations_registration_change", args=[registration.pk])
    visitor.visit(change)
    with visitor.page.expect_navigation():
        visitor.page.locator("[name=_continue]").click()
    assert visitor.page.locator(".messagelist .success").count() == 1
    visitor.shows(reverse("admin:registrations_registration_history", args=[registration.pk]), str(registration))
    visitor.shows(reverse("admin:index"), str(registration))

    mail = registration.mails.first()
    visitor.shows(reverse("admin:registrations_mail_changelist"), hostile_email(1))
    visitor.shows(reverse("admin:registrations_mail_change", args=[mail.pk]), name)
    choice = participant.choices.first()
    visitor.shows(reverse("admin:registrations_workshopchoice_changelist"), name)
    visitor.shows(reverse("admin:registrations_workshopchoice_change", args=[choice.pk]), name)
    checkin = reverse("checkin:event", args=[conference.pk])
    visitor.shows(checkin + "?" + urlencode({"q": HOSTILE["given_name"]}), name)
    assert visitor.page.input_value("#q") == HOSTILE["given_name"]
    nobody = HOSTILE["organisation"].replace("__xss(3)", "__xss(11)")
    visitor.shows(checkin + "?" + urlencode({"q": nobody}), f"‘{nobody}’")
    visitor.shows(reverse("admin:events_event_badges", args=[conference.pk]), name)
    visitor.shows(reverse("admin:events_event_no_shows", args=[conference.pk]), name)
    workshop = choice.workshop
    visitor.visit(reverse("admin:workshops_workshop_changelist"))  # where the lists are
    visitor.visit(reverse("admin:events_event_changelist"))  # its action form has a CSRF token for the badges
    token = visitor.page.locator("[name=csrfmiddlewaretoken]").first.input_value()
    texts = [*NAME_PARTS, HOSTILE["organisation"], HOSTILE["function"]]
    badges = reverse("admin:events_event_badges", args=[conference.pk])
    assert_pdf_shows(visitor, badges, texts, form={"csrfmiddlewaretoken": token})
    signing = [*NAME_PARTS, HOSTILE["organisation"]]  # the attendance lists: name, organisation, signature
    assert_pdf_shows(visitor, reverse("admin:events_event_attendance_list", args=[conference.pk]), signing)
    assert_pdf_shows(visitor, reverse("admin:workshops_workshop_attendance_list", args=[workshop.pk]), signing)
    assert_pdf_shows(visitor, reverse("admin:workshops_workshop_participants_pdf", args=[workshop.pk]), texts)

    assert_csv_holds(visitor, reverse("admin:registrations_export_event", args=[conference.pk]), texts)
    assert_csv_holds(visitor, reverse("admin:registrations_export_workshop", args=[workshop.pk]), texts)
    assert_csv_holds(visitor, reverse("admin:workshops_workshop_participants_csv", args=[workshop.pk]), texts)
    assert_csv_holds(visitor, reverse("admin:events_event_no_shows_csv", args=[conference.pk]), texts)

    # At the door: the search result's button checks the person in, and says so by name.
    visitor.visit(checkin + "?" + urlencode({"q": HOSTILE["given_name"]}))
    visitor.submit(".checkin-result form")
    message = visitor.page.locator(".alert-success").inner_text()
    assert message.startswith(name) and message.endswith("is ingecheckt."), message
    visitor.assert_clean()


def test_the_public_form_gives_hostile_text_back_as_text(organiser_browser, conference):
    """A form sent back with an error keeps what was typed, as values, not as markup."""
    visitor = organiser_browser
    visitor.visit(reverse("registrations:register", args=[conference.slug]))
    visitor.fill(HOSTILE | {"email": "esther@nijmegen.nl"})
    visitor.submit()  # without consent to the privacy statement: sent back
    assert visitor.page.locator("#form-errors").is_visible()
    for field, value in HOSTILE.items():
        assert visitor.page.input_value(f"main [name={field}]") == value, field
    visitor.note_violations()
    visitor.assert_clean()


def test_a_hostile_driehoek_is_shown_never_run(organiser_browser, team_registration):
    visitor = organiser_browser
    registration = team_registration
    event = registration.event
    names = [p.full_name for p in registration.participants.order_by("pk")]
    person_pages_and_previews(visitor, registration)

    visitor.shows(reverse("admin:registrations_teamregistration_changelist"), "Zutphen", *names)
    visitor.shows(reverse("admin:registrations_teamregistration_change", args=[registration.pk]), *names)
    assert visitor.page.input_value("#id_contact_name") == HOSTILE_CONTACT
    visitor.shows(reverse("admin:registrations_teamregistration_no_shows"))
    visitor.shows(reverse("checkin:event", args=[event.pk]) + "?" + urlencode({"q": HOSTILE["given_name"]}), *names)
    visitor.shows(reverse("admin:events_event_no_shows", args=[event.pk]), *names)

    # A municipality offering its town hall writes free text too.
    offer = offer_location(
        event.series, HOSTILE_OFFER | {"municipality": "Zutphen", "room_capacity": 40, "privacy": True}
    )
    visitor.shows(reverse("admin:events_hostoffer_changelist"), HOSTILE_OFFER["location_name"], HOSTILE_OFFER["city"])
    visitor.visit(reverse("admin:events_hostoffer_change", args=[offer.pk]))
    for field, value in HOSTILE_OFFER.items():
        assert visitor.page.input_value(f"#id_{field}") == value, field

    assert_pdf_shows(visitor, reverse("admin:events_event_attendance_list", args=[event.pk]), NAME_PARTS)
    assert_csv_holds(visitor, reverse("admin:events_event_no_shows_csv", args=[event.pk]), NAME_PARTS)
    visitor.assert_clean()
