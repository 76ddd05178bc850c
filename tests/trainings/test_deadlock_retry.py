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

from contextlib import contextmanager
from datetime import timedelta

from django.db import connection
from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import CadreProfile
from tests.cadres.factories import profile_details
from tests.concurrency import require_postgresql, run_at_once
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


@contextmanager
def summary_updates_pause():
    """Every summary update pauses while the block runs."""
    with connection.cursor() as cursor:
        cursor.execute(PAUSE)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(UNPAUSE)


@require_postgresql
def test_attendance_saved_at_once_for_two_trainings_survives_a_deadlock(
    transactional_db, bontang, kecamatan_officer
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

    def save(training, registrations):
        return lambda: services.mark_attendance(
            actor=kecamatan_officer, training=training, attended=registrations
        )

    with summary_updates_pause():
        present = run_at_once(*(save(*pair) for pair in zip(trainings, seated, strict=True)))

    assert present == [2, 2]
    assert Registration.objects.filter(attended=True).count() == 4
    # The cancelled attempt left nothing behind: one attendance event per training.
    assert TrainingEvent.objects.filter(kind=TrainingEvent.Kind.ATTENDANCE).count() == 2
    assert SignupSummary.objects.filter(signups=2).count() == 2


@require_postgresql
def test_a_cadre_moving_while_their_training_takes_attendance_survives_a_deadlock(
    transactional_db, bontang, kecamatan_officer
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

    with summary_updates_pause():
        run_at_once(
            lambda: services.mark_attendance(
                actor=kecamatan_officer, training=training, attended=seated
            ),
            lambda: cadre_services.update_profile(actor=mover.user, profile=mover, **moved),
            stagger=0.1,
        )

    assert CadreProfile.objects.get(pk=mover.pk).kelurahan_id == "64.74.03.1002"
    assert Registration.objects.filter(attended=True).count() == 2
    assert selectors.signup_summary_mismatches() == []
