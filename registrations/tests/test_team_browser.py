"""A driehoek registers in real headless Chromium, from the series page to the personal page."""

import pytest

from registrations.models import Mail, Registration

pytestmark = [pytest.mark.browser]


@pytest.fixture
def page(chromium):
    return chromium.new_page(java_script_enabled=False)


@pytest.mark.django_db(transaction=True)
def test_a_driehoek_registers_in_the_browser(live_server, page, team_session, settings):
    settings.REGIODAG_MIN_FILL_SECONDS = 0  # a browser driven by a test fills in fast
    page.goto(live_server.url + team_session.series.get_absolute_url())
    assert page.get_by_text("Nog 6 plaatsen voor driehoeken").is_visible()
    page.get_by_role("link", name="Driehoek aanmelden").first.click()

    # First a mistake: the same role twice, which the page explains and links to.
    page.get_by_label("Gemeente").fill("Nijmegen")
    members = [
        ("Griet", "Griffier", "griffier@nijmegen.nl"),
        ("Bram", "Burgemeester", "burgemeester@nijmegen.nl"),
        ("Sanne", "Secretaris", "secretaris@nijmegen.nl"),
    ]
    for number, (given, family, email) in enumerate(members, start=1):
        fieldset = page.get_by_role("group", name=f"Lid {number} van de driehoek")
        fieldset.get_by_label("Voornaam").fill(given)
        fieldset.get_by_label("Achternaam").fill(family)
        fieldset.get_by_label("E-mailadres").fill(email)
    page.get_by_role("group", name="Lid 3 van de driehoek").get_by_label("Rol").select_option("griffier")
    contact = page.get_by_role("group", name="Contactpersoon")
    contact.get_by_label("Naam contactpersoon").fill("Carla Contact")
    contact.get_by_label("E-mailadres contactpersoon").fill("griffie@nijmegen.nl")
    page.get_by_role("group", name="Privacy").get_by_role("checkbox").check()
    page.get_by_role("button", name="Driehoek aanmelden").click()
    alert = page.get_by_role("alert")
    assert "Elke rol komt precies één keer voor" in alert.inner_text()
    assert not Registration.objects.exists()

    # Corrected: the typed values and the consent are kept, only the role needs fixing.
    assert page.get_by_label("Gemeente").input_value() == "Nijmegen"
    assert page.get_by_role("group", name="Privacy").get_by_role("checkbox").is_checked()
    page.get_by_role("group", name="Lid 3 van de driehoek").get_by_label("Rol").select_option("gemeentesecretaris")
    page.get_by_role("button", name="Driehoek aanmelden").click()

    page.get_by_role("heading", name="Driehoek van gemeente Nijmegen").wait_for()
    assert "Uw driehoek is aangemeld" in page.get_by_role("status").first.inner_text()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.APPLIED
    assert sorted(registration.participants.values_list("email", flat=True)) == sorted(m[2] for m in members)
    assert Mail.objects.filter(registration=registration, kind="acknowledgement").count() == 3
