"""The contact's pages: the personal link that fills in the form, "Lees online", changing
one's details, unsubscribing (also in one click from the mail client)."""

import time
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from regiodag.spam_trap import sign_start
from registrations.invitations import mailings
from registrations.invitations.models import Contact, Invitation
from registrations.invitations.rendering import PREFILL_PARAMETER
from registrations.tests.invitation_helpers import add_contact, sent_mailing

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(organisation, conference):
    contact = add_contact(organisation, family_name="Mark", municipality="Nijmegen", function="griffier <i>x</i>")
    mailing = sent_mailing(organisation, conference)
    return contact, Invitation.objects.get(mailing=mailing, contact=contact)


def test_the_personal_link_counts_as_opened_and_opens_the_form_filled_in(client, invited, conference):
    contact, invitation = invited
    response = client.get(reverse("registrations:invitation_take_part", args=[invitation.token]))
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert target.path == reverse("registrations:register", args=[conference.slug])
    invitation.refresh_from_db()
    assert invitation.opened_at is not None

    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'value="Esther"' in html and 'value="van der"' in html and 'value="Mark"' in html
    assert f'value="{contact.email}"' in html
    assert "griffier &lt;i&gt;x&lt;/i&gt;" in html
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]

    value = parse_qs(target.query)[PREFILL_PARAMETER][0]
    forged = client.get(f"{target.path}?{PREFILL_PARAMETER}={value[:-2]}xx").content.decode()
    assert contact.email not in forged


def test_reading_online_shows_the_mail_escaped(client, organisation, conference):
    contact = add_contact(organisation, family_name="<b>Mark</b>")
    mailing = sent_mailing(organisation, conference, text="Hallo <script>x()</script>")
    invitation = Invitation.objects.get(mailing=mailing)
    response = client.get(reverse("registrations:invitation_online", args=[invitation.token]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html
    assert "<b>Mark</b>" not in html
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert client.get(reverse("registrations:invitation_online", args=["onbekend"])).status_code == 404
    del contact


def test_one_click_unsubscribe_needs_no_csrf_token_and_is_idempotent(organisation, conference):
    contact = add_contact(organisation)
    browser = Client(enforce_csrf_checks=True)
    url = reverse("registrations:contact_one_click", args=[contact.token])
    assert browser.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 204
    contact.refresh_from_db()
    first = contact.unsubscribed_at
    assert first is not None
    assert browser.post(url, {"List-Unsubscribe": "One-Click"}).status_code == 204
    contact.refresh_from_db()
    assert contact.unsubscribed_at == first
    assert browser.get(url).status_code == 405
    assert browser.post(url, {}).status_code == 400
    unknown = reverse("registrations:contact_one_click", args=["onbekend"])
    assert browser.post(unknown, {"List-Unsubscribe": "One-Click"}).status_code == 404


def test_the_unsubscribe_page_asks_first_and_needs_its_csrf_token(organisation, conference):
    contact = add_contact(organisation)
    url = reverse("registrations:contact_unsubscribe", args=[contact.token])
    browser = Client(enforce_csrf_checks=True)
    assert browser.get(url).status_code == 200  # a link scanner unsubscribes nobody
    assert browser.post(url).status_code == 403
    contact.refresh_from_db()
    assert contact.unsubscribed_at is None
    assert Client().post(url).status_code == 200
    contact.refresh_from_db()
    assert contact.unsubscribed_at is not None
    later = sent_mailing(organisation, conference, subject="Later")
    assert not later.invitations.exists()
    assert mailings.send_mailing(later.pk) == 0


def details_data(**fields):
    data = {
        "salutation": "heer",
        "given_name": "Bram",
        "name_prefix": "",
        "family_name": "Bakker",
        "organisation": "Gemeente Zutphen",
        "function": "burgemeester",
        "role": "burgemeester",
        "municipality": "zutphen",
        "website": "",
        "started": sign_start(time.time() - 60),
    }
    data.update(fields)
    return data


def test_a_contact_changes_their_own_details_with_the_spam_trap(client, organisation):
    contact = add_contact(organisation)
    url = reverse("registrations:contact_details", args=[contact.token])
    assert client.get(url).status_code == 200
    assert client.post(url, details_data(website="http://spam")).status_code == 200
    contact.refresh_from_db()
    assert contact.family_name != "Bakker"  # the robot changed nothing
    refused = client.post(url, details_data(municipality="Atlantis")).content.decode()
    assert "Kies een gemeente uit de lijst." in refused
    response = client.post(url, details_data())
    assert "Uw gegevens zijn opgeslagen." in response.content.decode()
    contact.refresh_from_db()
    assert (contact.salutation, contact.family_name, contact.municipality) == ("heer", "Bakker", "Zutphen")
    assert contact.province == "Gelderland"
    assert contact.email == "contact1@example.org"  # the address is the key; not changed here


def test_changing_details_is_rate_limited(client, organisation, settings):
    settings.REGIODAG_RATE_LIMITS = {**settings.REGIODAG_RATE_LIMITS, "contact-ip": "2/h"}
    contact = add_contact(organisation)
    url = reverse("registrations:contact_details", args=[contact.token])
    codes = [client.post(url, details_data(given_name=f"Bram{n}")).status_code for n in range(3)]
    assert codes == [200, 200, 429]
    assert Contact.objects.get(pk=contact.pk).given_name == "Bram1"


def test_the_logs_hide_invitation_and_contact_tokens():
    from regiodag.log_redaction import redact

    logged = redact("Bad Request: /contactpersoon/abc-123/gegevens/")
    assert logged == "Bad Request: /contactpersoon/[verborgen]/gegevens/"
    assert redact("GET /uitnodiging/abc/deelnemen/") == "GET /uitnodiging/[verborgen]/deelnemen/"


def test_the_personal_link_of_a_series_mailing_opens_the_series(client, organisation, conference):
    from events.models import Series
    from registrations.invitations.models import Mailing

    series = Series.objects.create(title="Reeks", slug="reeks")
    series.organisations.add(organisation)
    add_contact(organisation)
    mailing = Mailing.objects.create(owner=organisation, series=series, subject="Reeks", text="x")
    mailings.send_mailing(mailing.pk)
    invitation = Invitation.objects.get(mailing=mailing)
    response = client.get(reverse("registrations:invitation_take_part", args=[invitation.token]))
    assert response["Location"] == series.get_absolute_url()
