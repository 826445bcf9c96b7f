"""Messages to an event's participants in the admin: write, preview, send once.

Saving a message leads to its preview page, which shows the mail as its first recipient
gets it (in the mails' layout, every text escaped, in the same sandboxed frame as the other
mail previews) and the number of recipients, with the button that sends it.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.scoping import OrganisationScopedAdmin
from registrations.errors import NotAllowed
from registrations.mails import participant_messages as service
from registrations.models import Mail, ParticipantMessage

FIELDS = ["event", "audience", "workshop", "subject", "body"]


class WorkshopChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, workshop):
        # Workshops of different events and rounds share titles: say which one it is.
        return f"{workshop.round.event.title} · {workshop.round} · {workshop.title}"


class ParticipantMessageForm(forms.ModelForm):
    class Meta:
        model = ParticipantMessage
        fields = FIELDS
        field_classes = {"workshop": WorkshopChoiceField}
        widgets = {"body": forms.Textarea(attrs={"rows": 12, "maxlength": ParticipantMessage.BODY_MAX})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        workshop = self.fields.get("workshop")
        if workshop is not None:
            workshop.queryset = workshop.queryset.select_related("round__event").order_by(
                "round__event__starts_at", "round__number", "title"
            )


@admin.register(ParticipantMessage)
class ParticipantMessageAdmin(OrganisationScopedAdmin):
    form = ParticipantMessageForm
    list_display = ["subject", "event", "audience_text", "created_at", "sent_at"]
    list_filter = ["audience", "event"]
    search_fields = ["subject", "event__title"]
    list_select_related = ["event", "workshop__round"]
    date_hierarchy = "created_at"

    def get_fields(self, request, obj=None):
        if obj is None:
            return FIELDS
        return [*FIELDS, "created_at", "sent_at", "send_page"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        if obj.sent_at is not None:
            return [*FIELDS, "created_at", "sent_at", "send_page"]  # what was sent stays as it was
        return ["created_at", "sent_at", "send_page"]

    def has_delete_permission(self, request, obj=None):
        # Its mails are the log of what was sent: a sent message stays.
        return super().has_delete_permission(request, obj) and (obj is None or obj.sent_at is None)

    @admin.display(description=_("aan"))
    def audience_text(self, message):
        if message.workshop_id:
            return f"{message.get_audience_display()}: {message.workshop}"
        return message.get_audience_display()

    @admin.display(description=_("voorbeeld en versturen"))
    def send_page(self, message):
        label = _("Bekijk wat er is verstuurd") if message.sent_at else _("Bekijk het voorbeeld en verstuur")
        return format_html('<a href="{}">{}</a>', self.send_url(message), label)

    def send_url(self, message):
        return reverse("admin:registrations_participantmessage_send", args=[message.pk])

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        if "_addanother" in request.POST or "_continue" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return HttpResponseRedirect(self.send_url(obj))

    def response_change(self, request, obj):
        if obj.sent_at is None and not {"_addanother", "_continue", "_saveasnew"} & set(request.POST):
            return HttpResponseRedirect(self.send_url(obj))
        return super().response_change(request, obj)

    def get_urls(self):
        send = self.admin_site.admin_view(self.send_view)
        return [path("<path:object_id>/versturen/", send, name="registrations_participantmessage_send")] + (
            super().get_urls()
        )

    def send_view(self, request, object_id):
        # Through get_queryset: another organisation's message is not found.
        message = self.get_object(request, unquote(object_id))
        if message is None or not self.has_view_permission(request, message):
            raise Http404
        if request.method == "POST":
            if not self.has_change_permission(request, message):
                raise PermissionDenied
            self.send(request, message)
            return HttpResponseRedirect(self.send_url(message))
        parts = service.preview(message)
        subject, text, html = parts or ("", "", "")
        mails = Mail.objects.filter(message=message, is_resend=False)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": message,
            "message": message,
            "title": _("Bericht aan deelnemers: %(subject)s") % {"subject": message.subject},
            "has_preview": parts is not None,
            "subject": subject,
            "text": text,
            "html": html,
            "recipients": service.recipient_count(message) if message.sent_at is None else mails.count(),
            "can_send": message.sent_at is None and self.has_change_permission(request, message),
            "mail_log_url": reverse("admin:registrations_mail_changelist") + f"?message__id__exact={message.pk}",
            "sent_counts": [
                (Mail.Status(row["status"]).label, row["n"])
                for row in mails.values("status").annotate(n=Count("pk")).order_by("status")
            ],
        }
        return TemplateResponse(request, "admin/registrations/participant_message_send.html", context)

    def send(self, request, message):
        try:
            count = service.send_message(message.pk, by=request.user)
        except NotAllowed as refusal:
            self.message_user(request, " ".join(refusal.messages), messages.ERROR)
            return
        if count:
            text = ngettext(
                "Het bericht staat klaar voor %(n)s ontvanger; het gaat binnen enkele seconden weg.",
                "Het bericht staat klaar voor %(n)s ontvangers; het gaat binnen enkele seconden weg.",
                count,
            )
            self.message_user(request, text % {"n": count}, messages.SUCCESS)
        else:
            self.message_user(request, _("Dit bericht was al verstuurd; er is niets opnieuw verstuurd."))
