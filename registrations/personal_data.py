"""Right of access (AVG art. 15): everything we hold about one registration, as a download.

A registration's data is its contact person's and its participants' (one person, or the
members of a driehoek the contact person registered); nothing of any other registration.
Mails are not stored as text: they are listed by subject and date, the subject rendered
as it was (or will be) sent.
"""

import json

from django.utils import timezone

from registrations.mails.rendering import render_parts
from registrations.models import Mail


def moment(value):
    return timezone.localtime(value).isoformat() if value else None


def participant_data(participant):
    attendance = getattr(participant, "attendance", None)
    return {
        "voornaam": participant.given_name,
        "tussenvoegsel": participant.name_prefix,
        "achternaam": participant.family_name,
        "e-mailadres": participant.email,
        "organisatie": participant.organisation,
        "functie": participant.function,
        "rol in de driehoek": participant.get_role_display() if participant.role else "",
        "dieetwensen": participant.dietary_wishes,
        "toegankelijkheid": participant.accessibility_needs,
        "workshops": [
            {"ronde": choice.round.number, "workshop": choice.workshop.title}
            for choice in participant.choices.select_related("round", "workshop").order_by("round__number")
        ],
        # The code on their proof of attendance, which its public page checks.
        "bewijs van deelname": getattr(getattr(participant, "certificate", None), "code", None),
        "aanwezigheid": (
            {"status": attendance.get_status_display(), "vastgelegd op": moment(attendance.recorded_at)}
            if attendance
            else None
        ),
    }


def mail_data(mail):
    subject, _text, _html = render_parts(mail)
    return {
        "onderwerp": subject,
        "aan": mail.recipient,
        "status": mail.get_status_display(),
        "aangemaakt op": moment(mail.created_at),
        "verzonden op": moment(mail.sent_at),
    }


def personal_data(registration):
    """What we hold about ``registration``, as a dict of plain values."""
    event = registration.event
    participants = registration.participants.select_related("attendance", "certificate").order_by("pk")
    mails = Mail.objects.filter(registration=registration).select_related("registration__event", "participant")
    return {
        "evenement": {"titel": event.title, "begint om": moment(event.starts_at)},
        "aanmelding": {
            "status": registration.get_status_display(),
            "contactpersoon": registration.contact_name,
            "e-mailadres contactpersoon": registration.email,
            "gemeente": registration.municipality,
            "taal": registration.language,
            "aangemeld op": moment(registration.created_at),
            "privacyverklaring aanvaard op": moment(registration.privacy_accepted_at),
            "op wachtlijst sinds": moment(registration.waitlisted_at),
            "besluit over toelating op": moment(registration.decided_at),
            "afgemeld op": moment(registration.cancelled_at),
        },
        "deelnemers": [participant_data(participant) for participant in participants],
        "e-mails": [mail_data(mail) for mail in mails.order_by("created_at", "pk")],
    }


def personal_data_json(registration):
    return json.dumps(personal_data(registration), ensure_ascii=False, indent=2)
