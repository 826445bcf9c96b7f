"""A big badge run in headless Chromium without JavaScript, made by a real PDF worker: the
organiser asks, sees the progress page (queued while no worker runs), the page refreshes
itself until the download link appears, downloads the PDF and gets the notice by mail."""

from pathlib import Path

import pytest
from django.urls import reverse

from conftest import enter_second_factor, make_organiser, totp_device
from registrations.models import GeneratedDocument
from registrations.samples import add_registrations
from registrations.tests.mailservers import RedisServer, SmtpSink, Worker, publishing_to, wait_for
from registrations.tests.pdf_helpers import pdf_pages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PEOPLE = 23


@pytest.mark.django_db(transaction=True)
def test_badges_in_the_background_with_progress_and_a_download(
    live_server, chromium, settings, tmp_path, organisation, conference
):
    settings.REGIODAG_DIRECT_PDF_LIMIT = 5
    settings.MEDIA_ROOT = tmp_path / "media"
    add_registrations(conference, PEOPLE, all_holding=True)
    organiser = make_organiser("organisator", organisation)
    device = totp_device(organiser)
    page = chromium.new_page(java_script_enabled=False)

    with SmtpSink() as smtp, RedisServer(tmp_path) as redis, publishing_to(redis.url):
        page.goto(live_server.url + reverse("admin:events_event_badges", args=[conference.pk]))
        page.get_by_label("Gebruikersnaam").fill("organisator")
        page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
        page.locator("#login-form [type=submit]").click()
        enter_second_factor(page, device)
        page.get_by_role("button", name="Badges maken (PDF)").click()

        # No worker yet: the request came back at once, with the progress page.
        document = GeneratedDocument.objects.get()
        assert page.url.endswith(reverse("admin:registrations_generateddocument_progress", args=[document.pk]))
        assert page.get_by_text("In de wachtrij…").is_visible()
        assert page.get_by_role("progressbar").is_visible()

        worker_env = {"MEDIA_ROOT": str(settings.MEDIA_ROOT), "REGIODAG_PDF_PART_SHEETS": "1"}
        # The worker with beat: its relay hands the document over, the pdf queue makes it.
        with Worker(tmp_path, redis.url, smtp.url, beat=True, env=worker_env) as worker:
            link = page.get_by_role("link", name="Naambadges downloaden (PDF)")
            link.wait_for(timeout=90_000)  # the page reloads itself every two seconds
            assert worker.succeeded("registrations.tasks.render_document") == 1
            with page.expect_download() as download:
                link.click()
            wait_for(lambda: smtp.received(to=organiser.email), 20, "the organiser's notice")

    assert download.value.suggested_filename == f"badges-{conference.slug}.pdf"
    pages = pdf_pages(Path(download.value.path()).read_bytes())
    assert len(pages) == 3 and all(f"Mark{n}" in "".join(pages) for n in range(PEOPLE))
    (notice,) = smtp.received(to=organiser.email)
    progress_url = reverse("admin:registrations_generateddocument_progress", args=[document.pk])
    assert progress_url in notice.get_content()
