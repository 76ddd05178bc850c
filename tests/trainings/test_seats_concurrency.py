"""The seat counter under load (PostgreSQL): 200 cadres sign up at the same instant and a
quarter of them cancel straight away, freeing seats that go to the waitlist, while the
others still arrive. Afterwards the stored counter must equal a recount.

As in test_concurrency, each worker thread has its own database connection, opened before
a barrier releases them together.
"""

from django.core.management import call_command

from tests.concurrency import require_postgresql, serve_at_once
from tests.trainings.factories import make_training
from tests.trainings.test_concurrency import verified_cadres
from trainings import selectors, services
from trainings.models import Registration

SIGN_UPS = 200
SEATS = 41
CONNECTIONS = 20
CANCELS_EVERY = 4  # every fourth cadre cancels right after signing up
Status = Registration.Status


@require_postgresql
def test_after_200_simultaneous_sign_ups_and_cancellations_the_counter_equals_a_recount(
    transactional_db, bontang, capsys
):
    training = make_training(capacity=SEATS, eligible_bodies=["LPM"])
    profiles = verified_cadres(SIGN_UPS)

    def sign_up(arrival):
        index, profile = arrival
        registration = services.sign_up(actor=profile.user, training=training, profile=profile)
        if index % CANCELS_EVERY == 0:
            services.cancel(actor=profile.user, registration=registration)

    serve_at_once(sign_up, enumerate(profiles), workers=CONNECTIONS)

    counted = training.registrations.filter(status=Status.REGISTERED).count()
    waiting = training.registrations.filter(status=Status.WAITLISTED).count()
    cancelled = training.registrations.filter(status=Status.CANCELLED).count()
    assert cancelled == SIGN_UPS // CANCELS_EVERY
    # 150 stayed: 41 hold the seats, nobody waits while one is free.
    assert (counted, waiting) == (SEATS, SIGN_UPS - cancelled - SEATS)
    training.refresh_from_db()
    assert training.seats_taken == counted
    assert selectors.seat_count_mismatches() == []
    capsys.readouterr()
    call_command("check_training_seats")
    assert "matches" in capsys.readouterr().out
