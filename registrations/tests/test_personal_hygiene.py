"""Personal pages leave no copy of the participant's data behind: not in a browser's or
proxy's cache, not in the application's log."""

import io
import logging
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from conftest import add_material, person
from events.models import Event
from regiodag.log_redaction import RedactTokens, redact
from registrations.checkin.attendance import check_in
from registrations.converters import TokenConverter
from registrations.services.registering import register
from registrations.tests.conference_helpers import workshop_ids
from registrations.tests.event_day import organiser_client_fixture  # noqa: F401
from registrations.tests.invitation_helpers import add_contact, sent_mailing

pytestmark = pytest.mark.django_db


def token_patterns(resolver=None, namespace=""):
    """Every URL name whose path holds a personal token (a registration's)."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from token_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and isinstance(entry.pattern.converters.get("token"), TokenConverter):
            yield f"{namespace}{entry.name}", sorted(entry.pattern.converters)


@pytest.fixture
def registration(conference, media_root):
    return register(conference.pk, people=[person(1, workshop_ids(conference, 0))])


def personal_urls(registration):
    workshop = registration.participants.get().choices.order_by("round__number")[0].workshop
    material = add_material(workshop, "Dia's", participants_only=True, filename="d.pdf", content=b"%PDF-1.4 d")
    # An invitation's pages take the invitation's token, a contact's pages the contact's.
    organisation = registration.event.organisations.get()
    contact = add_contact(organisation)
    invitation = sent_mailing(organisation, registration.event).invitations.get()
    tokens = {"registrations:invitation_": invitation.token, "registrations:contact_": contact.token}
    # Present at an event that has ended, so that the certificate pages answer too.
    participant = registration.participants.get()
    check_in(participant.pk)
    Event.objects.filter(pk=registration.event_id).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    values = {
        "token": registration.token,
        "material_id": material.pk,
        "mail_id": registration.mails.first().pk,
        "participant_id": participant.pk,
    }
    for name, arguments in token_patterns():
        token = next((value for prefix, value in tokens.items() if name.startswith(prefix)), registration.token)
        kwargs = {argument: values[argument] for argument in arguments}
        yield name, reverse(name, kwargs={**kwargs, "token": token})


def test_every_personal_page_forbids_caching(client, registration):
    urls = dict(personal_urls(registration))
    assert "registrations:manage" in urls and "registrations:mail_online" in urls
    assert "registrations:certificate_download" in urls

    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (200, 302, 405), (name, response.status_code)
        assert "no-store" in response.get("Cache-Control", ""), name


def test_checkin_pages_forbid_caching(organiser_client, conference):
    response = organiser_client.get(reverse("checkin:event", args=[conference.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_a_bad_request_on_a_personal_page_logs_no_token(client, registration):
    handlers = [h for h in logging.getLogger("django").handlers if any(isinstance(f, RedactTokens) for f in h.filters)]
    assert handlers, "the django logger's handler redacts tokens"
    stream = io.StringIO()
    previous = handlers[0].setStream(stream)
    try:
        response = client.post(reverse("registrations:change_details", args=[registration.token]), {"email": "x"})
    finally:
        handlers[0].setStream(previous)

    assert response.status_code == 400
    logged = stream.getvalue()
    assert "Bad Request: /aanmelding/[verborgen]/gegevens/" in logged
    assert registration.token not in logged


def test_redaction_hides_tokens_anywhere():
    token = "A" * 20 + "b-_" * 8
    assert redact(f"GET /aanmelding/{token}/mail/3/ 400") == "GET /aanmelding/[verborgen]/mail/3/ 400"
    assert redact(f"code {token}, ok") == "code [verborgen], ok"
    assert redact("task 6f1c2d3e-0000-4a4a-9b9b-123456789abc done") == "task 6f1c2d3e-0000-4a4a-9b9b-123456789abc done"
