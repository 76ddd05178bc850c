"""A decision on a cadre locks the cadre's profile, not their account or their kelurahan
(PostgreSQL, where row locks are real): the cadre logging in at that moment, or another
cadre registering in the same kelurahan, does not hold the officer up, nor the other way
round. tests/site/test_row_locks.py holds the rule for every locking query."""

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections

from cadres import services
from cadres.models import CadreProfile
from forkom.accounts.models import User
from tests.cadres.factories import make_profile


@pytest.fixture
def other_transaction(postgresql_only, transactional_db):
    """A second connection with a transaction open, rolled back at the end."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    other.set_autocommit(False)
    yield other
    other.rollback()
    other.close()


@pytest.fixture
def no_waiting():
    """Past one second of waiting for a lock, the statement fails instead."""
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '1s'")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


def test_a_verification_does_not_wait_for_the_cadres_login_or_a_registration_nearby(
    other_transaction, bontang, kelurahan_officer, no_waiting, settings
):
    # As in production: the decision's email waits in the queue for the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    profile = make_profile()
    with other_transaction.cursor() as cursor:
        # The cadre's login writes their account's last_login; a key-share lock on the
        # kelurahan is what a registration there takes for its foreign key.
        cursor.execute(
            f"UPDATE {User._meta.db_table} SET last_login = now() WHERE id = %s",
            [profile.user_id],
        )
        cursor.execute(
            "SELECT 1 FROM territory_region WHERE code = %s FOR KEY SHARE", [profile.kelurahan_id]
        )
    try:
        services.verify_cadre(actor=kelurahan_officer, profile=profile)
    except OperationalError as error:  # lock_timeout: the decision waited for them
        pytest.fail(f"The verification waited for another transaction: {error}")
    assert CadreProfile.objects.get(pk=profile.pk).status == CadreProfile.Status.VERIFIED
