"""What the definitive confirmation says and carries: HTML and text, .ics and PDF."""

import base64
import io
import re
from datetime import timedelta

import pytest
import segno
from django.core import mail as django_mail
from icalendar import Calendar
from PIL import Image
from pypdf import PdfReader

from conftest import make_conference, person
from events.models import ProgrammeItem
from registrations.checkin.codes import checkin_code_from_payload, checkin_payload
from registrations.mails.delivery import deliver_many
from registrations.mails.schedule import queue_due_mails
from registrations.pdf import confirmation
from registrations.pdf.rendering import STATIC_ROOTS, StaticOnlyFetcher
from registrations.services.registering import register


@pytest.fixture
def sent(organisation, venue):
    venue.route_notes = "Vanaf station Nijmegen lijn 6 tot halte Vasim."
    venue.save()
    event = make_conference(organisation, venue, slug="dag-van-de-regio", starts_in=timedelta(days=6))
    event.practical_info = "Neem uw laptop mee."
    event.save()
    ProgrammeItem.objects.create(event=event, starts_at=event.starts_at, title="Ontvangst")
    workshops = [r.workshops.order_by("pk").first().pk for r in event.rounds.all()]
    registration = register(event.pk, people=[person(1, workshops)])
    [queued] = queue_due_mails()
    django_mail.outbox.clear()
    assert deliver_many([queued.pk]) == []
    [message] = django_mail.outbox
    return message, registration


def attachment(message, suffix):
    [found] = [a for a in message.attachments if a[0].endswith(suffix)]
    return found


@pytest.mark.django_db
def test_mail_has_everything_in_dutch_html_and_text(sent):
    message, registration = sent
    html = message.alternatives[0][0]
    assert message.subject.startswith("Definitieve bevestiging: Testdag van de Regio's op ")
    for text in [message.body, html]:
        for expected in ["Ontvangst", "Zaal 1", "Workshop 1.1", "Workshop 2.1", "De Vasim", "lijn 6", "laptop"]:
            assert expected in text, expected
        assert registration.token in text  # the personal link
    for label in ["Lees online", "Gegevens wijzigen", "Afmelden"]:
        assert f">{label}</a>" in html
    assert f"/aanmelding/{registration.token}/mail/" in html  # the web version behind the secret link
    assert message.extra_headers["List-Unsubscribe"].endswith(f"/aanmelding/{registration.token}/afmelden/>")


@pytest.mark.django_db
def test_mail_html_is_accessible(sent):
    html = sent[0].alternatives[0][0]
    assert 'lang="nl"' in html
    for table in re.findall(r"<table[^>]*>", html):
        assert 'role="presentation"' in table
    for img in re.findall(r"<img[^>]*>", html):
        assert "alt=" in img
    assert "<h1" in html and "<h2" in html


@pytest.mark.django_db
def test_calendar_file_is_attached(sent):
    message, registration = sent
    name, content, mimetype = attachment(message, ".ics")
    assert mimetype == "text/calendar"
    [item] = Calendar.from_ical(content).walk("VEVENT")
    assert str(item["SUMMARY"]) == registration.event.title
    assert "De Vasim" in str(item["LOCATION"])


@pytest.mark.django_db
def test_pdf_confirmation_is_attached_with_person_workshops_venue_and_shipped_font(sent):
    message, registration = sent
    name, content, mimetype = attachment(message, ".pdf")
    assert mimetype == "application/pdf" and name.endswith("-bevestiging.pdf")
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in ["Esther van der Mark1", "Workshop 1.1", "Zaal 1", "De Vasim", "Winselingseweg 41"]:
        assert expected in text, expected
    fonts = {
        str(font["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].get_object().values()
    }
    # Only the font shipped in static/fonts ("Regiodag Sans"), no system fallback.
    assert fonts and all("Regiodag-Sans" in font for font in fonts), fonts


@pytest.mark.django_db
def test_pdf_carries_a_qr_code_of_the_signed_checkin_payload(sent):
    _message, registration = sent
    participant = registration.participants.get()
    html = confirmation.confirmation_html(participant)
    assert 'href="css/fonts.css"' in html
    uri = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="QR-code[^"]*"', html).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(uri))).convert("1")
    # Read the modules back from the pixels and compare them with the symbol of the payload.
    payload = checkin_payload(participant)
    assert checkin_code_from_payload(payload) == participant.checkin_code
    scale, border = confirmation.QR_SCALE, confirmation.QR_BORDER
    size = image.width // scale - 2 * border
    modules = [
        [
            image.getpixel(((border + x) * scale + scale // 2, (border + y) * scale + scale // 2)) == 0
            for x in range(size)
        ]
        for y in range(size)
    ]
    expected = segno.make(payload, error="m", micro=False, mask=0).matrix
    assert modules == [[bool(v) for v in row] for row in expected]


@pytest.mark.django_db
def test_pdf_fetches_nothing_outside_the_static_folder(sent, monkeypatch):
    _message, registration = sent
    fetched = []
    original = StaticOnlyFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", recording)
    confirmation.shared_styles.cache_clear()
    try:
        confirmation.confirmation_pdf(registration.participants.get())
    finally:
        confirmation.shared_styles.cache_clear()
    assert fetched, "the shipped fonts are loaded through the fetcher"
    outside = [url[:80] for url in fetched if not url.startswith((STATIC_ROOTS[0].as_uri(), "data:image/png;"))]
    assert outside == []
