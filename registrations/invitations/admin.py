"""Contacts and mailings in the organisers' admin, scoped to their own organisations."""

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm

from events.models import Organisation
from events.scoping import OrganisationScopedAdmin, organisations_of
from registrations.admin.event_day import ScopedObjectViews
from registrations.csv_safety import write_csv
from registrations.invitations import contacts, mailings, results
from registrations.invitations.models import Contact, Invitation, Mailing
from registrations.invitations.rendering import invitation_context
from registrations.mails.rendering import render_parts
from registrations.models import Mail


class OwnerChoice:
    """The organisation whose list a file goes into: one of the user's own."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = forms.ModelChoiceField(
            label=_("Contactlijst van"), queryset=organisations_of(user) if user else Organisation.objects.none()
        )


class ContactImportForm(OwnerChoice, ImportForm):
    pass


class ContactConfirmImportForm(OwnerChoice, ConfirmImportForm):
    pass


@admin.register(Contact)
class ContactAdmin(ImportMixin, OrganisationScopedAdmin):
    list_display = [
        "email",
        "full_name",
        "salutation",
        "role",
        "municipality",
        "organisation",
        "owner",
        "unsubscribed_at",
    ]
    list_filter = ["role", "owner", ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "family_name", "given_name", "organisation", "municipality"]
    readonly_fields = ["unsubscribed_at", "created_at", "updated_at"]
    actions = ["erase_selected"]
    import_form_class = ContactImportForm
    confirm_form_class = ContactConfirmImportForm
    tmp_storage_class = contacts.ImportFileStorage

    def get_resource_classes(self, request):
        return [contacts.ContactResource]

    def get_import_formats(self):
        return contacts.IMPORT_FORMATS

    def get_import_form_kwargs(self, request):
        return {**super().get_import_form_kwargs(request), "user": request.user}

    def get_confirm_form_kwargs(self, request, import_form=None):
        return {**super().get_confirm_form_kwargs(request, import_form), "user": request.user}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["owner"] = import_form.cleaned_data["owner"].pk
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        owner = form.cleaned_data["owner"] if form is not None and form.is_valid() else None
        return {"owner": owner}

    def get_import_data_kwargs(self, **kwargs):
        kwargs.pop("form", None)
        kwargs.pop("request", None)
        # The whole file or nothing: a refused row stops the import (see contacts.py).
        return {**kwargs, "rollback_on_validation_errors": True}

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_actions(self, request):
        found = super().get_actions(request)
        found.pop("delete_selected", None)  # erasing is the action that clears every trace
        return found

    @admin.action(description=_("Geselecteerde contactpersonen wissen"), permissions=["delete"])
    def erase_selected(self, request, queryset):
        count = contacts.erase_contacts(queryset.values_list("pk", flat=True))
        self.message_user(request, ngettext("%d contactpersoon gewist.", "%d contactpersonen gewist.", count) % count)

    def delete_model(self, request, obj):
        contacts.erase_contacts([obj.pk])


@admin.register(Mailing)
class MailingAdmin(ScopedObjectViews, OrganisationScopedAdmin):
    list_display = ["subject", "target", "owner", "audience", "audience_value", "send_at", "recorded_at", "links"]
    list_filter = ["owner"]
    readonly_fields = ["recorded_at", "reminded_at", "created_at"]
    actions = ["send_now"]

    def get_urls(self):
        views = [
            ("voorbeeld/", self.preview_view, "preview"),
            ("resultaten/", self.results_view, "results"),
            ("resultaten.csv", self.results_csv, "results_csv"),
        ]
        return self.object_urls(views) + super().get_urls()

    @admin.display(description=_("bekijken"))
    def links(self, mailing):
        return self.links_of(mailing)

    def links_of(self, mailing):
        return ScopedObjectViews.links(
            [
                (self.object_url("preview", mailing), _("voorbeeld")),
                (self.object_url("results", mailing), _("resultaten")),
            ]
        )

    def get_readonly_fields(self, request, obj=None):
        # Once sent, the mailing is what its contacts got ("Lees online" shows it again).
        sent = ["owner", "event", "series", "subject", "text", "audience", "audience_value", "send_at"]
        return [*self.readonly_fields, *(sent if obj is not None and obj.recorded_at else [])]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Nu versturen"), permissions=["change"])
    def send_now(self, request, queryset):
        total = 0
        for mailing in queryset:
            total += mailings.send_mailing(mailing.pk)
        self.message_user(
            request,
            ngettext("%d uitnodiging klaargezet.", "%d uitnodigingen klaargezet.", total) % total,
            messages.SUCCESS,
        )

    def preview_view(self, request, object_id):
        mailing = self.scoped_object(request, object_id)
        audience = mailings.audience(mailing)
        contact = None
        if request.GET.get("contact", "").isdigit():
            contact = Contact.objects.filter(owner_id=mailing.owner_id, pk=request.GET["contact"]).first()
            if contact is None:
                raise Http404
        contact = contact or audience.first()
        subject, text, html = preview(mailing, contact)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Voorbeeld: %(subject)s") % {"subject": subject},
            "mailing": mailing,
            "contact": contact,
            "audience": audience[:200],
            "audience_count": audience.count(),
            "subject": subject,
            "text": text,
            "html": html,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/registrations/invitation_preview.html", context)

    def results_view(self, request, object_id):
        mailing = self.scoped_object(request, object_id)
        rows = list(results.invitation_rows(mailing))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Resultaten: %(subject)s") % {"subject": mailing.subject},
            "mailing": mailing,
            "rows": rows,
            "summary": results.summary(rows),
            "csv_url": self.object_url("results_csv", mailing),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/registrations/invitation_results.html", context)

    def results_csv(self, request, object_id):
        mailing = self.scoped_object(request, object_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="uitnodiging-{mailing.pk}-resultaten.csv"'
        header = [
            "e-mail",
            "naam",
            "rol",
            "gemeente",
            "uitnodiging",
            "herinnering",
            "link geopend",
            "aangemeld",
            "afgemeld",
        ]
        write_csv(response, header, (csv_row(row) for row in results.invitation_rows(mailing)))
        return response


def csv_row(row):
    contact = row.contact
    return [
        contact.email if contact else "",
        contact.full_name if contact else _("(gewist)"),
        contact.role if contact else "",
        contact.municipality if contact else "",
        row.invitation_status or "",
        row.reminder_status or "",
        timezone.localtime(row.opened_at).strftime("%Y-%m-%d %H:%M") if row.opened_at else "",
        bool(row.has_registered),
        bool(contact and contact.unsubscribed_at),
    ]


# Stands in for the personal tokens in a preview's links: it opens nobody's page.
PREVIEW_TOKEN = "voorbeeld"  # noqa: S105


def preview(mailing, contact):
    """(subject, text, html) of the mailing as ``contact`` would get it; a made-up contact
    when the audience is empty. Nothing is saved."""
    contact = contact or Contact(owner=mailing.owner, token=PREVIEW_TOKEN)
    invitation = Invitation(mailing=mailing, contact=contact, token=PREVIEW_TOKEN)
    mail = Mail(invitation=invitation, kind=mailings.INVITATION, recipient=contact.email)
    return render_parts(mail, invitation_context(invitation, mail))
