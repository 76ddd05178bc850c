"""`manage.py seed_scale`: national-scale data to measure the portal (see devdata.scale)."""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction

from cadres.models import AreaBodyCount, AreaStatusCount
from cadres.services import area_counts_recounted_after_bulk_load
from devdata.scale.columns import SEEDED_MODELS
from devdata.scale.constants import DEFAULT_REGIONS, SEED_DOMAIN
from devdata.scale.seeder import Seeder
from devdata.scale.writer import BulkWriter, DeferredChecks
from forkom.accounts.models import User
from forkom.territory.importer import RegionFileError, import_regions, read_rows
from forkom.territory.models import Region
from trainings.services import signup_summary_rebuilt_after_bulk_load


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic national-scale data (a million cadres by default) "
        "to measure the portal. Development databases only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cadres", type=int, default=1_000_000, metavar="N")
        parser.add_argument("--proposals", type=int, default=100_000, metavar="N")
        parser.add_argument("--trainings", type=int, default=10_000, metavar="N")
        parser.add_argument("--signups", type=int, default=500_000, metavar="N")
        parser.add_argument("--innovations", type=int, default=10_000, metavar="N")
        parser.add_argument(
            "--regions",
            type=Path,
            default=DEFAULT_REGIONS,
            metavar="PATH",
            help="The Kemendagri region CSV, imported first unless every region in it is "
            "already in the table (default: the national table in ../shared/data).",
        )
        parser.add_argument(
            "--seed", type=int, default=2026, help="Random seed: the same seed, the same data."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seeded data is already there: add another set on top of it (append; "
            "nothing is deleted).",
        )
        parser.add_argument(
            "--i-know-this-is-not-production",
            action="store_true",
            help="Run even though DEBUG is off.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["i_know_this_is_not_production"]:
            raise CommandError(
                "seed_scale writes a million fake people: it runs only with DEBUG=true "
                "(or --i-know-this-is-not-production)."
            )
        sizes = {
            name: options[name]
            for name in ("cadres", "proposals", "trainings", "signups", "innovations")
        }
        negative = [name for name, size in sizes.items() if size < 0]
        if negative:
            raise CommandError(f"--{negative[0]} must be zero or more.")
        if sizes["cadres"] == 0 and any(sizes.values()):
            raise CommandError("Proposals, trainings and sign-ups need cadres: --cadres > 0.")
        started = time.monotonic()
        seeded = User.objects.filter(email__endswith="@" + SEED_DOMAIN).count()
        if seeded and not options["force"]:
            raise CommandError(
                f"Seeded data is already there ({seeded:,} accounts @{SEED_DOMAIN}); nothing "
                "was written. Run with --force to append another set on top of it, or seed "
                "a fresh database."
            )
        if seeded:
            self.stdout.write("Seeded data is already there: appending (--force).")
        self._ensure_regions(options["regions"])
        show_progress = options["verbosity"] >= 1 and sys.stderr.isatty()
        writer = BulkWriter(stdout=self.stdout, show_progress=show_progress)
        self.stdout.write(
            "Seeding "
            + ", ".join(f"{size:,} {name}" for name, size in sizes.items())
            + f" (seed {options['seed']}, {connection.vendor})"
        )
        with transaction.atomic():
            deferred = None
            if connection.vendor == "postgresql":
                self._lock_tables()
                deferred = DeferredChecks(SEEDED_MODELS)
                deferred.set_aside()
            seeder = Seeder(seed=options["seed"], sizes=sizes, writer=writer, stdout=self.stdout)
            with (
                area_counts_recounted_after_bulk_load(),
                signup_summary_rebuilt_after_bulk_load(),
            ):
                seeder.run()
                recounting = time.monotonic()
            self.stdout.write(
                "  cadre counts and sign-up summary recounted: "
                f"{time.monotonic() - recounting:.1f} s"
            )
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), SEEDED_MODELS):
                    cursor.execute(statement)
            if deferred:
                restoring = time.monotonic()
                deferred.restore()
                self.stdout.write(
                    f"  indexes rebuilt and foreign keys validated ({deferred.summary()}): "
                    f"{time.monotonic() - restoring:.1f} s"
                )
            delivering = time.monotonic()
            seeder.deliver_pilot_announcements()
            self.stdout.write(
                f"  the pilot's announcements delivered to their inboxes: "
                f"{time.monotonic() - delivering:.1f} s"
            )
            committing = time.monotonic()
        self.stdout.write(f"  commit: {time.monotonic() - committing:.1f} s")
        analyzing = time.monotonic()
        self._analyze()
        self.stdout.write(f"  vacuum and analyze: {time.monotonic() - analyzing:.1f} s")
        self.stdout.write(
            f"Seeded {sum(writer.counts.values()):,} rows in {time.monotonic() - started:.1f} s."
        )

    def _ensure_regions(self, path):
        """Import the region file unless every region in it is already in the table."""
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                rows, problems = read_rows(lines)
        except FileNotFoundError:
            raise CommandError(f"No region file at {path} (see --regions).") from None
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        if problems:
            raise CommandError(f"{path}: {len(problems)} bad row(s); nothing was imported.")
        present = dict(Region.objects.values_list("code", "is_active"))
        missing = [code for code in rows if not present.get(code)]
        if not missing:
            self.stdout.write(f"Regions: all {len(rows):,} regions of {path.name} are there.")
            return
        others = [code for code, active in present.items() if active and code not in rows]
        if others:
            raise CommandError(
                f"The region table lacks {len(missing):,} regions of {path} and holds "
                f"{len(others):,} that the file does not: import it with import_regions first."
            )
        started = time.monotonic()
        try:
            with open(path, encoding="utf-8-sig", newline="") as lines:
                result = import_regions(lines)
        except RegionFileError as error:
            raise CommandError(f"{path}: {error}") from None
        self.stdout.write(f"Regions: {result.summary()} ({time.monotonic() - started:.1f} s)")

    def _lock_tables(self):
        # Keep other writers out while rows go in with the primary keys chosen here.
        tables = ", ".join(
            connection.ops.quote_name(model._meta.db_table) for model in SEEDED_MODELS
        )
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")

    def _analyze(self):
        """Fresh planner statistics (and, on PostgreSQL, visibility maps) for what was written."""
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                cursor.execute("ANALYZE")
                return
            # VACUUM cannot run inside a transaction (a test's, say): ANALYZE alone then.
            command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            # The regions too: imported moments ago, autovacuum may not have looked at them yet.
            for model in [Region, *SEEDED_MODELS, AreaStatusCount, AreaBodyCount]:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
