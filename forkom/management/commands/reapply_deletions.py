"""Run after every restore from backup, before the site takes requests (docs/operations.md)."""

import argparse
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from forkom import deletion_log, personal_data


def moment(value: str) -> datetime:
    """An ISO 8601 time; without a zone, the site's (WITA)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not an ISO 8601 time (e.g. 2026-03-01T02:00:00+08:00)."
        ) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = (
        "After a restore from backup: forget again every person the deletion log records as "
        "forgotten whom the restored database does not (DESIGN.md, UU 27/2022). Safe to run "
        "any number of times."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since",
            type=moment,
            metavar="ISO",
            help="When the restored backup's dump began (its manifest says); older records "
            "are left out. Default: the whole log.",
        )
        parser.add_argument(
            "--log",
            type=Path,
            action="append",
            metavar="FILE",
            help="A deletion log to read; give several (one per app server) to read them "
            "all. Default: FORKOM_DELETION_LOG.",
        )

    def handle(self, *args, since, log, **options):
        logs = log or [deletion_log.path()]
        if None in logs:
            raise CommandError("No deletion log: set FORKOM_DELETION_LOG or pass --log FILE.")
        entries = []
        for path in logs:
            if not path.is_file():
                raise CommandError(
                    f"No deletion log at {path}: put back the newest copy you have "
                    "(docs/operations.md), or pass --log FILE."
                )
            found, problems = deletion_log.read(path)
            entries += found
            for problem in problems:
                self.stderr.write(f"{path}: {problem}")
        done = personal_data.forget_again(entries, since=since)
        self.stdout.write(
            f"Re-applied {done.forgotten} deletion(s); {done.already} already done in this "
            f"database, {done.absent} account(s) not in it, {done.someone_else} id(s) now "
            "held by a later account (left alone)."
        )
