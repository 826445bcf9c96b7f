"""axe-core checks the public pages, the personal pages and the check-in page in real headless
Chromium against the WCAG 2.0 and 2.1 A and AA rules, with the demo data, in Dutch and once
more in English (the language cookie), where each page must also say it is in English.

axe-core comes bundled in the pinned axe-playwright-python package: nothing is fetched.
A test visits its pages one after the other and fails at the end, listing per page every
violation with its rule, impact and the elements concerned, so one run shows all there is.
"""

import pytest
from django.urls import reverse

from conftest import enter_second_factor, make_organiser, totp_device
from events.models import Event, Organisation
from registrations.demo import load_demo_registrations
from registrations.form_page import forget
from registrations.models import Registration
from workshops.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_A_AA}, "resultTypes": ["violations"]}

DEMO_DAY = "ambtelijke-dag-van-de-regios-demo"
PAST_DAY = "ambtelijke-dag-van-de-regios-2026"
DEMO_SERIES = "versterking-lokale-driehoeken-demo"
DEMO_SESSION = "leerbijeenkomst-driehoeken-demo-2"  # the first one already holds the demo driehoeken
PAST_SESSION = "leerbijeenkomst-driehoeken-2026-1"
AVN_SERIES = "ambtenaar-van-nu"
AVN_EPISODE = "ambtenaar-van-nu-welvarende-regios"
PAST_DEMO_DAY = "ambtelijke-dag-van-de-regios-demo-afgelopen"  # with who came, for the certificates

# Known false positives, each for one rule on one element only: {(rule id, CSS target): why}.
# Empty: every violation axe reports is ours to fix.
FALSE_POSITIVES = {}


def report(where, violations):
    """What a developer needs to fix each violation: rule, impact, the elements, axe's advice."""
    lines = []
    for violation in violations:
        rule = f"{violation['id']} ({violation['impact']})"
        lines.append(f"{where}: {rule}: {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            advice = " / ".join(line.strip() for line in node.get("failureSummary", "").splitlines())
            lines.append(f"    {' '.join(node['target'])}: {advice}")
    return "\n".join(lines)


class Checker:
    """A browser page in one language that runs axe on every page it is shown."""

    def __init__(self, page, base_url, language):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.page = page
        self.base_url = base_url
        self.language = language
        self.problems = []

    def check(self, what):
        where = f"{what} ({self.page.url})"
        lang = self.page.evaluate("document.documentElement.lang")
        if lang != self.language:
            self.problems.append(f"{where}: <html lang={lang!r}>, expected {self.language!r}")
        violations = []
        for violation in self.axe.run(self.page, options=AXE_OPTIONS).response["violations"]:
            nodes = [n for n in violation["nodes"] if (violation["id"], " ".join(n["target"])) not in FALSE_POSITIVES]
            if nodes:
                violations.append({**violation, "nodes": nodes})
        if violations:
            self.problems.append(report(where, violations))

    def visit(self, path, what, status=200):
        response = self.page.goto(self.base_url + path)
        assert response.status == status, f"{path}: {response.status}"
        self.check(what)

    def fill(self, values):
        """Fill fields by name, so the same steps work in either language."""
        for name, value in values.items():
            self.page.locator(f"[name='{name}']").fill(value)

    def submit(self, form="main form"):
        with self.page.expect_navigation():
            self.page.locator(f"{form} [type=submit]").last.click()

    def assert_accessible(self):
        if self.problems:
            pytest.fail("WCAG 2.1 A/AA violations found by axe-core:\n" + "\n".join(self.problems), pytrace=False)


@pytest.fixture(params=["nl", "en"])
def checker(request, chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.REGIODAG_MIN_FILL_SECONDS = 0
    language = request.param
    context = chromium.new_context(locale="nl-NL")
    if language != settings.LANGUAGE_CODE:
        context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Checker(page, live_server.url, language)
    context.close()


@pytest.fixture
def demo_data(db):
    """The demo events with their invented participants and driehoeken."""
    # What the load_demo command loads; the command itself refuses without DEBUG, which
    # would show Django's technical 404 page instead of ours.
    load_demo()
    load_demo_registrations()


def test_public_pages(checker, demo_data):
    checker.visit(reverse("events:catalogue"), "catalogue")
    checker.visit(reverse("events:past"), "past events")
    checker.visit(reverse("events:detail", args=[DEMO_DAY]), "conference with programme and workshops")
    # The event's own text is Dutch data, also on the English site: it says so (language of parts).
    for prose in ("section.description", ".lead", ".programme__details"):
        assert checker.page.locator(prose).first.evaluate("e => e.closest('[lang]').lang") == "nl", prose
    checker.visit(reverse("events:detail", args=[PAST_DAY]), "past conference")
    checker.visit(reverse("events:detail", args=[DEMO_SESSION]), "driehoek session")
    checker.visit(reverse("events:detail", args=[AVN_EPISODE]), "episode of a series")
    checker.visit(reverse("events:series", args=[DEMO_SERIES]), "series of driehoek sessions")
    checker.visit(reverse("events:series", args=[AVN_SERIES]), "series of episodes")
    checker.visit(reverse("events:privacy"), "privacy statement")
    checker.visit(reverse("events:accessibility"), "accessibility statement")
    checker.visit("/evenementen-die-niet-bestaan/", "page not found", status=404)
    checker.visit(reverse("registrations:register", args=[PAST_DAY]), "registration closed")
    checker.visit(reverse("registrations:register", args=[DEMO_SESSION]), "personal registration for a team session")
    checker.visit(reverse("registrations:register_team", args=[PAST_SESSION]), "driehoek registration closed")
    checker.assert_accessible()


def register_in_the_form(checker, given_name, email, *, pick):
    checker.fill(
        {
            "given_name": given_name,
            "family_name": "Mark",
            "email": email,
            "organisation": "Gemeente Nijmegen",
            "function": "strateeg",
        }
    )
    for round_field in ("round_1", "round_2"):
        getattr(checker.page.locator(f"[name={round_field}]"), pick).check()
    checker.page.locator("[name=privacy]").check()
    checker.submit()


def test_conference_registration_and_personal_pages(checker, demo_data):
    page = checker.page
    register = reverse("registrations:register", args=[DEMO_DAY])
    checker.visit(register, "blank registration form")
    checker.submit()
    assert page.locator("#form-errors").is_visible()
    checker.check("registration form with errors")

    email = f"esther-{checker.language}@nijmegen.nl"
    register_in_the_form(checker, "Esther", email, pick="first")
    assert page.url.endswith("/aanmelden/verstuurd/"), page.url
    checker.check("registered: see your mail")
    registration = Registration.objects.get(email=email)
    checker.visit(reverse("registrations:confirmation", args=[registration.token]), "confirmation")
    personal = reverse("registrations:manage", args=[registration.token])
    checker.visit(personal, "personal page with workshop material")
    checker.fill({"given_name": ""})
    checker.submit("main form:has([name=given_name])")
    checker.check("personal page, details with errors")
    mail = registration.mails.first()
    checker.visit(reverse("registrations:mail_online", args=[registration.token, mail.pk]), "mail read online")
    checker.visit(reverse("registrations:cancel", args=[registration.token]), "cancel page")
    checker.submit()
    checker.visit(personal, "personal page after cancelling")

    # The places run out while the next person fills in the form: the 'vol' page.
    checker.visit(register, "blank registration form")
    event = Event.objects.get(slug=DEMO_DAY)
    Event.objects.filter(pk=event.pk).update(capacity=event.registrations.filter(status="confirmed").count())
    forget(DEMO_DAY)
    register_in_the_form(checker, "Bram", "bram@nijmegen.nl", pick="last")
    assert page.locator("input[type=hidden][name=waitlist]").count() == 1
    checker.check("event full: the waiting list offered")
    checker.submit()
    assert page.url.endswith("/aanmelden/verstuurd/"), page.url
    waiting = Registration.objects.get(email="bram@nijmegen.nl")
    checker.visit(reverse("registrations:confirmation", args=[waiting.token]), "confirmation of a waiting place")
    checker.visit(register, "registration form of a full event")
    checker.assert_accessible()


def test_driehoek_pages(checker, demo_data):
    page = checker.page
    checker.visit(reverse("registrations:register_team", args=[DEMO_SESSION]), "blank driehoek form")
    checker.submit()
    assert page.locator("#fouten").is_visible()
    checker.check("driehoek form with errors")

    checker.fill({"municipality": "Nijmegen", "contact_name": "Carla Contact", "contact_email": "griffie@nijmegen.nl"})
    members = [("Griet", "Griffier", "griffier"), ("Bram", "Burgemeester", "bm"), ("Sanne", "Secretaris", "gs")]
    for number, (given, family, email) in enumerate(members, start=1):
        prefix = f"lid{number}-"
        checker.fill(
            {f"{prefix}given_name": given, f"{prefix}family_name": family, f"{prefix}email": f"{email}@nijmegen.nl"}
        )
    page.locator("[name=privacy]").check()
    checker.submit()
    assert "/aanmelding/" in page.url, page.url
    checker.check("the driehoek's personal page")
    registration = Registration.objects.get(municipality="Nijmegen")
    checker.visit(reverse("registrations:cancel", args=[registration.token]), "driehoek cancel page")
    checker.assert_accessible()


def test_host_offer_pages(checker, demo_data):
    checker.visit(reverse("registrations:host_offer", args=[DEMO_SERIES]), "blank host offer form")
    checker.submit()
    checker.check("host offer form with errors")
    checker.fill(
        {
            "municipality": "Nijmegen",
            "location_name": "Stadhuis",
            "address": "Korte Burchtstraat 20",
            "postcode": "6511 TS",
            "city": "Nijmegen",
            "room_capacity": "30",
            "contact_name": "Carla Contact",
            "contact_email": "griffie@nijmegen.nl",
        }
    )
    checker.page.locator("[name=sessions]").first.check()
    checker.page.locator("[name=privacy]").check()
    checker.submit()
    checker.check("host offer received")
    checker.assert_accessible()


def test_checkin_pages(checker, demo_data):
    door = totp_device(make_organiser("deur", Organisation.objects.get(slug="vng")))
    event = Event.objects.get(slug=DEMO_DAY)
    checker.page.goto(checker.base_url + reverse("checkin:index"))
    checker.fill({"username": "deur", "password": "geheim-wachtwoord-123"})
    checker.submit("#login-form")
    checker.check("sign-in: the second factor")
    enter_second_factor(checker.page, door)
    checker.check("check-in: the organiser's events")
    checker.visit(reverse("checkin:event", args=[event.pk]), "check-in page")
    checker.fill({"q": "a"})
    checker.submit("main form[role=search]")
    checker.check("check-in: people found")
    checker.submit("main form:has(.btn-success)")
    checker.check("check-in: someone checked in")
    checker.fill({"payload": "geen geldige code"})
    checker.submit("main form:has([name=payload])")
    checker.check("check-in: an unknown code")
    checker.assert_accessible()


def test_too_many_requests_page(checker, demo_data, settings):
    settings.REGIODAG_RATE_LIMITS = {**settings.REGIODAG_RATE_LIMITS, "register-ip": "0/m"}
    checker.visit(reverse("registrations:register", args=[DEMO_DAY]), "blank registration form")
    checker.submit()
    assert checker.page.locator("h1").inner_text() in {"Even wachten, alstublieft", "Please wait a moment"}
    checker.check("too many requests (429)")
    checker.assert_accessible()


def test_certificate_pages(checker, demo_data):
    from registrations.models import Attendance
    from registrations.services.certificates import certificate_for

    attendance = (
        Attendance.objects.filter(participant__registration__event__slug=PAST_DEMO_DAY, status="present")
        .select_related("participant__registration")
        .first()
    )
    registration = attendance.participant.registration
    checker.visit(reverse("registrations:manage", args=[registration.token]), "personal page with a certificate")
    code = certificate_for(attendance.participant_id).code
    checker.visit(reverse("registrations:certificate", args=[code]), "certificate check")
    checker.visit(reverse("registrations:certificate", args=["A" * 22]), "certificate check: unknown code", 404)
    checker.assert_accessible()
