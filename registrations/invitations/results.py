"""What became of a mailing: per contact and in numbers."""

from django.db.models import OuterRef, Subquery

from registrations.invitations.mailings import INVITATION, REMINDER, registered
from registrations.invitations.models import Invitation
from registrations.models import Mail


def mail_status(kind):
    return Subquery(Mail.objects.filter(invitation=OuterRef("pk"), kind=kind).values("status")[:1])


def invitation_rows(mailing):
    """The mailing's invitations with their outcome, erased contacts included (nameless)."""
    return (
        Invitation.objects.filter(mailing=mailing)
        .select_related("contact")
        .annotate(
            invitation_status=mail_status(INVITATION),
            reminder_status=mail_status(REMINDER),
            has_registered=registered(mailing),
        )
        .order_by("contact__family_name", "contact__given_name", "pk")
    )


def summary(rows):
    """Counts over ``invitation_rows``: invited, sent, failed, opened, registered, unsubscribed."""
    rows = list(rows)
    return {
        "invited": len(rows),
        "sent": sum(1 for row in rows if row.invitation_status == Mail.Status.SENT),
        "failed": sum(1 for row in rows if row.invitation_status == Mail.Status.FAILED),
        "waiting": sum(1 for row in rows if row.invitation_status in (Mail.Status.QUEUED, Mail.Status.SENDING)),
        "opened": sum(1 for row in rows if row.opened_at),
        "registered": sum(1 for row in rows if row.has_registered),
        "unsubscribed": sum(1 for row in rows if row.contact and row.contact.unsubscribed_at),
        "reminded": sum(1 for row in rows if row.reminder_status == Mail.Status.SENT),
    }
