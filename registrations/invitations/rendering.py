"""What an invitation mail says and where its links go; its headers for the mail client."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from registrations.invitations.models import Contact

PREFILL_SALT = "registrations.invitations.prefill"
PREFILL_PARAMETER = "uitnodiging"


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def salutation(contact):
    """ "Geachte mevrouw Van der Mark," where both are known, else the neutral form."""
    if contact is not None and contact.salutation and contact.family_name:
        surname = " ".join(part for part in [capfirst(contact.name_prefix), contact.family_name] if part)
        title = Contact.Salutation(contact.salutation).label
        return _("Geachte %(title)s %(surname)s,") % {"title": title, "surname": surname}
    return _("Geachte heer, mevrouw,")


def prefill_value(invitation):
    """The signed query value that fills in the registration form for this invitation."""
    return signing.dumps(invitation.token, salt=PREFILL_SALT)


def invitation_context(invitation, mail=None):
    contact = invitation.contact
    mailing = invitation.mailing
    target = mailing.event or mailing.series
    links = contact_links(contact)
    return {
        "mail": mail,
        "invitation": invitation,
        "contact": contact,
        "mailing": mailing,
        "event": mailing.event,
        "target": target,
        "salutation": salutation(contact),
        "organisation": mailing.owner,
        "site_url": settings.SITE_URL,
        "online_url": absolute(reverse("registrations:invitation_online", args=[invitation.token])),
        "take_part_url": absolute(reverse("registrations:invitation_take_part", args=[invitation.token])),
        "target_url": absolute(target.get_absolute_url()),
        "privacy_url": absolute(reverse("events:privacy")),
        **links,
    }


def contact_links(contact):
    if contact is None:
        return {"change_url": "", "unsubscribe_url": "", "one_click_url": ""}
    return {
        "change_url": absolute(reverse("registrations:contact_details", args=[contact.token])),
        "unsubscribe_url": absolute(reverse("registrations:contact_unsubscribe", args=[contact.token])),
        "one_click_url": absolute(reverse("registrations:contact_one_click", args=[contact.token])),
    }


def unsubscribe_headers(context):
    """RFC 8058 one-click unsubscribe: the mail client POSTs to the https address; a
    mailto address for clients that only mail."""
    contact = context["contact"]
    mailto = f"mailto:{settings.REGIODAG_UNSUBSCRIBE_MAILTO}?subject=afmelden%20{contact.token}"
    return {
        "List-Unsubscribe": f"<{context['one_click_url']}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
