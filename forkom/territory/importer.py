"""Import the Kemendagri region table (`code,name,level,parent_code`).

Rows are matched on code, never on name. A region missing from the file is
deactivated, not deleted (people and forums point at it), and reactivated
when it comes back. A file with any bad row writes nothing.
"""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from forkom.territory.codes import placement, subtree_prefix
from forkom.territory.models import Region

HEADER = ["code", "name", "level", "parent_code"]
BATCH_SIZE = 2000
NAME_MAX_LENGTH: int = Region._meta.get_field("name").max_length  # type: ignore[assignment]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    deactivated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"created {self.created}, updated {self.updated}, "
            f"deactivated {self.deactivated}, unchanged {self.unchanged}"
        )


@dataclass
class RegionFileError(Exception):
    """The file has bad rows; `problems` holds (line number, message) pairs."""

    problems: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        shown = "\n".join(f"line {line}: {message}" for line, message in self.problems[:50])
        more = len(self.problems) - 50
        return shown + (f"\n… and {more} more bad rows" if more > 0 else "")


def read_rows(lines: Iterable[str]) -> tuple[dict[str, Any], list[tuple[int, str]]]:
    """Validate the file's shape and rows; returns {code: (name, level, kind, parent)}."""
    reader = csv.reader(lines)
    problems = []
    header = next(reader, None)
    if header is None or [column.strip().lower() for column in header] != HEADER:
        raise RegionFileError([(1, _("the header must be: %s") % ",".join(HEADER))])
    rows = {}
    last_line = reader.line_num
    for record in reader:
        # A quoted field may span several lines: report where the record starts.
        line, last_line = last_line + 1, reader.line_num
        if not record or record == [""]:
            continue
        if len(record) != 4:
            problems.append((line, _("expected 4 columns, found %d") % len(record)))
            continue
        code, name, level_text, parent_code = (value.strip() for value in record)
        row_problem = _check_row(code, name, level_text, parent_code)
        if row_problem:
            problems.append((line, row_problem))
            continue
        if code in rows:
            problems.append((line, _("code %s appears twice") % code))
            continue
        place = placement(code)
        assert place is not None  # _check_row refused malformed codes
        rows[code] = (name, place.level, place.kind, place.parent, line)
    return rows, problems


def _check_row(code: str, name: str, level_text: str, parent_code: str) -> str | None:
    place = placement(code)
    if place is None:
        return _("malformed code %r") % code
    level = place.level
    if not name:
        return _("empty name for code %s") % code
    if len(name) > NAME_MAX_LENGTH:
        return _("name of code %(code)s is longer than %(max)d characters") % {
            "code": code,
            "max": NAME_MAX_LENGTH,
        }
    if level_text != str(level):
        return _("level %(given)r does not match code %(code)s (level %(level)d)") % {
            "given": level_text,
            "code": code,
            "level": level,
        }
    if (parent_code or None) != place.parent:
        return _("parent_code %(parent)r is not the parent of code %(code)s") % {
            "parent": parent_code,
            "code": code,
        }
    return None


@transaction.atomic
def import_regions(
    lines: Iterable[str],
    *,
    within: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Upsert the regions of a CSV file in batches, in one transaction.

    `within` limits deactivation to one subtree (for a file that holds only
    part of the country); without it the file is the whole table.
    """
    rows, problems = read_rows(lines)
    existing = {
        code: (name, level, kind, parent_id, is_active)
        for code, name, level, kind, parent_id, is_active in Region.objects.values_list(
            "code", "name", "level", "kind", "parent_id", "is_active"
        )
    }
    for code, (_name, _level, _kind, parent_code, line) in rows.items():
        if parent_code and parent_code not in rows and parent_code not in existing:
            problems.append(
                (
                    line,
                    _("unknown parent %(parent)s of code %(code)s")
                    % {
                        "parent": parent_code,
                        "code": code,
                    },
                )
            )
    if problems:
        problems.sort()
        raise RegionFileError(problems)

    result = ImportResult()
    to_create: list[Region] = []
    to_update: list[Region] = []
    for code, (name, level, kind, parent_code, _line) in rows.items():
        wanted = (name, level, kind, parent_code, True)
        current = existing.get(code)
        if current == wanted:
            result.unchanged += 1
            continue
        region = Region(
            code=code, name=name, level=level, kind=kind, parent_id=parent_code, is_active=True
        )
        (to_create if current is None else to_update).append(region)

    missing = [
        code
        for code, (*_rest, is_active) in existing.items()
        if is_active and code not in rows and _is_within(code, within)
    ]

    total = len(to_create) + len(to_update) + len(missing)
    done = 0

    def advance(count: int) -> None:
        nonlocal done
        done += count
        if progress:
            progress(done, total)

    # Parents before children, so every foreign key points at a row already written.
    to_create.sort(key=lambda region: (region.level, region.code))
    for start in range(0, len(to_create), BATCH_SIZE):
        batch = to_create[start : start + BATCH_SIZE]
        Region.objects.bulk_create(batch)
        advance(len(batch))
    to_update.sort(key=lambda region: (region.level, region.code))
    for start in range(0, len(to_update), BATCH_SIZE):
        batch = to_update[start : start + BATCH_SIZE]
        Region.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "level", "kind", "parent", "is_active"],
        )
        advance(len(batch))
    for start in range(0, len(missing), 500):
        codes = missing[start : start + 500]
        Region.objects.filter(code__in=codes).update(is_active=False)
        advance(len(codes))

    result.created = len(to_create)
    result.updated = len(to_update)
    result.deactivated = len(missing)
    return result


def _is_within(code: str, within: str | None) -> bool:
    return within is None or code == within or code.startswith(subtree_prefix(within))
