"""Mails in the admin: the log with failures, previews, send now and resend.

``RegistrationMailAdminMixin`` gives the registration admin the same tools per
registration: its mail log inline, a preview of every kind, and actions.
"""

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.clickjacking import xframe_options_sameorigin

from events.scoping import OrganisationScopedAdmin, ScopedInline, visible
from registrations.errors import NotAllowed
from registrations.mails import actions
from registrations.mails.schedule import due_counts
from registrations.models import Mail, Registration
from registrations.pdf.confirmation import confirmation_pdf

MAIL_HTML_POLICY = {
    "sandbox": True,
    "default-src": [NONE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["data:"],
    "frame-ancestors": [SELF],
    "base-uri": [NONE],
    "form-action": [NONE],
}

MAIL_FIELDS = [
    "kind",
    "occasion",
    "recipient",
    "status",
    "attempts",
    "last_error",
    "created_at",
    "sent_at",
    "is_resend",
]


@admin.register(Mail)
class MailAdmin(OrganisationScopedAdmin):
    list_display = [
        "kind",
        "recipient",
        "registration_link",
        "event",
        "status",
        "attempts",
        "error",
        "created_at",
        "sent_at",
        "is_resend",
    ]
    list_filter = ["status", "kind", "is_resend", "registration__event"]
    search_fields = ["recipient", "registration__contact_name"]
    list_select_related = ["registration__event", "invitation__mailing__event", "invitation__mailing__series"]
    readonly_fields = [f.name for f in Mail._meta.fields]
    actions = ["resend_mails", "send_now"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log is the proof of what was sent

    @admin.display(description=_("aanmelding"))
    def registration_link(self, mail):
        if mail.invitation_id:  # an invitation: seen by the platform admin only (no registration)
            url = reverse("admin:registrations_mailing_results", args=[mail.invitation.mailing_id])
            return format_html('<a href="{}">{}</a>', url, _("uitnodiging"))
        url = reverse("admin:registrations_registration_change", args=[mail.registration_id])
        return format_html('<a href="{}">{}</a>', url, mail.registration)

    @admin.display(description=_("evenement"), ordering="registration__event__starts_at")
    def event(self, mail):
        return mail.registration.event if mail.registration_id else mail.invitation.mailing.target

    @admin.display(description=_("laatste fout"))
    def error(self, mail):
        return mail.last_error[:80]

    @admin.action(description=_("Geselecteerde e-mails opnieuw versturen"), permissions=["change"])
    def resend_mails(self, request, queryset):
        count = sum(len(actions.resend(mail.pk, by=request.user)) for mail in queryset)
        self.message_user(
            request,
            ngettext("%(n)s e-mail opnieuw in de wachtrij.", "%(n)s e-mails opnieuw in de wachtrij.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Wachtende e-mails nu versturen"), permissions=["change"])
    def send_now(self, request, queryset):
        count = actions.send_waiting_now(queryset.values_list("pk", flat=True))
        self.message_user(
            request,
            ngettext("%(n)s e-mail aan de verzending gegeven.", "%(n)s e-mails aan de verzending gegeven.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    def changelist_view(self, request, extra_context=None):
        counts, waiting = due_counts(registrations=visible(Registration.objects.all(), request.user))
        extra_context = {**(extra_context or {}), "due_counts": sorted(counts.items()), "due_waiting": waiting}
        return super().changelist_view(request, extra_context)


class MailInline(ScopedInline, admin.TabularInline):
    model = Mail
    extra = 0
    fields = MAIL_FIELDS
    readonly_fields = MAIL_FIELDS
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("e-mails (verzonden en in de wachtrij)")

    def has_add_permission(self, request, obj=None):
        return False


class RegistrationMailAdminMixin:
    """Mail tools for the registration admin: mix in before its ModelAdmin base."""

    def get_inlines(self, request, obj):
        return [*super().get_inlines(request, obj), MailInline]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "mail_previews"]

    def get_actions(self, request):
        found = super().get_actions(request)
        if not self.has_change_permission(request):
            return found
        for name in ["send_definitive_now", "resend_definitive"]:
            func = getattr(type(self), name)
            found[name] = (func, name, func.short_description)
        return found

    def get_urls(self):
        own = [
            path(
                "<path:object_id>/mail/<slug:kind>/",
                self.admin_site.admin_view(self.mail_preview_view),
                name="registrations_registration_mail_preview",
            ),
            path(
                "<path:object_id>/mail/<slug:kind>/html/",
                self.admin_site.admin_view(self.mail_html_view),
                name="registrations_registration_mail_html",
            ),
            path(
                "<path:object_id>/bevestiging.pdf",
                self.admin_site.admin_view(self.pdf_preview_view),
                name="registrations_registration_pdf_preview",
            ),
        ]
        return own + super().get_urls()

    @admin.display(description=_("voorbeeld van de e-mails"))
    def mail_previews(self, registration):
        if not registration.pk:
            return "-"
        links = format_html_join(
            " | ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:registrations_registration_mail_preview", args=[registration.pk, kind]), kind)
                for kind in actions.mail_kinds()
            ),
        )
        pdf = reverse("admin:registrations_registration_pdf_preview", args=[registration.pk])
        return format_html('{} | <a href="{}">{}</a>', links, pdf, _("PDF-bevestiging"))

    def scoped_registration(self, request, object_id):
        # Through get_queryset, so an organiser never previews another organisation's mail.
        registration = self.get_object(request, object_id)
        if registration is None or not self.has_view_permission(request, registration):
            raise Http404
        return registration

    def previewed(self, request, object_id, kind):
        """(registration, subject, text, html) of ``kind`` for a registration the user may view."""
        registration = self.scoped_registration(request, object_id)
        try:
            return registration, *actions.preview(registration, kind)
        except NotAllowed:
            raise Http404 from None

    def mail_preview_view(self, request, object_id, kind):
        registration, subject, text, _html = self.previewed(request, object_id, kind)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Voorbeeld: %(subject)s") % {"subject": subject},
            "registration": registration,
            "subject": subject,
            "text": text,
            "html_url": reverse("admin:registrations_registration_mail_html", args=[registration.pk, kind]),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/registrations/mail_preview.html", context)

    # The mail's HTML keeps its inline styles, as mail clients need, and is a document of its
    # own: a sandbox (no script, no forms, an origin of its own) that only the preview frames.
    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp(MAIL_HTML_POLICY))
    def mail_html_view(self, request, object_id, kind):
        _registration, _subject, _text, html = self.previewed(request, object_id, kind)
        return HttpResponse(html)

    def pdf_preview_view(self, request, object_id):
        registration = self.scoped_registration(request, object_id)
        participant = registration.participants.first()
        if participant is None:
            raise Http404
        response = HttpResponse(confirmation_pdf(participant), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="bevestiging.pdf"'
        return response

    @admin.action(description=_("Definitieve bevestiging nu versturen"), permissions=["change"])
    def send_definitive_now(self, request, queryset):
        sent, refused = 0, 0
        for registration in queryset:
            try:
                sent += len(actions.send_definitive_confirmation_now(registration.pk, by=request.user))
            except ValidationError:
                refused += 1
        self.message_user(
            request,
            _(
                "%(sent)s definitieve bevestiging(en) in de wachtrij; %(refused)s aanmelding(en) niet bevestigd. "
                "Wie hem al had, krijgt hem alleen via 'opnieuw versturen'."
            )
            % {"sent": sent, "refused": refused},
            messages.SUCCESS if sent else messages.WARNING,
        )

    @admin.action(description=_("Definitieve bevestiging opnieuw versturen"), permissions=["change"])
    def resend_definitive(self, request, queryset):
        count = 0
        for mail in Mail.objects.filter(
            registration__in=queryset, kind=actions.DEFINITIVE, is_resend=False, occasion=""
        ):
            count += len(actions.resend(mail.pk, by=request.user))
        self.message_user(
            request, _("%(n)s definitieve bevestiging(en) opnieuw in de wachtrij.") % {"n": count}, messages.SUCCESS
        )
