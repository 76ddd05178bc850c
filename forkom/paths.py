"""Paths of the site's pages without reverse()'s cost on every call.

reverse() takes about 30 µs on these machines: a list of 25 proposals with a link each, or
a menu of twenty entries, pays for it on every row. path_of() reverses a URL name without
arguments once per process; path_to() reverses a name with public ids, primary keys or
region codes once and fills in each call's values. Both key their memory by the script
prefix and the URLconf, as reverse() reads them.
"""

import re
import uuid
from functools import cache

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from forkom.converters import RegionCodeConverter


def path_of(url_name: str) -> str:
    """reverse() of a URL name without arguments, once per process (per script prefix and
    URLconf): the menu's twenty entries and a dashboard's hundred filtered links read the same
    few paths on every page."""
    return _reversed(url_name, get_script_prefix(), get_urlconf())


@cache
def _reversed(url_name: str, script_prefix: str, urlconf: str | None) -> str:
    return reverse(url_name, urlconf=urlconf)


# A Kemendagri region code, as its converter reads it: digits and dots, nothing that a
# path would escape.
REGION_CODE = re.compile(RegionCodeConverter.regex)


# Stand-ins for path_to's arguments while it reverses a URL name once: values that the
# converters of public ids (uuid), primary keys (id, int) and region codes accept, one per
# position.
def _stand_in(kind: type, position: int) -> uuid.UUID | int | str:
    if kind is uuid.UUID:
        return uuid.UUID(f"f0f0f0f0-0000-4000-8000-{position:012d}")
    if kind is str:
        return f"9{position}.87.65.4321"
    return 123_456_789_012_345_000 + position  # 18 digits, as forkom.converters.IdConverter


def path_to(url_name: str, *args: uuid.UUID | int | str) -> str:
    """reverse(url_name, args=args) for a route whose arguments are UUIDs (public ids),
    non-negative integers (primary keys) or region codes, in about 10 µs instead of 30: the
    path is reversed once per process (per script prefix and URLconf) with stand-ins, and each
    call puts the arguments' text in their places. A list of proposals asks this once or twice
    per row, the home page once for each of Bontang's eighteen regions. Any other argument
    goes through reverse() itself."""
    kinds: list[type] = []
    for arg in args:
        if isinstance(arg, uuid.UUID):
            kinds.append(uuid.UUID)
        elif type(arg) is int and 0 <= arg < 10**18:
            kinds.append(int)
        elif type(arg) is str and REGION_CODE.fullmatch(arg):
            kinds.append(str)
        else:
            return reverse(url_name, args=args)
    parts = _path_parts(url_name, tuple(kinds), get_script_prefix(), get_urlconf())
    if parts is None:
        return reverse(url_name, args=args)
    path = parts[0]
    for arg, rest in zip(args, parts[1:], strict=True):
        path += str(arg) + rest
    return path


@cache
def _path_parts(
    url_name: str, kinds: tuple[type, ...], script_prefix: str, urlconf: str | None
) -> tuple[str, ...] | None:
    """The reversed path split around each argument's place, or None when a stand-in is
    refused or does not appear as itself exactly once (a converter that writes its value
    otherwise): then path_to reverses every time."""
    stand_ins = [_stand_in(kind, position) for position, kind in enumerate(kinds)]
    try:
        path = reverse(url_name, args=stand_ins, urlconf=urlconf)
    except NoReverseMatch:  # a converter that refuses the stand-in: reverse() each time
        return None
    parts = []
    for text in map(str, stand_ins):
        if path.count(text) != 1:
            return None
        before, path = path.split(text)
        parts.append(before)
    parts.append(path)
    return tuple(parts)
