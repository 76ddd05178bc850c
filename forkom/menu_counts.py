"""Counts beside the menu's work links: how many things wait for the person on that page
(cadres to verify, proposals to decide).

The menu is built here, in the core, which cannot import the apps that know what waits: each
app registers, for a URL name it owns, the queryset of what waits there for a person, in its
AppConfig.ready(). Every count of a page is read in one query, and each reads at most CAP + 1
rows, so a province's thousands of waiting cadres cost what a hundred do; the menu then shows
"99+". Counts are read on every request, never cached: they say what waits now.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

CAP = 99

Waiting = Callable[[Any], QuerySet[Any]]
_waiting: dict[str, Waiting] = {}


def register(url_name: str, waiting: Waiting) -> None:
    _waiting[url_name] = waiting


def counts(user: Any, url_names: Iterable[str]) -> dict[str, int]:
    """{url name: what waits there for `user`, up to CAP + 1}, in one query."""
    names = [name for name in url_names if name in _waiting]
    if not names:
        return {}
    parts: list[str] = []
    params: list[Any] = []
    for name in names:
        queryset = _waiting[name](user).order_by().values("pk")[: CAP + 1]
        try:
            sql, part_params = queryset.query.sql_with_params()
        except EmptyResultSet:  # a condition that nothing can meet: nothing waits
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS waiting)")
        params.extend(part_params)
    if all(part == "0" for part in parts):
        return dict.fromkeys(names, 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(names, row, strict=True))


def label(number: int) -> str:
    return f"{CAP}+" if number > CAP else str(number)
