"""Contacts and mailings for the invitation tests."""

from registrations.invitations.mailings import send_mailing
from registrations.invitations.models import Contact, Mailing


def add_contact(owner, n=1, **fields):
    data = dict(
        email=f"contact{n}@example.org",
        salutation="mevrouw",
        given_name="Esther",
        name_prefix="van der",
        family_name=f"Mark{n}",
        organisation="Gemeente Nijmegen",
        function="beleidsadviseur",
        role="ambtenaar",
        municipality="Nijmegen",
    )
    data.update(fields)
    return Contact.objects.create(owner=owner, **data)


def make_mailing(owner, event, **fields):
    data = dict(subject="Denkt u mee over regionale samenwerking?", text="Eerste alinea.\n\nTweede alinea.")
    data.update(fields)
    return Mailing.objects.create(owner=owner, event=event, **data)


def sent_mailing(owner, event, **fields):
    mailing = make_mailing(owner, event, **fields)
    send_mailing(mailing.pk)
    mailing.refresh_from_db()
    return mailing
