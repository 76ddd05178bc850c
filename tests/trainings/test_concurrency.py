"""200 cadres sign up for a 41-seat training at the same instant (PostgreSQL).

The 200 sign-ups arrive at once and are served by CONNECTIONS workers, each with its own
database connection opened beforehand, as web workers with persistent connections would:
the server allows 100 connections in all (max_connections), shared with everything else on
the machine. A barrier releases the workers together; each takes the next sign-up in
arrival order until none are left, so up to CONNECTIONS transactions contend for the
training's row lock at every moment.
"""

import os
import time

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from cadres.models import Body, CadreMembership
from tests.cadres.factories import bulk_profiles
from tests.concurrency import require_postgresql, serve_at_once
from tests.trainings.factories import listed, make_training
from trainings import selectors, services
from trainings.models import Registration, TrainingEvent

SIGN_UPS = 200
SEATS = 41
CONNECTIONS = 40
TIME_LIMIT_SECONDS = 5.0
Status = Registration.Status


def verified_cadres(count):
    """`count` verified cadres of Belimbing serving in LPM, inserted in bulk."""
    profiles = bulk_profiles(count, "Kader Serentak", nik=True)
    lpm = listed(Body, ["LPM"])[0]
    CadreMembership.objects.bulk_create(
        CadreMembership(profile=profile, body=lpm) for profile in profiles
    )
    return profiles


# Its time limit is a throughput: measured with no other test taking the cores.
@pytest.mark.alone
@require_postgresql
def test_200_simultaneous_sign_ups_fill_41_seats_and_queue_159_in_arrival_order(
    transactional_db, bontang, settings
):
    # As in production: each sign-up stores its email's task; the worker sends it later.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    training = make_training(capacity=SEATS, eligible_bodies=["LPM", "Posyandu"])
    profiles = verified_cadres(SIGN_UPS)
    started = []

    def sign_up(profile):
        registration = services.sign_up(actor=profile.user, training=training, profile=profile)
        return (registration.pk, registration.status)

    cpu_before = time.process_time()
    outcomes = serve_at_once(
        sign_up,
        profiles,
        workers=CONNECTIONS,
        on_release=lambda: started.append(time.perf_counter()),
    )
    elapsed = time.perf_counter() - started[0]
    cpu = time.process_time() - cpu_before
    load = os.getloadavg()[0]
    print(
        f"\n{SIGN_UPS} concurrent sign-ups for {SEATS} seats on {connection.vendor}: "
        f"{elapsed:.2f} s ({SIGN_UPS / elapsed:.0f} sign-ups/s, {CONNECTIONS} workers with "
        f"a connection each; {cpu:.2f} s CPU in this process; load average {load:.1f})"
    )

    registrations = list(training.registrations.order_by("created_at", "pk"))
    assert len(registrations) == SIGN_UPS
    seated = [row for row in registrations if row.status == Status.REGISTERED]
    waiting = [row for row in registrations if row.status == Status.WAITLISTED]
    assert (len(seated), len(waiting)) == (SEATS, SIGN_UPS - SEATS)
    # The counter the catalogue reads agrees with a recount.
    training.refresh_from_db()
    assert training.seats_taken == SEATS
    # Arrival order is the order in which the lock was granted: the first 41 got the seats.
    assert registrations[:SEATS] == seated
    assert sorted(row.pk for row in registrations) == [row.pk for row in registrations]
    positions = [selectors.waitlist_position(row) for row in waiting]
    assert positions == list(range(1, SIGN_UPS - SEATS + 1))
    # What each cadre was told is what the database holds.
    told = dict(outcome for outcome in outcomes if outcome)
    assert told == {row.pk: row.status for row in registrations}
    assert TrainingEvent.objects.filter(training=training).count() == SIGN_UPS
    # Every committed sign-up has the task that tells the cadre.
    assert DBTaskResult.objects.filter(task_path="forkom.outbox.tasks.run_later").count() == (
        SIGN_UPS
    )
    assert elapsed < TIME_LIMIT_SECONDS, f"{elapsed:.2f} s is over {TIME_LIMIT_SECONDS} s"
