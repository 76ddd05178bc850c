"""Kemendagri region codes: `64` → `64.74` → `64.74.01` → `64.74.01.1001`.

A code's shape tells its level, its parent and, for kabupaten/kota and
desa/kelurahan, its kind. Subtree queries use the prefix `code + "."`.
"""

import re
from typing import NamedTuple

# [0-9], not \d: \d also matches other scripts' digits (fullwidth, Arabic-Indic, ...).
CODE_PATTERNS = {
    1: re.compile(r"[0-9]{2}"),
    2: re.compile(r"[0-9]{2}\.[0-9]{2}"),
    3: re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}"),
    4: re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
}
MAX_CODE_LENGTH = 13


def level_of(code: str) -> int | None:
    """The level (1 provinsi … 4 desa/kelurahan) that a code's shape has, or None."""
    for level, pattern in CODE_PATTERNS.items():
        if pattern.fullmatch(code):
            return level
    return None


def parent_of(code: str) -> str | None:
    """`64.74.01` → `64.74`; a provinsi has no parent."""
    head, _, _ = code.rpartition(".")
    return head or None


def kind_of(code: str, level: int) -> str:
    """Kabupaten vs kota (serial 71+), kelurahan vs desa vs desa adat (1xxx/2xxx/3xxx)."""
    if level == 2:
        return "kota" if int(code[3:5]) >= 71 else "kabupaten"
    if level == 4:
        return {"1": "kelurahan", "2": "desa", "3": "desa_adat"}.get(code[9], "")
    return ""


class Placement(NamedTuple):
    """Where a code stands in the tree: its level, kind and parent code."""

    level: int
    kind: str
    parent: str | None


def placement(code: str) -> Placement | None:
    """The level, kind and parent that a code's shape gives, or None for a malformed code.

    The one reading of a code's shape, for the importer and for regions added in the admin.
    """
    level = level_of(code)
    if level is None:
        return None
    return Placement(level, kind_of(code, level), parent_of(code))


def lineage(code: str) -> list[str]:
    """`code` and every code above it, nearest first (`64.74.01` → 64.74.01, 64.74, 64)."""
    codes = []
    current: str | None = code
    while current:
        codes.append(current)
        current = parent_of(current)
    return codes


def ancestor_at(code: str, level: int) -> str:
    """The code at `level` on the way down to `code` (`64.74.01.1001`, 2 → `64.74`): the
    code itself at its own level or when it lies above `level` (`64`, 2 → `64`)."""
    return ".".join(code.split(".")[:level])


def subtree_prefix(code: str) -> str:
    """What every code below `code` starts with (the dot keeps 64.7 from matching 64.74)."""
    return code + "."
