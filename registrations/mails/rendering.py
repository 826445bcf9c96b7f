"""Turning a recorded mail into a message: templates per kind, HTML and plain text.

Templates live in ``templates/mails/<kind>/`` as ``subject.txt``, ``body.txt`` and
``body.html``; they are rendered from the database objects at send time, so a mail always
says what is true when it leaves, in the registration's language.
"""

from html import unescape

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from events.dates import days_until

# kind -> callables(mail) returning (filename, content, mimetype); filled by the modules
# that make attachments (calendar file, PDF confirmation), so this one stays small.
ATTACHMENTS = {}
# Kinds whose attachments are expensive to make (PDFs): their mails are sent by the
# workers of the "pdf" queue, which run with a memory ceiling per child process.
HEAVY_KINDS = set()


def attach(*kinds, heavy=False):
    def register(func):
        for kind in kinds:
            ATTACHMENTS.setdefault(kind, []).append(func)
            if heavy:
                HEAVY_KINDS.add(kind)
        return func

    return register


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def prefetch_for_mail(mail):
    """Load once what the templates and attachments of a mail all read (html, text, PDF)."""
    from registrations.models import WorkshopChoice

    choices = Prefetch("choices", queryset=WorkshopChoice.objects.select_related("workshop", "round"))
    prefetch_related_objects([mail.participant], choices)
    prefetch_related_objects([mail.registration.event], "programme", "organisations")


def organiser_contacts(event):
    """Whom to mail with questions: each organisation's address once, from the organisations
    prefetched for the footer, so it costs no query of its own."""
    contacts = {}
    for organisation in event.organisations.all():
        if organisation.contact_email:
            contacts.setdefault(organisation.contact_email.lower(), (str(organisation), organisation.contact_email))
    return [{"name": name, "email": email} for name, email in contacts.values()]


def mail_context(mail):
    if mail.invitation_id:
        from registrations.invitations.rendering import invitation_context

        return invitation_context(mail.invitation, mail)
    from registrations.selectors import waiting_for

    registration = mail.registration
    event = registration.event
    prefetch_for_mail(mail)
    token = registration.token
    personal_url = absolute(reverse("registrations:manage", args=[token]))
    return {
        "mail": mail,
        "registration": registration,
        "participant": mail.participant,
        "participants": list(registration.participants.all()),
        "event": event,
        "venue": event.venue,
        "site_url": settings.SITE_URL,
        "personal_url": personal_url,
        "change_url": personal_url + "#gegevens",
        "cancel_url": absolute(reverse("registrations:cancel", args=[token])),
        # An admin preview is not a recorded mail yet, so it has no web version of its own.
        "online_url": (
            absolute(reverse("registrations:mail_online", args=[token, mail.pk])) if mail.pk else personal_url
        ),
        "event_url": absolute(event.get_absolute_url()),
        "ics_url": absolute(reverse("events:ics", args=[event.slug])),
        "privacy_url": absolute(reverse("events:privacy")),
        "organiser_contacts": organiser_contacts(event),
        # Only the waiting-list mail says why one waits: a full workshop or the full event.
        "waiting_for": waiting_for(registration) if mail.kind == "waitlisted" else "",
        # Counted from when the mail left (its web version says what the mail said), or now.
        "days_to_go": days_until(event.starts_at, mail.sent_at or timezone.now()),
    }


def render_parts(mail, context=None):
    """(subject, text, html) in the registration's language; ``context`` is the mail's
    ``mail_context``, for a caller that needs it too."""
    if context is None:
        context = mail_context(mail)
    with translation.override(mail_language(mail)):
        # Subjects are plain text: undo the HTML escaping that the template engine applied.
        subject = " ".join(unescape(render_to_string(f"mails/{mail.kind}/subject.txt", context)).split())
        context["subject"] = subject
        # Plain text, not markup: as a str rather than the template engine's SafeString, so
        # that wherever it is shown in a page (the admin's preview) it is escaped.
        text = str.__str__(render_to_string(f"mails/{mail.kind}/body.txt", context))
        html = render_to_string(f"mails/{mail.kind}/body.html", context)
    return subject, text, html


def mail_language(mail):
    # Invitations go out in the site's language: a contact never chose one.
    if mail.registration_id is None:
        return settings.LANGUAGE_CODE
    return mail.registration.language or settings.LANGUAGE_CODE


def make_attachments(mail):
    # Attachments carry language too (the PDF's headings), so they follow the mail's.
    with translation.override(mail_language(mail)):
        return [attachment for make in ATTACHMENTS.get(mail.kind, []) if (attachment := make(mail))]


def list_headers(mail, context):
    if mail.invitation_id:
        from registrations.invitations.rendering import unsubscribe_headers

        return unsubscribe_headers(context)
    # Nothing to cancel any more once the registration is no longer active.
    return {"List-Unsubscribe": f"<{context['cancel_url']}>"} if mail.registration.is_active else {}


def build_message(mail, connection=None):
    context = mail_context(mail)
    subject, text, html = render_parts(mail, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.recipient],
        connection=connection,
        headers=list_headers(mail, context),
    )
    message.attach_alternative(html, "text/html")
    for attachment in make_attachments(mail):
        message.attach(*attachment)
    return message
