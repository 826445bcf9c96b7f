"""Every PDF declares the language it is written in, for screen readers and hyphenation."""

import pytest
from django.utils import translation

from conftest import person
from registrations.pdf import badges, rendering
from registrations.pdf.confirmation import confirmation_html
from registrations.pdf.lists import event_attendance_pdf, participant_list_pdf
from registrations.services.registering import register
from registrations.tests.event_day import workshops_of


def participant_of(conference, language):
    registration = register(conference.pk, people=[person(1, workshops_of(conference, 0))], language=language)
    return registration.participants.get()


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "title"), [("nl", "Bevestiging"), ("en", "Confirmation")])
def test_confirmation_is_written_and_declared_in_the_registrations_language(conference, language, title):
    participant = participant_of(conference, language)
    # Whatever the language of whoever makes it: the organiser's preview is in Dutch.
    with translation.override("nl" if language == "en" else "en"):
        html = confirmation_html(participant)
    assert f'<html lang="{language}">' in html
    assert f"<title>{title}: " in html


@pytest.fixture
def rendered_html(monkeypatch):
    """The HTML handed to WeasyPrint, instead of the PDF."""
    monkeypatch.setattr(rendering, "html_to_pdf", lambda html: html)
    monkeypatch.setattr(badges, "html_to_pdf", lambda html: html)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "title"), [("nl", "Presentielijst"), ("en", "Attendance list")])
def test_organiser_pdfs_follow_the_active_language(conference, rendered_html, language, title):
    participant_of(conference, "nl")
    workshop = conference.rounds.order_by("number").first().workshops.order_by("pk").first()
    with translation.override(language):
        made = [event_attendance_pdf([conference]), participant_list_pdf(workshop), badges.badges_pdf([conference])]
    for html in made:
        assert f'<html lang="{language}">' in html
    assert f"<title>{title}" in made[0]
