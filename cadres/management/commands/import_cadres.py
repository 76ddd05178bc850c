"""Import cadres from an XLSX or CSV for Dinas' own servers: a dry run unless --commit.

    manage.py import_cadres kader.xlsx --into 64.74.03 [--commit] [--as staf@dinas.id]

Each refused row is printed as `line N: column: reason` (the header is line 1); the last
line says `created N, updated N, unchanged N, rejected N`. With --commit the rows are
written all or nothing, recorded as registered by the account of --as.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from cadres.imports.checking import check_sheet, rejection_text
from cadres.imports.reading import open_sheet
from cadres.imports.services import import_cadres
from forkom.accounts.models import User
from forkom.errors import DomainError
from forkom.territory.models import Region


class Command(BaseCommand):
    help = "Check (and with --commit, import) cadres from an XLSX or CSV file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--into", required=True, help="Kemendagri code of the area")
        parser.add_argument("--commit", action="store_true", help="write; else a dry run")
        parser.add_argument(
            "--update",
            action="store_true",
            help="also update cadres already registered in the area where the sheet differs "
            "(phone, address, birth place, education; Dinas staff only)",
        )
        parser.add_argument(
            "--as",
            dest="actor",
            help="email of the Dinas staff member or kecamatan officer the import is "
            "recorded under (required with --commit)",
        )

    def handle(self, *args, file, into, commit, actor, update=False, **options):
        translation.activate("id")
        try:
            area = Region.objects.get(code=into)
        except Region.DoesNotExist:
            raise CommandError(f"No region with the code {into}.") from None
        if actor:
            try:
                user = User.objects.get(email__iexact=actor, is_active=True)
            except User.DoesNotExist:
                raise CommandError(f"No active account with the email {actor}.") from None
        elif commit:
            raise CommandError("--commit needs --as EMAIL: who the cadres are registered by.")
        else:
            # A dry run checks the rows as a superuser would see the area.
            user = User(is_superuser=True, is_active=True)
        try:
            with file.open("rb") as stream:
                plan = check_sheet(open_sheet(stream, file.name), actor=user, area=area)
                for rejection in plan.rejected:
                    self.stdout.write(rejection_text(rejection))
                created = updated = 0
                if commit and not plan.rejected:
                    created, updated = import_cadres(actor=user, plan=plan, apply_updates=update)
                elif commit:
                    self.stderr.write("Rows were refused: nothing was imported.")
        except OSError as error:
            raise CommandError(str(error)) from None
        except DomainError as error:
            raise CommandError(error.message) from None
        counts = plan.counts_when(apply_updates=update) | (
            {"created": created, "updated": updated} if commit else {"created": len(plan.create)}
        )
        if commit and update:
            counts["unchanged"] = len(plan.unchanged) + len(plan.update) - updated
        self.stdout.write(
            "created {created}, updated {updated}, unchanged {unchanged}, "
            "rejected {rejected}".format(**counts)
        )
