"""Reads that may come from a PostgreSQL read replica (DATABASE_REPLICA_URL).

Only what is marked with `reads()` goes there: the dashboards' aggregate figures, the
heaviest reads of the portal, where a replica's lag of a moment misleads nobody. Everything
else, and everything when no replica is configured, reads and writes the primary: scope
checks, the queues a coordinator acts on, and whatever a user has just changed.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_reading = ContextVar("forkom_replica_reads", default=False)


@contextmanager
def reads() -> Any:
    """Within the block, ORM reads go to the replica when one is configured."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        if not _reading.get() or REPLICA not in connections.settings:
            return None
        # Inside a transaction the primary holds what the replica cannot see yet.
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA} or None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        # A replica follows the primary's schema; it is never migrated itself.
        return False if db == REPLICA else None
