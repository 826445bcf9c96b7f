"""Check-in on a phone-sized screen in real headless Chromium, without JavaScript."""

import pytest

from conftest import enter_second_factor, make_organiser, person, totp_device
from registrations.checkin.codes import checkin_payload
from registrations.models import Attendance
from registrations.services.registering import register
from registrations.tests.event_day import workshops_of

PHONE = {"width": 375, "height": 740}

pytestmark = [pytest.mark.browser]


@pytest.fixture
def phone(chromium):
    return chromium.new_page(java_script_enabled=False, viewport=PHONE)


def log_in_at_the_door(page, live_server, event, organisation):
    door = totp_device(make_organiser("deur", organisation))
    page.goto(f"{live_server.url}/inchecken/{event.pk}/")
    page.get_by_label("Gebruikersnaam").fill("deur")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    page.locator("#login-form [type=submit]").click()
    enter_second_factor(page, door)


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.django_db(transaction=True)
def test_organiser_checks_people_in_on_a_phone(live_server, phone, organisation, conference):
    esther, bram = (
        register(
            conference.pk, people=[person(n, workshops_of(conference), given_name=g, family_name=f)]
        ).participants.get()
        for n, g, f in [(1, "Esther", "Mark"), (2, "Bram", "Bakker")]
    )
    log_in_at_the_door(phone, live_server, conference, organisation)

    assert phone.get_by_text("0 van 2 aanwezig").is_visible()
    assert fits_the_screen(phone)
    phone.get_by_label("QR-code scannen").fill(checkin_payload(esther))
    scan_button = phone.get_by_role("button", name="Inchecken met code")
    assert scan_button.bounding_box()["height"] >= 44
    scan_button.click()
    assert phone.get_by_text("Esther van der Mark (Gemeente Nijmegen) is ingecheckt.").is_visible()
    assert phone.get_by_text("1 van 2 aanwezig").is_visible()

    phone.get_by_label("QR-code scannen").fill(checkin_payload(esther))
    phone.get_by_role("button", name="Inchecken met code").click()
    assert phone.get_by_text("Esther van der Mark is al aangemeld bij de ingang").is_visible()

    phone.get_by_label("Zoek op naam of organisatie").fill("bakker")
    phone.get_by_role("button", name="Zoeken").click()
    button = phone.get_by_role("button", name="Bram van der Bakker inchecken")
    assert button.bounding_box()["height"] >= 44
    assert fits_the_screen(phone)
    button.click()

    assert phone.get_by_text("2 van 2 aanwezig").is_visible()
    assert set(Attendance.objects.values_list("participant_id", "method")) == {
        (esther.pk, Attendance.Method.SCAN),
        (bram.pk, Attendance.Method.SEARCH),
    }


# Stands in for Chrome-on-Android's QR reader and camera, which headless Linux lacks.
FAKE_CAMERA = """
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["qr_code"]; }
  async detect() { return window.__qr ? [{rawValue: window.__qr}] : []; }
};
navigator.mediaDevices.getUserMedia = async () => document.createElement("canvas").captureStream();
"""


@pytest.mark.django_db(transaction=True)
def test_camera_scanning_where_the_browser_reads_qr_codes(live_server, chromium, organisation, conference):
    esther = register(conference.pk, people=[person(1, workshops_of(conference))]).participants.get()
    page = chromium.new_page(viewport=PHONE)
    page.add_init_script(FAKE_CAMERA)
    log_in_at_the_door(page, live_server, conference, organisation)

    camera = page.get_by_role("button", name="Scannen met de camera")
    camera.click()
    page.evaluate("payload => { window.__qr = payload; }", checkin_payload(esther))

    message = page.get_by_text("Esther van der Mark1 (Gemeente Nijmegen) is ingecheckt.")
    message.wait_for(timeout=10_000)  # the page scans four times a second, then submits
    assert message.is_visible()
    assert Attendance.objects.get(participant=esther).method == Attendance.Method.SCAN


@pytest.mark.django_db(transaction=True)
def test_no_camera_button_where_the_browser_cannot_read_qr_codes(live_server, chromium, organisation, conference):
    page = chromium.new_page(viewport=PHONE)
    log_in_at_the_door(page, live_server, conference, organisation)

    assert page.get_by_label("QR-code scannen").is_visible()
    assert not page.get_by_role("button", name="Scannen met de camera").is_visible()
