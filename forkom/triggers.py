"""Database triggers switched off around a bulk load, on PostgreSQL and SQLite, and around
a migration that SQLite carries out by building a table again."""

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.backends.utils import CursorWrapper
from django.db.migrations.operations.base import Operation
from django.db.migrations.state import ProjectState
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


class TriggersPausedOnSQLite(Operation):
    """`operation` (adding a NOT NULL column, altering or removing one) with the triggers of
    `tables` dropped for the while and created again, on SQLite only.

    SQLite changes a column by building the table again and renaming it: a trigger that names
    the table stops the rename, and one on it goes with the old table. PostgreSQL changes the
    table in place, with its triggers. Every migration that changes a table the sign-up
    summary's triggers name (trainings 0008) wraps its operation in this."""

    def __init__(self, operation: Operation, tables: list[str]) -> None:
        self.operation, self.tables = operation, list(tables)

    def state_forwards(self, app_label: str, state: ProjectState) -> None:
        self.operation.state_forwards(app_label, state)

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        with self._paused(schema_editor):
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        with self._paused(schema_editor):
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"{self.operation.describe()}, the triggers of {', '.join(self.tables)} paused"

    @property
    def migration_name_fragment(self) -> str:
        return self.operation.migration_name_fragment

    def references_model(self, name: str, app_label: str) -> bool:
        return self.operation.references_model(name, app_label)

    def references_field(self, model_name: str, name: str, app_label: str) -> bool:
        return self.operation.references_field(model_name, name, app_label)

    def _paused(self, schema_editor: BaseDatabaseSchemaEditor) -> AbstractContextManager[None]:
        connection = schema_editor.connection
        if connection.vendor != "sqlite":
            return nullcontext()
        return table_triggers_paused(self.tables, using=connection.alias)


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
