"""Fixtures shared by every app's tests: organisations, organisers and open events.

Data is built through the models (never mocked); times are relative to now so that a
registration window is open whatever day the tests run.
"""

import os
import shutil
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone, translation

from events.models import Event, Organisation, Series, Venue
from events.permissions import ORGANISER_GROUP, ensure_organiser_group
from registrations.services.registering import Person
from workshops.samples import make_conference  # noqa: F401 - tests import it from here

# --- Second pass on SQLite ---------------------------------------------------------------
# `make test` runs every test on PostgreSQL, then the tests marked both_databases again on
# SQLite, the demo's database (pytest -m both_databases), so that neither goes untested.
# Extend it by adding a module here or by marking a test @pytest.mark.both_databases.
BOTH_DATABASES = [
    "registrations/tests/test_core_services.py",
    "registrations/tests/test_conference_concurrency.py",
    "registrations/tests/test_team_services.py",
    "registrations/tests/test_shared_griffie.py",
    "registrations/tests/test_team_concurrency.py",
    "registrations/tests/test_conference_mail.py",
    "registrations/tests/test_change_and_cancel_mails.py",
    "registrations/tests/test_mail_admin.py",
    "registrations/tests/test_mail_content.py",
    "registrations/tests/test_mail_delivery.py",
    "registrations/tests/test_mail_lease.py",
    "registrations/tests/test_mail_processes.py",
    "registrations/tests/test_mail_schedule.py",
    "registrations/tests/test_personal_tokens.py",
    "registrations/tests/test_places.py",
    "registrations/tests/test_erasure.py",
    "registrations/tests/test_retention.py",
    "registrations/tests/test_public_form_abuse.py",
    "registrations/tests/test_certificates.py",
    "registrations/tests/test_participant_messages.py",
    "registrations/tests/test_participant_messages_worker.py",
    "registrations/tests/test_input_rules.py",
    "registrations/tests/test_name_order.py",
    "registrations/tests/test_mail_countdown.py",
    "registrations/tests/test_fuzz_inputs.py",
    "registrations/tests/test_event_dashboard.py",
    "registrations/tests/test_generated_documents.py",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.nodeid.split("::")[0] in BOTH_DATABASES:
            item.add_marker(pytest.mark.both_databases)


@pytest.fixture(autouse=True)
def _mail_outbox_backend(settings, tmp_path):
    # Mails sent during a test go to Django's in-memory outbox unless a test says otherwise.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # A request with the English language cookie leaves English active in the test's thread;
    # without this, the next test's mails and PDFs would come out in English.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Cached page fragments (the registration form) must not leak from one test to the next.
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _services_up():
    # Outages are remembered per process (regiodag.outages): each test starts with every
    # service up, so that the first failure it causes is told.
    from regiodag import outages

    for outage in outages.EVERY:
        outage.reset()


@pytest.fixture
def empty_broker():
    """The test broker's default queue, empty before and after the test."""
    from registrations.tests.broker_helpers import clear_queue

    clear_queue()
    yield
    clear_queue()


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads of this test go to a folder of its own, removed afterwards."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def add_material(workshop, title, *, participants_only=False, filename="", content=b"%PDF-1.4 vragen", body=""):
    """Material for ``workshop``, with a file named ``filename`` stored through Django's storage."""
    from django.core.files.base import ContentFile

    from workshops.models import Material

    return Material.objects.create(
        workshop=workshop,
        title=title,
        body=body,
        for_participants_only=participants_only,
        file=ContentFile(content, name=filename) if filename else "",
    )


def assert_download(response, content, content_type, filename):
    """The file itself, as a download under its own name, with nosniff."""
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def organisation(db):
    return Organisation.objects.create(name="BMC", slug="bmc")


@pytest.fixture
def other_organisation(db):
    return Organisation.objects.create(name="Vereniging van Nederlandse Gemeenten", short_name="VNG", slug="vng")


def make_organiser(username, organisation):
    ensure_organiser_group()
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "geheim-wachtwoord-123")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=ORGANISER_GROUP))
    organisation.members.add(user)
    return user


@pytest.fixture
def organiser(organisation):
    return make_organiser("organisator", organisation)


@pytest.fixture
def other_organiser(other_organisation):
    return make_organiser("andere", other_organisation)


def totp_device(user):
    """A confirmed TOTP app of ``user`` (the one it has, or a new one)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test-app", confirmed=True
    )


def totp_code(device):
    """The code the app shows now, computed from the device's key as an app does."""
    from django_otp.oath import totp

    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def enter_second_factor(page, device):
    """In a browser at the second-factor page: type the code that ``device`` shows and go on."""
    page.locator("[name=code]").fill(totp_code(device))
    with page.expect_navigation():
        page.locator("#login-form [type=submit]").click()


class SignedInClient(Client):
    """Django's test client; force_login(staff) ends where signing in ends: both factors passed.

    Tests about something else than signing in need not go through the second factor;
    those about it (regiodag/tests/test_accounts.py) use a plain Client.
    """

    def force_login(self, user, backend=None):
        from django_otp import DEVICE_ID_SESSION_KEY

        super().force_login(user, backend)
        if user.is_staff:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
            session.save()


@pytest.fixture
def client():
    return SignedInClient()


@pytest.fixture
def admin_client(db, admin_user):
    signed_in = SignedInClient()
    signed_in.force_login(admin_user)
    return signed_in


@pytest.fixture
def venue(db):
    return Venue.objects.create(
        name="De Vasim", address="Winselingseweg 41", postcode="6541 AH", city="Nijmegen", province="Gelderland"
    )


@pytest.fixture
def conference(organisation, venue):
    return make_conference(organisation, venue)


def make_team_session(organisation, *, series=None, slug="driehoeken-1", starts_in=timedelta(days=60), capacity=6):
    starts = timezone.now().replace(microsecond=0) + starts_in
    if series is None:
        series, _ = Series.objects.get_or_create(slug="driehoeken", defaults={"title": "Lokale driehoeken"})
        series.organisations.add(organisation)
    event = Event.objects.create(
        kind=Event.Kind.TEAM_SESSION,
        title=f"Leerbijeenkomst {slug}",
        slug=slug,
        series=series,
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        capacity=capacity,
        registration_mode="team",
        admission=Event.Admission.BY_ORGANISER,
        registration_closes_at=starts - timedelta(weeks=4),
        attendance_required=True,
        status=Event.Status.PUBLISHED,
    )
    event.organisations.add(organisation)
    return event


@pytest.fixture
def team_session(organisation):
    return make_team_session(organisation)


def person(n=1, workshops=(), **fields):
    """A participant's data, unique per ``n``."""
    data = dict(
        given_name="Esther",
        name_prefix="van der",
        family_name=f"Mark{n}",
        email=f"deelnemer{n}@example.org",
        organisation="Gemeente Nijmegen",
        function="beleidsadviseur",
        workshop_ids=tuple(workshops),
    )
    data.update(fields)
    return Person(**data)


TEAM = [
    ("griffier", "Griet", "Griffier"),
    ("burgemeester", "Bram", "Burgemeester"),
    ("gemeentesecretaris", "Sanne", "Secretaris"),
]


def team(municipality="Nijmegen", n=1):
    return [
        person(
            n * 10 + i,
            given_name=given,
            family_name=family,
            role=role,
            email=f"{role.removeprefix('gemeente')}{n}@{municipality.lower()}.nl",
        )
        for i, (role, given, family) in enumerate(TEAM, start=1)
    ]


@pytest.fixture
def demo(db):
    from workshops.demo import load_demo

    load_demo()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    # This machine has no network: background calls to Google's hosts would only fail.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def chromium(live_server, monkeypatch):
    """Debian's Chromium driven by Playwright (its own browser download cannot work here)."""
    from pathlib import Path

    if not Path(CHROMIUM).exists():
        missing = f"Chromium is not installed at {CHROMIUM} (scripts/ensure-browser.sh installs it)"
        # In CI a browser test that skips would leave the build green without having run.
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail(f"{missing}; CI=true requires the browser tests to run", pytrace=False)
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # stay synchronous, so Django's async guard is lifted for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
