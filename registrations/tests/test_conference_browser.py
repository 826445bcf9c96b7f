"""A person registers for the demo conference in real headless Chromium, then changes a
workshop through the personal link from the acknowledgement mail."""

import re

import pytest
from django.core import mail as django_mail

from registrations.mails.delivery import deliver
from registrations.models import Mail, Registration

DEMO_DAY = "ambtelijke-dag-van-de-regios-demo"
FIRST = "Wie stuurt de regio? Over regie en samenwerking"
SECOND = "De regio in het bestuur van morgen"
CHANGED = "De Fishbowl: Wat partners écht vinden van samenwerken met gemeenten"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page(chromium, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.REGIODAG_MIN_FILL_SECONDS = 0
    page = chromium.new_page(locale="nl-NL")
    page.set_default_timeout(20_000)
    return page


def test_register_choose_two_workshops_then_change_one_via_the_mail(page, live_server, demo):
    page.goto(f"{live_server.url}/evenement/{DEMO_DAY}/")
    page.get_by_role("link", name="Aanmelden").click()
    page.wait_for_url(re.compile(r"/aanmelden/$"))

    page.get_by_label("Voornaam").fill("Esther")
    page.get_by_label("Tussenvoegsel").fill("van der")
    page.get_by_label("Achternaam").fill("Mark")
    page.get_by_label("E-mailadres").fill("esther@nijmegen.nl")
    page.get_by_label("Organisatie").fill("Gemeente Nijmegen")
    page.get_by_label("Functie").fill("strateeg regionale samenwerking")
    page.get_by_label("Dieetwensen voor de netwerklunch").fill("vegetarisch")
    page.get_by_role("group", name=re.compile("Workshopronde 1")).get_by_label(FIRST).check()
    page.get_by_role("group", name=re.compile("Workshopronde 2")).get_by_label(SECOND).check()
    page.get_by_label(re.compile("akkoord met de privacyverklaring")).check()
    page.get_by_role("button", name="Aanmelden").click()

    # The same answer as for an address that registered before: the rest is in the mail.
    page.wait_for_url(re.compile(r"/verstuurd/$"))
    assert page.get_by_role("heading", name="Kijk in uw e-mail").is_visible()

    # What the Celery worker does with the recorded acknowledgement.
    registration = Registration.objects.get(email="esther@nijmegen.nl")
    assert deliver(Mail.objects.get(registration=registration, kind="acknowledgement").pk)
    (message,) = django_mail.outbox
    link = re.search(rf"{re.escape(live_server.url)}/aanmelding/[\w-]+/", message.body).group(0)

    page.goto(link)
    assert page.get_by_role("heading", name=re.compile("Uw aanmelding")).is_visible()
    change = page.locator("form", has=page.get_by_role("button", name="Workshopkeuze opslaan"))
    change.get_by_role("group", name=re.compile("Workshopronde 1")).get_by_label(CHANGED).check()
    change.get_by_role("button", name="Workshopkeuze opslaan").click()

    assert page.get_by_text("Uw workshopkeuze is gewijzigd.").is_visible()
    chosen = set(registration.participants.get().choices.values_list("workshop__title", flat=True))
    assert chosen == {CHANGED, SECOND}


def test_a_workshop_that_filled_up_meanwhile_offers_its_waiting_list(page, live_server, demo):
    """Picked while it had places, full when sent: the re-shown form lets the person wait
    for that very workshop, and the personal page says the workshop is full, not the event."""
    from registrations.services.registering import Person, register
    from workshops.models import Workshop

    page.goto(f"{live_server.url}/evenement/{DEMO_DAY}/aanmelden/")
    page.get_by_label("Voornaam").fill("Esther")
    page.get_by_label("Achternaam").fill("Mark")
    page.get_by_label("E-mailadres").fill("esther@nijmegen.nl")
    page.get_by_label("Organisatie").fill("Gemeente Nijmegen")
    page.get_by_label("Functie").fill("strateeg")
    first_round = page.get_by_role("group", name=re.compile("Workshopronde 1"))
    first_round.get_by_label(FIRST).check()
    page.get_by_role("group", name=re.compile("Workshopronde 2")).get_by_label(SECOND).check()
    page.get_by_label(re.compile("akkoord met de privacyverklaring")).check()

    # Meanwhile somebody else takes the workshop's last place.
    workshop = Workshop.objects.get(title=FIRST, round__event__slug=DEMO_DAY)
    second = Workshop.objects.get(title=SECOND, round__event__slug=DEMO_DAY)
    other = Person("Ander", "Mens", "ander@ede.nl", organisation="Ede", workshop_ids=(workshop.pk, second.pk))
    register(workshop.round.event_id, people=[other])
    Workshop.objects.filter(pk=workshop.pk).update(capacity=1)
    page.get_by_role("button", name="Aanmelden").click()

    assert page.get_by_text(f"De workshop ‘{FIRST}’ is vol.").first.is_visible()
    chosen = page.get_by_role("group", name=re.compile("Workshopronde 1")).get_by_label(FIRST)
    assert chosen.is_checked() and chosen.is_enabled()
    page.get_by_label(re.compile("Plaats mij op de wachtlijst")).check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url(re.compile(r"/verstuurd/$"))

    registration = Registration.objects.get(email="esther@nijmegen.nl")
    assert registration.status == Registration.Status.WAITLISTED
    assert set(registration.participants.get().choices.values_list("workshop__title", flat=True)) == {FIRST, SECOND}
    assert deliver(Mail.objects.get(registration=registration, kind="waitlisted").pk)
    (message,) = django_mail.outbox
    assert f"Uw workshop is vol: {FIRST}" in message.body and "evenement is vol" not in message.body

    page.goto(f"{live_server.url}/aanmelding/{registration.token}/")
    status = page.get_by_role("status").first
    assert f"Uw workshop is vol: {FIRST}" in status.inner_text()
    assert "evenement is vol" not in page.content()
