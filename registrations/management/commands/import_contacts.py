"""Import a contact list (CSV or XLSX) into an organisation's list, as the admin does."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from events.models import Organisation
from registrations.invitations.contacts import dataset_from_file, import_contacts


class Command(BaseCommand):
    help = "Importeer contactpersonen uit een CSV- of Excelbestand (alles of niets)."

    def add_arguments(self, parser):
        parser.add_argument("organisation", help="slug, naam of id van de organisatie")
        parser.add_argument("file", help="CSV- (UTF-8) of XLSX-bestand")
        parser.add_argument("--dry-run", action="store_true", help="alleen tonen wat er zou gebeuren")

    def handle(self, *args, organisation, file, dry_run, **options):
        lookup = Q(slug=organisation) | Q(name=organisation)
        if organisation.isdigit():
            lookup |= Q(pk=int(organisation))
        owner = Organisation.objects.filter(lookup).first()
        if owner is None:
            raise CommandError(f"Onbekende organisatie: {organisation}")
        path = Path(file)
        try:
            content = path.read_bytes()
            dataset = dataset_from_file(content, path.name)
        except Exception as exc:  # noqa: BLE001 - whatever the parser trips over: say so, store nothing
            raise CommandError(f"Bestand niet te lezen: {exc}") from exc
        try:
            result = import_contacts(owner, dataset, dry_run=dry_run)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for row in result.invalid_rows:
            for field, errors in row.field_specific_errors.items():
                self.stderr.write(f"Rij {row.number}: {field}: {'; '.join(str(e) for e in errors)}")
            for error in row.non_field_specific_errors:
                self.stderr.write(f"Rij {row.number}: {error}")
        for number, errors in result.row_errors():
            for error in errors:
                self.stderr.write(f"Rij {number}: {error.error}")
        totals = result.totals
        refused = len(result.invalid_rows) + len(result.row_errors())
        self.stdout.write(
            f"nieuw: {totals.get('new', 0)}, gewijzigd: {totals.get('update', 0)}, "
            f"ongewijzigd: {totals.get('skip', 0)}, geweigerd: {refused}"
        )
        if refused:
            raise CommandError("Niets opgeslagen: los de geweigerde rijen op en importeer opnieuw.")
        if dry_run:
            self.stdout.write("Proefrun: niets opgeslagen.")
