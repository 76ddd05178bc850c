"""The health check of a kept PostgreSQL connection (forkom/postgresql/base.py): a quiet
idle connection is taken as it is, without Django's `SELECT 1`; one that the server closed
is found out, replaced, and the request's query runs on the new one."""

import time
from unittest import mock

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from forkom.postgresql.base import quiet


@pytest.fixture
def kept(postgresql_only, db):
    """A connection of its own to the test database, kept with health checks as in
    production, at the start of a request (Django resets the check then)."""
    wrapper = connections.create_connection(DEFAULT_DB_ALIAS)
    wrapper.settings_dict["CONN_HEALTH_CHECKS"] = True
    wrapper.ensure_connection()
    assert wrapper.health_check_enabled
    wrapper.health_check_done = False
    yield wrapper
    wrapper.close()


def backend_pid(wrapper):
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def test_a_quiet_idle_connection_is_used_without_a_round_trip(kept):
    first = kept.connection
    with mock.patch.object(kept, "is_usable", wraps=kept.is_usable) as is_usable:
        pid = backend_pid(kept)
    assert is_usable.call_count == 0
    assert kept.connection is first
    assert kept.health_check_done
    # The next request checks again, and again finds it quiet.
    kept.health_check_done = False
    with mock.patch.object(kept, "is_usable", wraps=kept.is_usable) as is_usable:
        assert backend_pid(kept) == pid
    assert is_usable.call_count == 0


def test_a_connection_the_server_closed_is_replaced_before_the_query(kept):
    pid = backend_pid(kept)
    kept.health_check_done = False  # the next request
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True
    deadline = time.monotonic() + 5
    while quiet(kept.connection) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not quiet(kept.connection), "the server's goodbye never reached the socket"
    with mock.patch.object(kept, "is_usable", wraps=kept.is_usable) as is_usable:
        new_pid = backend_pid(kept)  # without a check this query fails on the dead one
    assert is_usable.call_count == 1
    assert new_pid != pid


def test_a_connection_inside_a_transaction_gets_djangos_check(kept):
    kept.connection.execute("BEGIN")
    assert not quiet(kept.connection)
    kept.connection.execute("ROLLBACK")
    assert quiet(kept.connection)


def test_a_closed_connection_is_not_quiet(kept):
    raw = kept.connection
    raw.close()
    assert not quiet(raw)
