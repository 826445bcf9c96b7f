"""The admin home's count of mails that need an organiser's eye, of their own events only."""

from django import template

from events.scoping import visible
from registrations import health
from registrations.models import Mail

register = template.Library()


@register.simple_tag(takes_context=True)
def mail_problems(context):
    """{"failed", "delayed", "oldest_unsent"} over the mails this user may see, or None."""
    user = context["request"].user
    if not user.has_perm("registrations.view_mail"):
        return None
    return health.mail_counts(visible(Mail.objects.all(), user))
