"""Writers of the dashboards' count rows at the same moment (PostgreSQL): none gets an error.

Each attendance change moves the sign-up summary's row of the cadre's kelurahan and month,
so a list whose cadres come from Belimbing and then Gunung Telihan, saved beside one whose
cadres come from Gunung Telihan and then Belimbing, takes the two summary rows in opposite
orders. PostgreSQL breaks such a deadlock by cancelling one transaction; the service runs
it again, once the other has committed.

A test-only trigger pauses after each summary update, so that both transactions hold their
first row before either asks for its second: the deadlock then happens every time instead
of once in a while.
"""

import threading
import time
from datetime import timedelta

from django.db import connection, connections
from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import CadreProfile
from tests.cadres.factories import profile_details
from tests.trainings.factories import make_cadre, make_training
from trainings import selectors, services
from trainings.models import Registration, SignupSummary, TrainingEvent

PAUSE = """
    CREATE FUNCTION test_pause_after_summary() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_sleep(0.4); RETURN NULL; END $$;
    -- Named after the summary's trigger: PostgreSQL fires a row's triggers by name.
    CREATE TRIGGER trainings_signupsummary_registration_changed_pause
    AFTER UPDATE OF attended ON trainings_registration
    FOR EACH ROW EXECUTE FUNCTION test_pause_after_summary();
"""
UNPAUSE = """
    DROP TRIGGER IF EXISTS trainings_signupsummary_registration_changed_pause
        ON trainings_registration;
    DROP FUNCTION IF EXISTS test_pause_after_summary();
"""


def run_at_once(*works, stagger=0.0):
    """Run each work on its own connection, released together (the later ones `stagger`
    seconds apart); the errors they raised."""
    barrier, errors = threading.Barrier(len(works)), []

    def run(index, work):
        try:
            connection.ensure_connection()
            barrier.wait(timeout=30)
            time.sleep(index * stagger)
            work()
        except BaseException as error:  # an error answered to a saved change is the finding
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(works)]
    with connection.cursor() as cursor:
        cursor.execute(PAUSE)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(UNPAUSE)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def test_attendance_saved_at_once_for_two_trainings_survives_a_deadlock(
    postgresql_only, transactional_db, bontang, kecamatan_officer
):
    started = timezone.now() - timedelta(hours=1)
    trainings = [make_training(capacity=5, starts_at=started) for _ in range(2)]
    order = [("64.74.03.1001", "64.74.03.1002"), ("64.74.03.1002", "64.74.03.1001")]
    seated = [
        [
            Registration.objects.create(
                training=training,
                profile=make_cadre(kelurahan=kelurahan),
                status=Registration.Status.REGISTERED,
            ).pk
            for kelurahan in kelurahans
        ]
        for training, kelurahans in zip(trainings, order, strict=True)
    ]
    present = []

    def save(training, registrations):
        return lambda: present.append(
            services.mark_attendance(
                actor=kecamatan_officer, training=training, attended=registrations
            )
        )

    errors = run_at_once(*(save(*pair) for pair in zip(trainings, seated, strict=True)))

    assert not errors, "\n".join(errors)
    assert present == [2, 2]
    assert Registration.objects.filter(attended=True).count() == 4
    # The cancelled attempt left nothing behind: one attendance event per training.
    assert TrainingEvent.objects.filter(kind=TrainingEvent.Kind.ATTENDANCE).count() == 2
    assert SignupSummary.objects.filter(signups=2).count() == 2


def test_a_cadre_moving_while_their_training_takes_attendance_survives_a_deadlock(
    postgresql_only, transactional_db, bontang, kecamatan_officer
):
    """The attendance list updates a neighbour's sign-up (the Belimbing summary row) and
    then the mover's, which waits for the mover's profile; the move, meanwhile, holds the
    profile and waits to take the mover's sign-up out of that same Belimbing row."""
    training = make_training(capacity=5, starts_at=timezone.now() - timedelta(hours=1))
    neighbour, mover = make_cadre(), make_cadre()
    seated = [
        Registration.objects.create(
            training=training, profile=profile, status=Registration.Status.REGISTERED
        ).pk
        for profile in (neighbour, mover)
    ]
    moved = profile_details("64.74.03.1002", nik=mover.nik, full_name=mover.full_name)

    errors = run_at_once(
        lambda: services.mark_attendance(
            actor=kecamatan_officer, training=training, attended=seated
        ),
        lambda: cadre_services.update_profile(actor=mover.user, profile=mover, **moved),
        stagger=0.1,
    )

    assert not errors, "\n".join(errors)
    assert CadreProfile.objects.get(pk=mover.pk).kelurahan_id == "64.74.03.1002"
    assert Registration.objects.filter(attended=True).count() == 2
    assert selectors.signup_summary_mismatches() == []
