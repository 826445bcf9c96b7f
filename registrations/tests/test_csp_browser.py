"""The strict Content-Security-Policy in real headless Chromium: the public pages, the
registration form with errors, the personal page, a mail read online, check-in (with its
script at work) and every admin page (with the admin's scripts at work) cause no policy violation
and no console message at all.
"""

import pytest
from django.urls import reverse

from conftest import enter_second_factor, make_organiser, totp_device
from events.models import Event, Organisation
from registrations.checkin.attendance import check_in_at_event
from registrations.checkin.codes import checkin_payload
from registrations.demo import load_demo_registrations
from registrations.models import Registration
from registrations.tests.test_checkin_browser import FAKE_CAMERA
from workshops.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_DAY = "ambtelijke-dag-van-de-regios-demo"
DEMO_SERIES = "versterking-lokale-driehoeken-demo"
DEMO_SESSION = "leerbijeenkomst-driehoeken-demo-2"
AVN_EPISODE = "ambtenaar-van-nu-welvarende-regios"

# Playwright injects this itself (not subject to the page's policy): it keeps every violation.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} at ${where}`);
});
"""


class Visitor:
    """A browser page that notes every console message and policy violation, per page."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.problems = []
        self.documents = set()
        page.on("response", lambda r: r.request.resource_type == "document" and self.documents.add(r.url))
        page.on("console", self.note_console)
        page.on("pageerror", lambda error: self.problems.append(f"{page.url}: error: {error}"))

    def note_console(self, message):
        failed = message.location.get("url", "")
        if message.text.startswith("Failed to load resource") and (
            # A page's own status (a form with errors answers 400): the steps check those.
            failed in self.documents
            # Chromium asks every site for one; the site has none.
            or failed == self.base_url + "/favicon.ico"
        ):
            return
        self.problems.append(f"{self.page.url}: console {message.type}: {message.text} ({failed})")

    def note_violations(self):
        for violation in self.page.evaluate("window.__violations"):
            self.problems.append(f"{self.page.url}: {violation}")

    def visit(self, path):
        response = self.page.goto(self.base_url + path)
        assert response.ok, f"{path}: {response.status}"
        self.note_violations()
        return response

    def submit(self, form="main form"):
        self.note_violations()  # before the page goes
        with self.page.expect_navigation():
            self.page.locator(f"{form} [type=submit]").last.click()
        self.note_violations()

    def fill(self, values):
        for name, value in values.items():
            self.page.locator(f"[name='{name}']").fill(value)

    def assert_clean(self):
        assert not self.problems, "\n".join(self.problems)


@pytest.fixture
def visitor(chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.REGIODAG_MIN_FILL_SECONDS = 0
    load_demo()  # what the load_demo command loads (the command runs with DEBUG only)
    load_demo_registrations()
    context = chromium.new_context(locale="nl-NL")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    yield Visitor(page, live_server.url)
    context.close()


def test_public_and_personal_pages_keep_to_the_policy(visitor):
    page = visitor.page
    for path in (
        reverse("events:catalogue"),
        reverse("events:past"),
        reverse("events:detail", args=[DEMO_DAY]),
        reverse("events:detail", args=[AVN_EPISODE]),
        reverse("events:series", args=[DEMO_SERIES]),
        reverse("events:privacy"),
        reverse("registrations:register_team", args=[DEMO_SESSION]),
    ):
        response = visitor.visit(path)
        assert "script-src 'self';" in response.headers["content-security-policy"], path
        # The style sheets and the web font were allowed and applied.
        assert "Regiodag Sans" in page.evaluate("getComputedStyle(document.body).fontFamily"), path
        assert page.evaluate("document.fonts.check('1em \"Regiodag Sans\"')"), path

    visitor.visit(reverse("registrations:register", args=[DEMO_DAY]))
    visitor.submit()
    assert page.locator("#form-errors").is_visible()
    visitor.fill(
        {
            "given_name": "Esther",
            "family_name": "Mark",
            "email": "esther@nijmegen.nl",
            "organisation": "Gemeente Nijmegen",
            "function": "strateeg",
        }
    )
    for round_field in ("round_1", "round_2"):
        page.locator(f"[name={round_field}]").first.check()
    page.locator("[name=privacy]").check()
    visitor.submit()
    assert page.url.endswith("/aanmelden/verstuurd/"), page.url

    registration = Registration.objects.get(email="esther@nijmegen.nl")
    visitor.visit(reverse("registrations:manage", args=[registration.token]))
    visitor.fill({"given_name": ""})
    visitor.submit("main form:has([name=given_name])")
    assert page.locator(".invalid-feedback, .is-invalid").count() > 0

    # The mail keeps its inline styles when read online, and they apply.
    mail = registration.mails.first()
    visitor.visit(reverse("registrations:mail_online", args=[registration.token, mail.pk]))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(243, 243, 243)"

    visitor.visit(reverse("events:catalogue"))
    visitor.submit("header form")  # the language switch
    assert page.evaluate("document.documentElement.lang") == "en"
    visitor.assert_clean()


def test_check_in_page_keeps_to_the_policy_and_its_script_works(visitor):
    page = visitor.page
    event = Event.objects.get(slug=DEMO_DAY)
    door = totp_device(make_organiser("deur", Organisation.objects.get(slug="vng")))
    page.clock.install()  # the live count refreshes every 15 seconds: the test moves the clock
    page.add_init_script(FAKE_CAMERA)
    page.goto(visitor.base_url + reverse("checkin:event", args=[event.pk]))
    visitor.fill({"username": "deur", "password": "geheim-wachtwoord-123"})
    visitor.submit("#login-form")
    enter_second_factor(page, door)
    assert page.url.endswith(reverse("checkin:event", args=[event.pk])), page.url
    assert page.evaluate("document.featurePolicy.allowsFeature('camera')")
    assert not page.evaluate("document.featurePolicy.allowsFeature('microphone')")
    present = int(page.locator("[data-present]").inner_text())

    # Someone is checked in at another door: the count follows without a reload.
    registrations = event.registrations.filter(status="confirmed").order_by("pk")
    check_in_at_event(event.pk, registrations[0].participants.get().pk)
    page.clock.run_for(16_000)
    page.locator("[data-present]", has_text=str(present + 1)).wait_for(timeout=10_000)

    # Where the browser reads QR codes, the camera button scans straight into the form.
    participant = registrations[1].participants.get()
    page.evaluate("payload => { window.__qr = payload; }", checkin_payload(participant))
    with page.expect_navigation():
        page.get_by_role("button", name="Scannen met de camera").click()
    assert page.get_by_text(f"{participant.full_name}").first.is_visible()
    assert page.locator("[data-present]").inner_text() == str(present + 2)
    visitor.note_violations()
    visitor.assert_clean()


def test_admin_pages_keep_to_the_policy(visitor):
    """Every registered admin's list, add form and change form, as the platform administrator,
    with the admin's own scripts at work (date widgets, inlines): no violation of the policy."""
    from django.contrib import admin
    from django.contrib.auth import get_user_model

    platform = get_user_model().objects.create_superuser("beheerder", "beheer@example.org", "geheim-wachtwoord-123")
    device = totp_device(platform)
    page = visitor.page
    page.goto(visitor.base_url + reverse("admin:login"))
    visitor.fill({"username": "beheerder", "password": "geheim-wachtwoord-123"})
    visitor.submit("#login-form")
    enter_second_factor(page, device)
    assert page.url.endswith(reverse("admin:index")), page.url
    visitor.visit(reverse("admin:index"))
    for model in admin.site._registry:
        opts = model._meta
        visitor.visit(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        add = page.goto(visitor.base_url + reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        assert add.status in (200, 403), add.url  # 403: added elsewhere (teams, offers, mails)
        visitor.note_violations()
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            visitor.visit(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))

    # The admin's scripts draw into the page: the calendar of a date field, a new inline row.
    event = Event.objects.get(slug=DEMO_DAY)
    visitor.visit(reverse("admin:events_event_change", args=[event.pk]))
    page.locator(".datetimeshortcuts a[id^=calendarlink]").first.click()
    assert page.locator(".calendarbox").first.is_visible()
    page.locator(".add-row a").first.click()
    page.locator(".selector-chooseall").first.click()  # filter_horizontal's widget
    visitor.visit(reverse("admin:workshops_workshop_add"))
    page.locator(".select2-selection").first.click()  # an autocomplete asks the server as one types
    page.keyboard.type("a")
    page.locator(".select2-results__option").first.wait_for()
    visitor.visit(reverse("admin:registrations_capacity"))
    assert page.evaluate("getComputedStyle(document.querySelector('table')).width") != "auto"
    visitor.note_violations()
    # Chromium's note when a page that focused a field itself also has an autofocus field
    # (the admin's add forms, depending on timing): no policy matter.
    autofocus = "Autofocus processing was blocked"
    visitor.problems = [problem for problem in visitor.problems if autofocus not in problem]
    visitor.assert_clean()
