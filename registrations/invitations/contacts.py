"""Contacts: importing a list (CSV or Excel), changing one's own details, unsubscribing,
erasing.

The import is django-import-export's: one resource for the admin's import (with its dry
run) and for ``manage.py import_contacts``. A file is taken whole or not at all: when a
row is refused, nothing is stored and the refused rows are listed with their reasons.
Rows are matched by address within the organisation's list, so a second import (or the
same address twice in one file) changes a contact instead of adding one. An import never
touches ``unsubscribed_at``: whoever unsubscribed stays unsubscribed.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from import_export import fields, resources
from import_export.formats.base_formats import CSV, XLSX
from import_export.tmp_storages import CacheStorage

from registrations.invitations.models import Contact, Invitation
from registrations.models import Mail

# What a contact may change themselves; the address is the key of the list, not among them.
DETAIL_FIELDS = (
    "salutation",
    "given_name",
    "name_prefix",
    "family_name",
    "organisation",
    "function",
    "role",
    "municipality",
)
IMPORTED_FIELDS = ("email", *DETAIL_FIELDS)
# Column headings a file may use for each field, Dutch and English, any case.
HEADINGS = {
    "email": ("email", "e-mail", "e-mailadres", "emailadres", "mail"),
    "salutation": ("salutation", "aanhef"),
    "given_name": ("given_name", "voornaam", "first name"),
    "name_prefix": ("name_prefix", "tussenvoegsel", "prefix"),
    "family_name": ("family_name", "achternaam", "last name"),
    "organisation": ("organisation", "organisatie", "organization"),
    "function": ("function", "functie"),
    "role": ("role", "rol"),
    "municipality": ("municipality", "gemeente"),
}
SALUTATIONS = {
    "heer": "heer",
    "dhr": "heer",
    "dhr.": "heer",
    "mevrouw": "mevrouw",
    "mevr": "mevrouw",
    "mevr.": "mevrouw",
}


class ContactResource(resources.ModelResource):
    """One organisation's list; rows are found and added within it only."""

    email = fields.Field(attribute="email", column_name="email")

    def __init__(self, owner=None, **kwargs):
        super().__init__(**kwargs)
        self.owner = owner

    class Meta:
        model = Contact
        fields = IMPORTED_FIELDS
        import_id_fields = ("email",)
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def get_queryset(self):
        return Contact.objects.filter(owner=self.owner)

    def init_instance(self, row=None):
        return Contact(owner=self.owner)

    def before_import(self, dataset, **kwargs):
        with_our_headings(dataset)
        for name in IMPORTED_FIELDS:
            if name not in dataset.headers:
                dataset.append_col([""] * dataset.height, header=name)

    def before_import_row(self, row, **kwargs):
        for name in IMPORTED_FIELDS:
            value = row.get(name)
            row[name] = "" if value is None else " ".join(str(value).split())
        row["email"] = row["email"].lower()
        row["role"] = row["role"].lower()
        salutation = row["salutation"].lower()
        row["salutation"] = SALUTATIONS.get(salutation, salutation if salutation else "")


class ContactCSV(CSV):
    """CSV as Excel writes it with Dutch settings (semicolons) or with English ones (commas)."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        in_stream = in_stream.removeprefix("\ufeff")
        first = in_stream.split("\n", 1)[0]
        kwargs.setdefault("delimiter", ";" if first.count(";") > first.count(",") else ",")
        return super().create_dataset(in_stream, **kwargs)


IMPORT_FORMATS = [ContactCSV, XLSX]


class ImportFileStorage(CacheStorage):
    """The uploaded list between the dry run and the confirmation: in the cache for an hour,
    never in a temporary folder where an abandoned import's personal data would stay."""

    CACHE_LIFETIME = 3600


def dataset_from_file(content, name):
    """A tablib Dataset from a CSV (UTF-8) or XLSX file's bytes, as the admin reads them;
    raises ValueError (or a parser's error) for a file that cannot be read."""
    file_format = XLSX() if name.lower().endswith(".xlsx") else ContactCSV(encoding="utf-8-sig")
    return file_format.create_dataset(content)


def with_our_headings(dataset):
    """Our field names for the headings a file uses (Dutch or English, any case)."""
    names = {alias: name for name, aliases in HEADINGS.items() for alias in aliases}
    headers = [names.get(str(heading or "").strip().lower(), str(heading or "").strip()) for heading in dataset.headers]
    if "email" not in headers:
        raise ValueError("Het bestand heeft geen kolom ‘e-mail’.")
    dataset.headers = headers
    return dataset


def import_contacts(owner, dataset, *, dry_run, user=None):
    """Import ``dataset`` into ``owner``'s list; returns import-export's Result (totals per
    new/update/skip/invalid). Nothing is stored on a dry run or when any row is refused."""
    return ContactResource(owner=owner).import_data(
        dataset, dry_run=dry_run, raise_errors=False, rollback_on_validation_errors=True, user=user
    )


def contact_by_token(token):
    return Contact.objects.filter(token=token).select_related("owner").first()


@transaction.atomic
def update_details(contact, data):
    """A contact's own change of their details (from "Gegevens wijzigen")."""
    for name in DETAIL_FIELDS:
        setattr(contact, name, data[name])
    contact.save(update_fields=[*DETAIL_FIELDS, "updated_at"])
    return contact


def unsubscribe(token, now=None):
    """Stop every later invitation of the contact's organisation; idempotent. Returns the
    contact, or None for an unknown token. Waiting invitation mails are left to delivery,
    which skips them for an unsubscribed contact."""
    now = now or timezone.now()
    contact = contact_by_token(token)
    if contact is None:
        return None
    Contact.objects.filter(pk=contact.pk, unsubscribed_at__isnull=True).update(unsubscribed_at=now)
    contact.refresh_from_db(fields=["unsubscribed_at"])
    return contact


ERASED_ADDRESS = "gewist@anoniem.invalid"


@transaction.atomic
def erase_contacts(contact_ids):
    """Remove these contacts. Their invitations stay, without a contact, so a mailing's
    numbers stay true; their mails lose the address, and a waiting one will not leave."""
    from registrations.services.retention import scrub_admin_log

    contacts = Contact.objects.select_for_update().filter(pk__in=list(contact_ids))
    ids = list(contacts.values_list("pk", flat=True))
    if not ids:
        return 0
    mails = Mail.objects.filter(invitation__contact_id__in=ids)
    scrub_admin_log(Contact.objects.filter(pk__in=ids), mails)
    mails.update(
        recipient=ERASED_ADDRESS,
        last_error="",
        status=Case(When(status=Mail.Status.QUEUED, then=Value(Mail.Status.SKIPPED)), default=F("status")),
    )
    Contact.objects.filter(pk__in=ids).delete()
    return len(ids)


def expired_contact_ids(now=None, retention_days=None):
    """Contacts neither changed nor invited within the retention period."""
    days = settings.REGIODAG_RETENTION_DAYS if retention_days is None else retention_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    recent = Invitation.objects.filter(created_at__gte=cutoff).values("contact_id")
    return list(Contact.objects.filter(updated_at__lt=cutoff).exclude(pk__in=recent).values_list("pk", flat=True))


def erase_expired_contacts(now=None, retention_days=None):
    return erase_contacts(expired_contact_ids(now, retention_days))
