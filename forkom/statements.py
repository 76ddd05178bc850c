"""Querysets compiled once and run many times with one value changed.

Some queries run on every signed-in request with only an id changing: the user's row
(forkom.accounts.models.ForkomUserManager.get) and their current roles (forkom.scope.grants).
Building and compiling such a queryset took longer than running it. A Statement is its SQL,
compiled once with PLACEHOLDER where the value goes; its rows are read afresh every time and
converted as the ORM converts them. Only the SQL is kept, never a row.
"""

from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

# Stands for the value in the compiled statement: no row has it as an id.
PLACEHOLDER = -424_242


@dataclass(frozen=True)
class Statement:
    alias: str
    sql: str
    params: tuple[Any, ...]
    at: int  # where the value goes in params
    columns: tuple[Any, ...]  # the selected columns, for their converters


def compiled(queryset: QuerySet[Any]) -> Statement:
    """`queryset`, which filters on PLACEHOLDER once, compiled for its database."""
    alias = queryset.db
    compiler = queryset.query.get_compiler(alias)
    sql, params = compiler.as_sql()
    params = tuple(params)
    if params.count(PLACEHOLDER) != 1:
        raise ValueError(f"the placeholder is not in the statement once: {sql!r} {params!r}")
    columns = tuple(column for column, _sql, _alias in compiler.select)
    return Statement(alias, sql, params, params.index(PLACEHOLDER), columns)


def rows(statement: Statement, value: Any) -> list[list[Any]]:
    """The statement's rows for `value`, each value as the ORM gives it (SQLite's dates)."""
    connection = connections[statement.alias]
    at = statement.at
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [*statement.params[:at], value, *statement.params[at + 1 :]])
        fetched = cursor.fetchall()
    converters = [
        (position, column, converts)
        for position, column in enumerate(statement.columns)
        if (
            converts := connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        )
    ]
    result = []
    for row in fetched:
        values = list(row)
        for position, column, converts in converters:
            for convert in converts:
                values[position] = convert(values[position], column, connection)
        result.append(values)
    return result
