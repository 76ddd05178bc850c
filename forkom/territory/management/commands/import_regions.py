import sys
import time

from django.core.management.base import BaseCommand, CommandError

from forkom.territory.codes import level_of
from forkom.territory.importer import RegionFileError, import_regions


class Command(BaseCommand):
    help = (
        "Import the Kemendagri region table (CSV: code,name,level,parent_code). Upserts on "
        "code; regions missing from the file are deactivated, never deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the CSV file (UTF-8).")
        parser.add_argument(
            "--within",
            metavar="CODE",
            help="The file holds only this region's subtree: deactivate missing regions there "
            "only (e.g. --within 64.74 for Kota Bontang).",
        )

    def handle(self, *args, file, within, **options):
        if within is not None and level_of(within) is None:
            raise CommandError(f"--within {within!r} is not a Kemendagri code.")
        show_progress = options["verbosity"] >= 1 and sys.stderr.isatty()
        started = time.monotonic()

        def progress(done, total):
            sys.stderr.write(f"\rWriting regions: {done:,}/{total:,}")
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()

        try:
            with open(file, encoding="utf-8-sig", newline="") as lines:
                result = import_regions(
                    lines, within=within, progress=progress if show_progress else None
                )
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from None
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is not UTF-8 text: {error}") from None
        except RegionFileError as error:
            raise CommandError(
                f"{file}: {len(error.problems)} bad row(s), nothing was imported.\n{error}"
            ) from None
        elapsed = time.monotonic() - started
        self.stdout.write(f"Regions: {result.summary()} ({elapsed:.1f} s)")
