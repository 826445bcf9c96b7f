"""Importing contacts (CSV and Excel) in the admin and with manage.py, with a dry run; and
the admin's mailing pages (preview, results, export) within the organiser's own lists."""

import io

import pytest
import tablib
from django.core.management import CommandError, call_command
from django.urls import reverse

from registrations.invitations import contacts
from registrations.invitations.models import Contact, Invitation
from registrations.models import Mail
from registrations.tests.invitation_helpers import add_contact, make_mailing, sent_mailing

pytestmark = pytest.mark.django_db

CSV = (
    "E-mailadres;Aanhef;Voornaam;Tussenvoegsel;Achternaam;Organisatie;Functie;Rol;Gemeente\n"
    "Esther@Example.org;mevrouw;Esther;van der;Mark;Gemeente Nijmegen;adviseur;ambtenaar;nijmegen\n"
    "bram@example.org;dhr.;Bram;;Bakker;Gemeente Zutphen;burgemeester;burgemeester;Zutphen\n"
    "esther@example.org;mevrouw;Esther;van der;Mark;Gemeente Nijmegen;strateeg;ambtenaar;Nijmegen\n"
)


def import_text(owner, text, dry_run=False):
    return contacts.import_contacts(owner, contacts.dataset_from_file(text.encode(), "lijst.csv"), dry_run=dry_run)


def test_a_dry_run_shows_new_and_changed_rows_and_stores_nothing(organisation):
    result = import_text(organisation, CSV, dry_run=True)
    assert (result.totals["new"], result.totals["update"]) == (2, 1)  # the same address twice: one contact
    assert not Contact.objects.exists()
    result = import_text(organisation, CSV)
    esther = Contact.objects.get(email="esther@example.org")
    assert (esther.function, esther.municipality, esther.province) == ("strateeg", "Nijmegen", "Gelderland")
    assert Contact.objects.get(email="bram@example.org").salutation == "heer"


def test_importing_again_changes_by_address_and_keeps_an_unsubscription(organisation, other_organisation):
    import_text(organisation, CSV)
    contacts.unsubscribe(Contact.objects.get(email="bram@example.org").token)
    header, _first, bram, esther = CSV.splitlines()
    changed = "\n".join([header, bram.replace("burgemeester;burgemeester", "wethouder;wethouder"), esther])
    result = import_text(organisation, changed)
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 1, 1)
    bram = Contact.objects.get(email="bram@example.org")
    assert bram.role == "wethouder" and bram.unsubscribed_at is not None
    import_text(other_organisation, CSV)  # another organisation's list is its own
    assert Contact.objects.filter(email="bram@example.org").count() == 2


def test_a_refused_row_stores_nothing_and_says_why(organisation):
    bad = CSV + "geen-adres;;X;;Y;;;koning;Atlantis\n"
    result = import_text(organisation, bad)
    assert len(result.invalid_rows) == 1
    errors = result.invalid_rows[0].field_specific_errors
    assert {"email", "role", "municipality"} <= set(errors)
    assert not Contact.objects.exists()


def test_an_excel_file_imports_too(organisation):
    sheet = tablib.Dataset(headers=["e-mail", "achternaam", "rol", "gemeente"])
    sheet.append(["griet@example.org", "Griffier", "griffier", "Bronckhorst"])
    dataset = contacts.dataset_from_file(sheet.export("xlsx"), "lijst.xlsx")
    contacts.import_contacts(organisation, dataset, dry_run=False)
    assert Contact.objects.get().municipality == "Bronckhorst"


def test_the_commands_import_and_send_with_the_same_services(organisation, conference, tmp_path):
    path = tmp_path / "lijst.csv"
    path.write_text(CSV, encoding="utf-8")
    out = io.StringIO()
    call_command("import_contacts", "bmc", str(path), "--dry-run", stdout=out)
    assert "nieuw: 2, gewijzigd: 1" in out.getvalue() and not Contact.objects.exists()
    call_command("import_contacts", "bmc", str(path), stdout=io.StringIO())
    assert Contact.objects.count() == 2
    (tmp_path / "fout.csv").write_text(CSV + "x;;;;;;;koning;\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Niets opgeslagen"):
        call_command("import_contacts", "bmc", str(tmp_path / "fout.csv"), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="Onbekende organisatie"):
        call_command("import_contacts", "nergens", str(path))
    mailing = make_mailing(organisation, conference)
    call_command("send_mailing", str(mailing.pk), stdout=io.StringIO())
    call_command("send_mailing", str(mailing.pk), stdout=io.StringIO())
    assert Mail.objects.filter(invitation__mailing=mailing).count() == 2


def admin_import(client, owner, text, name="lijst.csv"):
    upload = io.BytesIO(text.encode())
    upload.name = name
    url = reverse("admin:registrations_contact_import")
    return client.post(url, {"owner": owner.pk, "format": 0, "import_file": upload})


def test_the_admin_import_previews_then_confirms_into_the_organisers_own_list(
    client, organiser, organisation, other_organisation
):
    client.force_login(organiser)
    refused = admin_import(client, other_organisation, CSV)
    assert refused.status_code == 200 and "owner" in refused.context["form"].errors
    preview = admin_import(client, organisation, CSV)
    assert preview.status_code == 200 and not Contact.objects.exists()
    confirm = preview.context["confirm_form"]
    data = {**confirm.initial, "format": confirm.initial["format"]}
    # The confirmation names the list again: another organisation's is refused there too.
    process = reverse("admin:registrations_contact_process_import")
    forged = client.post(process, {**data, "owner": other_organisation.pk})
    assert not Contact.objects.exists() and forged.status_code == 200
    client.post(process, data)
    assert set(Contact.objects.values_list("owner_id", flat=True)) == {organisation.pk}
    assert Contact.objects.count() == 2


def test_the_admin_previews_a_mailing_per_contact_escaped(client, organiser, organisation, conference):
    client.force_login(organiser)
    contact = add_contact(organisation, family_name='"><script>alert(1)</script>')
    mailing = make_mailing(organisation, conference, text="<img src=x onerror=alert(1)>")
    url = reverse("admin:registrations_mailing_preview", args=[mailing.pk])
    html = client.get(f"{url}?contact={contact.pk}").content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    other = add_contact(organisation, 2)
    assert client.get(f"{url}?contact={other.pk}").status_code == 200


def test_the_admin_shows_and_exports_results_formula_safe(client, organiser, organisation, conference):
    client.force_login(organiser)
    add_contact(organisation, given_name="=HYPERLINK(1)")
    mailing = sent_mailing(organisation, conference)
    page = client.get(reverse("admin:registrations_mailing_results", args=[mailing.pk]))
    assert page.context["summary"]["invited"] == 1
    export = client.get(reverse("admin:registrations_mailing_results_csv", args=[mailing.pk]))
    text = export.content.decode()
    assert "'=HYPERLINK(1)" in text
    assert Invitation.objects.count() == 1


def test_the_admin_erases_contacts_and_sends_now(client, organiser, organisation, conference):
    client.force_login(organiser)
    erased, kept = add_contact(organisation, 1), add_contact(organisation, 2)
    changelist = reverse("admin:registrations_contact_changelist")
    client.post(changelist, {"action": "erase_selected", "_selected_action": [erased.pk]})
    assert list(Contact.objects.values_list("pk", flat=True)) == [kept.pk]
    mailing = make_mailing(organisation, conference)
    client.post(
        reverse("admin:registrations_mailing_changelist"), {"action": "send_now", "_selected_action": [mailing.pk]}
    )
    assert list(Mail.objects.values_list("recipient", flat=True)) == [kept.email]


def test_the_platform_admin_lists_invitation_mails_and_never_resends_one(admin_client, organisation, conference):
    add_contact(organisation)
    sent_mailing(organisation, conference)
    changelist = reverse("admin:registrations_mail_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200 and "contact1@example.org" in page.content.decode()
    mail = Mail.objects.get()
    admin_client.post(changelist, {"action": "resend_mails", "_selected_action": [mail.pk]})
    assert Mail.objects.count() == 1


def test_a_sent_mailing_can_no_longer_be_rewritten(client, organiser, organisation, conference):
    client.force_login(organiser)
    add_contact(organisation)
    mailing = sent_mailing(organisation, conference)
    page = client.get(reverse("admin:registrations_mailing_change", args=[mailing.pk]))
    assert "subject" not in page.context["adminform"].form.fields
