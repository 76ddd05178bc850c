"""Database triggers switched off around a bulk load, on PostgreSQL and SQLite."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper
from django.db.models import Model


@contextmanager
def triggers_paused(models: Iterable[type[Model]]) -> Iterator[None]:
    """Every user trigger on the tables of `models` is off while the block runs; the caller
    recounts what they keep afterwards.

    In the caller's transaction (or one of its own): an error rolls the triggers back with
    the rows. PostgreSQL disables them, and other writers wait (ALTER TABLE holds its lock
    until the commit). SQLite cannot disable a trigger: they are dropped, and created again
    from their own SQL.
    """
    tables = [model._meta.db_table for model in models]
    with transaction.atomic(savepoint=False):
        dropped = _pause(tables)
        yield
        _resume(tables, dropped)


def _pause(tables: list[str]) -> list[str]:
    """Switch the triggers off; returns the SQL that creates again those dropped (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _alter_triggers(cursor, tables, "DISABLE")
            return []
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
            f"({', '.join(['%s'] * len(tables))})",
            tables,
        )
        triggers = cursor.fetchall()
        for name, _sql in triggers:
            cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
    return [sql for _name, sql in triggers]


def _resume(tables: list[str], dropped: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _alter_triggers(cursor, tables, "ENABLE")
        for sql in dropped:
            cursor.execute(sql)


def _alter_triggers(cursor: CursorWrapper, tables: list[str], action: str) -> None:
    # A table with foreign key checks still pending in this transaction cannot be altered.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for table in tables:
        cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} {action} TRIGGER USER")
