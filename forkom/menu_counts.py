"""Counts beside the menu's work links: how many things wait for the person on that page
(cadres to verify, proposals to decide).

The menu is built here, in the core, which cannot import the apps that know what waits: each
app registers, for a URL name it owns, the queryset of what waits there for a person, in its
AppConfig.ready(). Every count of a page is read in one query, and each reads at most CAP + 1
rows, so a province's thousands of waiting cadres cost what a hundred do; the menu then shows
"99+". Counts are read on every request, never cached: they say what waits now. Only the
statement is kept: building and compiling the querysets cost more than running them, and the
SQL is a function of who asks (below).
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from forkom import scope, statements

CAP = 99
# Statements kept per process; past this many viewers the oldest half is dropped.
STATEMENTS = 2048

Waiting = Callable[[Any], QuerySet[Any]]
_waiting: dict[str, Waiting] = {}
_statements: statements.Kept[statements.Statement | None] = statements.Kept(STATEMENTS)


def register(url_name: str, waiting: Waiting) -> None:
    """`waiting(user)` is the queryset of what waits for `user` at `url_name`. It must depend
    on nothing but the user's id, is_active, is_superuser and current grants
    (forkom.scope.grants, read afresh on every request): its SQL is kept per such viewer."""
    _waiting[url_name] = waiting


def counts(user: Any, url_names: Iterable[str]) -> dict[str, int]:
    """{url name: what waits there for `user`, up to CAP + 1}, in one query."""
    names = [name for name in url_names if name in _waiting]
    if not names:
        return {}
    # Everything the statement is made of: a role granted, moved or ended changes the grants,
    # so the next request compiles a new one.
    key = (tuple((name, _waiting[name]) for name in names), CAP, scope.viewer_key(user))
    statement = _statements.get(key, lambda: _statement(user, names))
    if statement is None:
        return dict.fromkeys(names, 0)
    [row] = statements.rows(statement, None)
    return dict(zip(names, row, strict=True))


def _statement(user: Any, names: list[str]) -> statements.Statement | None:
    """The one SELECT of all the counts, or None when nothing can wait."""
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
        return None
    # Prepared with its values written in: planned once for this viewer's code prefixes.
    return statements.fixed_sql(connection.alias, "SELECT " + ", ".join(parts), params)


def label(number: int) -> str:
    return f"{CAP}+" if number > CAP else str(number)
