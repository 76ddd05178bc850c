"""Database triggers switched off around a bulk load, on PostgreSQL and SQLite."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
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
    with table_triggers_paused([model._meta.db_table for model in models]):
        yield


@contextmanager
def table_triggers_paused(tables: list[str], using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """triggers_paused, by table name, on the database `using`."""
    connection = connections[using]
    with transaction.atomic(using=using, savepoint=False):
        dropped = _pause(connection, tables)
        yield
        _resume(connection, tables, dropped)


def _pause(connection: BaseDatabaseWrapper, tables: list[str]) -> list[str]:
    """Switch the triggers off; returns the SQL that creates again those dropped (SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _alter_triggers(connection, cursor, tables, "DISABLE")
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


def _resume(connection: BaseDatabaseWrapper, tables: list[str], dropped: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _alter_triggers(connection, cursor, tables, "ENABLE")
        for sql in dropped:
            cursor.execute(sql)


def _alter_triggers(
    connection: BaseDatabaseWrapper, cursor: CursorWrapper, tables: list[str], action: str
) -> None:
    # A table with foreign key checks still pending in this transaction cannot be altered.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for table in tables:
        cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} {action} TRIGGER USER")
