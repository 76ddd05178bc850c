"""Django's PostgreSQL backend, with a health check that costs no round trip.

Connections live across requests (CONN_MAX_AGE), and with CONN_HEALTH_CHECKS Django checks
one before the first query of every request by running `SELECT 1` on it: a round trip to
PostgreSQL, and a switch to its process and back, before any of the request's work (about
0.1 ms of a 2 ms signed-in floor in process; docs/performance.md).

Here the check first asks the operating system whether the idle connection's socket has
anything to read. A connection that the server or something on the way closed (a restart,
an administrator's pg_terminate_backend, an idle timeout) has the server's last message or
the end of the stream waiting there; a healthy idle connection has nothing, since the
portal sends no LISTEN. Only when something is waiting, or the connection is not idle, does
Django's own check run, which closes a connection that fails it so that the request gets a
new one, as before. A connection whose peer vanished without a word looks quiet to both
checks alike: Django's `SELECT 1` would have waited on it just as the request's first query
now does.
"""

import select
from typing import Any

from django.db.backends.postgresql.base import DatabaseWrapper as PostgreSQLWrapper
from psycopg import pq


class DatabaseWrapper(PostgreSQLWrapper):
    # Set by Django's BaseDatabaseWrapper; django-stubs does not declare them.
    health_check_enabled: bool
    health_check_done: bool

    def close_if_health_check_failed(self) -> None:
        if (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
            and quiet(self.connection)
        ):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()


def quiet(connection: Any) -> bool:
    """Whether a psycopg connection is open, idle outside a transaction, and has nothing
    waiting to be read: no error, no notice, no end of stream."""
    if connection.closed or connection.broken:
        return False
    pgconn = connection.pgconn
    if pgconn.status != pq.ConnStatus.OK or pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return False
    try:
        poller = select.poll()
        poller.register(pgconn.socket, select.POLLIN | select.POLLPRI)
        # Errors and a hang-up are reported whether asked for or not.
        return not poller.poll(0)
    except Exception:  # a socket psycopg cannot give, or poll cannot watch: check the long way
        return False
