"""The shape of the commands that check a figure kept beside the rows it counts."""

from argparse import ArgumentParser
from collections.abc import Sequence
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class RecountCommand[Row](BaseCommand):
    """Count afresh, print every stored figure that differs, fail (exit 1) on a difference;
    with --fix, store the recount instead and say how many were fixed.

    A subclass declares `help`, `fix_help`, the three messages (`{count}` is the number of
    differences) and what it counts, how it repairs and how it prints a difference.
    """

    fix_help: str
    differ_message: str
    fixed_message: str
    match_message: str

    def mismatches(self) -> Sequence[Row]:
        raise NotImplementedError

    def fix(self) -> Sequence[Row]:
        raise NotImplementedError

    def describe(self, row: Row) -> str:
        raise NotImplementedError

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--fix", action="store_true", help=self.fix_help)

    def handle(self, *args: Any, fix: bool = False, **options: Any) -> None:
        found = self.fix() if fix else self.mismatches()
        for row in found:
            self.stdout.write(self.describe(row) + (" (fixed)" if fix else ""))
        if found and not fix:
            raise CommandError(self.differ_message.format(count=len(found)))
        if fix:
            self.stdout.write(self.fixed_message.format(count=len(found)))
        else:
            self.stdout.write(self.match_message)
