"""A transaction that the database cancelled to break a deadlock is made again, once the
other has gone on (forkom.conflicts); other database errors are not retried.

The real deadlock, on PostgreSQL, is in tests/trainings/test_deadlock_retry.py; here the
database's cancellation is raised on purpose, so that these run on both databases."""

import psycopg.errors
import pytest
from django.contrib.admin.models import LogEntry
from django.db import OperationalError, transaction
from django.urls import reverse

from cadres.admin import CadreProfileAdmin
from cadres.models import CadreEvent, CadreProfile
from forkom import conflicts
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import make_profile
from tests.concurrency import cancelled
from tests.conftest import make_user


def flaky(times, cause=psycopg.errors.DeadlockDetected):
    """Work that the database cancels `times` times, then does; `work.calls` counts."""

    def work(value):
        work.calls += 1
        if work.calls <= times:
            cancelled(cause("deadlock detected"))
        return value * 2

    work.calls = 0
    return work


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch):
    monkeypatch.setattr(conflicts, "BACKOFF_SECONDS", 0)


@pytest.mark.parametrize(
    "cause", [psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure]
)
def test_work_cancelled_for_a_deadlock_is_done_again(cause):
    work = flaky(conflicts.ATTEMPTS - 1, cause)
    assert conflicts.retried_on_conflict(work)(21) == 42
    assert work.calls == conflicts.ATTEMPTS


def test_work_cancelled_every_time_gives_up_with_the_databases_error():
    work = flaky(conflicts.ATTEMPTS)
    with pytest.raises(OperationalError, match="deadlock"):
        conflicts.retried_on_conflict(work)(21)
    assert work.calls == conflicts.ATTEMPTS


def test_other_database_errors_are_not_retried():
    work = flaky(1, psycopg.errors.QueryCanceled)  # a statement timeout: the 503 page
    with pytest.raises(OperationalError):
        conflicts.retried_on_conflict(work)(21)
    assert work.calls == 1


def test_work_inside_a_transaction_is_left_to_its_owner(db):
    work = flaky(1)
    with transaction.atomic(), pytest.raises(OperationalError):
        conflicts.retried_on_conflict(work)(21)
    assert work.calls == 1


def test_an_admin_change_cancelled_by_a_deadlock_is_saved_once(
    transactional_db, bontang, client, monkeypatch
):
    profile = make_profile()
    save_related = CadreProfileAdmin.save_related
    attempts = []

    def cancelled_the_first_time(self, request, form, formsets, change):
        save_related(self, request, form, formsets, change)  # the service writes the profile
        attempts.append(CadreProfile.objects.get(pk=profile.pk).full_name)
        if len(attempts) == 1:  # after the write: the database undoes it
            cancelled(psycopg.errors.DeadlockDetected("deadlock detected"))

    monkeypatch.setattr(CadreProfileAdmin, "save_related", cancelled_the_first_time)
    client.force_login(with_totp(make_user(is_superuser=True, is_staff=True)))
    url = reverse("admin:cadres_cadreprofile_change", args=[profile.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= {
        "full_name": "Nama Baru",
        "memberships-TOTAL_FORMS": 0,
        "memberships-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)

    assert response.status_code == 302
    assert attempts == ["Nama Baru", "Nama Baru"]
    assert CadreProfile.objects.get(pk=profile.pk).full_name == "Nama Baru"
    assert LogEntry.objects.filter(object_id=str(profile.pk)).count() == 1
    # The service's event of the undone attempt went with it.
    assert CadreEvent.objects.filter(profile=profile, note__contains="Dinas").count() == 1
