"""In headless Chromium: an organiser signs in with both factors, writes a message to an
event's participants, previews it and sends it; the outbox then holds one mail per
recipient, and a hostile name and a <script> in the message show as text everywhere."""

import pytest
from django.urls import reverse

from conftest import enter_second_factor, make_conference, make_organiser, person, totp_device
from registrations.mails.delivery import deliver_many
from registrations.models import Mail, ParticipantMessage
from registrations.services.registering import register
from registrations.tests.conference_helpers import workshop_ids

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_NAME = "<script>alert('naam')</script>"
SCRIPT = "<script>alert('bericht')</script>"


def test_an_organiser_writes_previews_and_sends_a_message(live_server, chromium, settings, organisation, venue):
    settings.SITE_URL = live_server.url
    event = make_conference(organisation, venue, slug="berichtendag")
    hostile = register(event.pk, people=[person(1, workshop_ids(event), given_name=HOSTILE_NAME)])
    for n in (2, 3):
        register(event.pk, people=[person(n, workshop_ids(event, 1))])
    device = totp_device(make_organiser("schrijver", organisation))
    page = chromium.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(live_server.url + reverse("admin:registrations_participantmessage_add"))
    page.get_by_label("Gebruikersnaam").fill("schrijver")
    page.get_by_label("Wachtwoord").fill("geheim-wachtwoord-123")
    page.locator("#login-form [type=submit]").click()
    enter_second_factor(page, device)

    page.get_by_label("Evenement:").select_option(label=event.title)
    page.get_by_label("Aan:").select_option("all")
    page.get_by_label("Onderwerp:").fill("Parkeren is vol")
    page.get_by_label("Bericht:").fill(f"Neem de trein.\n\n{SCRIPT}")
    with page.expect_navigation():
        page.locator("[name=_save]").click()
    message = ParticipantMessage.objects.get()
    assert page.url.endswith(reverse("admin:registrations_participantmessage_send", args=[message.pk]))

    # The preview: the mail in its layout inside the sandboxed frame, texts as typed.
    frame = page.frame_locator("iframe[sandbox]")
    assert SCRIPT in frame.locator("body").inner_text()
    assert f"Beste {HOSTILE_NAME} van der Mark1," in frame.locator("body").inner_text()
    assert "Lees online" in frame.locator("body").inner_text()
    assert SCRIPT in page.locator("pre").inner_text()
    assert "Het bericht gaat naar 3 ontvangers." in page.locator("#content").inner_text()

    page.wait_for_load_state()
    button = page.get_by_role("button", name="Nu versturen")
    # Below the frame: scrolled to first, or the click can land before the page has moved.
    button.scroll_into_view_if_needed()
    with page.expect_response(lambda response: response.request.method == "POST"):
        button.click()
    page.locator(".messagelist").wait_for()
    assert "Het bericht staat klaar voor 3 ontvangers" in page.locator(".messagelist").inner_text()
    mails = Mail.objects.filter(message=message)
    assert mails.count() == 3
    assert sorted(mails.values_list("recipient", flat=True)) == [f"deelnemer{n}@example.org" for n in (1, 2, 3)]

    # Read online, the hostile participant's mail shows both texts as text, too.
    deliver_many(list(mails.values_list("pk", flat=True)))
    mail = mails.get(registration=hostile)
    page.goto(live_server.url + reverse("registrations:mail_online", args=[hostile.token, mail.pk]))
    text = page.locator("body").inner_text()
    assert SCRIPT in text and f"Beste {HOSTILE_NAME}" in text
    assert dialogs == [], "a script of a participant or an organiser ran"
