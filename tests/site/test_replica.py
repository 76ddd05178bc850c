"""The read-replica router and its setting (forkom.replica, DATABASE_REPLICA_URL); the
dashboards reading from a replica are tested in tests/dashboard/test_replica.py."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections

from forkom import replica
from forkom.env import env_database, env_replica_database
from forkom.replica import REPLICA, ReplicaRouter
from forkom.territory.models import Region
from programs.models import Proposal

POSTGRES = env_database("DATABASE_URL", "postgres://forkom@db.internal:5432/forkom", {})


def test_without_a_replica_every_read_goes_to_the_primary():
    router = ReplicaRouter()
    with replica.reads():
        assert router.db_for_read(Proposal) is None
    assert REPLICA not in connections.settings


def test_a_row_read_from_the_replica_is_written_to_the_primary():
    router = ReplicaRouter()
    row, other = Proposal(), Region()
    row._state.db, other._state.db = REPLICA, DEFAULT_DB_ALIAS
    assert router.db_for_write(Proposal, instance=row) == DEFAULT_DB_ALIAS
    assert router.allow_relation(row, other) is True
    assert router.allow_migrate(REPLICA, "programs") is False
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "programs") is None


def test_no_replica_url_means_no_replica():
    assert env_replica_database("DATABASE_REPLICA_URL", POSTGRES, {}) is None
    assert (
        env_replica_database("DATABASE_REPLICA_URL", POSTGRES, {"DATABASE_REPLICA_URL": ""})
        is None
    )


def test_a_replica_url_gives_a_postgres_replica_that_tests_mirror_to_the_primary():
    config = env_replica_database(
        "DATABASE_REPLICA_URL",
        POSTGRES,
        {"DATABASE_REPLICA_URL": "postgres://reader@replica.internal:5432/forkom"},
    )
    assert (config["HOST"], config["USER"], config["NAME"]) == (
        "replica.internal",
        "reader",
        "forkom",
    )
    assert config["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize(
    ("primary", "url"),
    [
        ("postgres://forkom@db/forkom", "sqlite:///tmp/replica.sqlite3"),
        ("sqlite:///tmp/forkom.sqlite3", "postgres://reader@replica/forkom"),
        ("postgres://forkom@db/forkom", "mysql://reader@replica/forkom"),
    ],
)
def test_a_replica_needs_postgresql_on_both_sides(primary, url):
    with pytest.raises(ImproperlyConfigured, match="DATABASE_REPLICA_URL"):
        env_replica_database(
            "DATABASE_REPLICA_URL",
            env_database("DATABASE_URL", primary, {}),
            {"DATABASE_REPLICA_URL": url},
        )
