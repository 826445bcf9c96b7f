"""Erasure on request, as an action on registrations (conference and driehoek alike).

The same service as the personal page's button and the retention period: the person's
data is gone at once, what remains counts (registered, came, per workshop).
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from registrations.services.retention import erase_on_request


@admin.action(description=_("Persoonsgegevens nu wissen (op verzoek)"), permissions=["change"])
def erase_personal_data(modeladmin, request, queryset):
    erased, refused = 0, []
    for registration in queryset.filter(anonymised_at__isnull=True).order_by("pk"):
        try:
            erased += erase_on_request(registration.pk)
        except ValidationError as error:
            refused.append(error)
    modeladmin.message_user(
        request,
        ngettext(
            "Van %(n)s aanmelding zijn de persoonsgegevens gewist.",
            "Van %(n)s aanmeldingen zijn de persoonsgegevens gewist.",
            erased,
        )
        % {"n": erased},
    )
    if refused:
        modeladmin.message_user(
            request,
            ngettext(
                "%(n)s aanmelding is nog actief: annuleer haar eerst.",
                "%(n)s aanmeldingen zijn nog actief: annuleer ze eerst.",
                len(refused),
            )
            % {"n": len(refused)},
            messages.WARNING,
        )
