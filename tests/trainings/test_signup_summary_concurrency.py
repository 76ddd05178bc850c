"""The sign-up summary under load (PostgreSQL): 200 cadres of one kelurahan sign up for four
trainings at the same instant and a quarter of them cancel straight away, which moves the
waitlists up. Every trigger adds to the same summary row (one kelurahan, one month) from
transactions that the trainings' row locks do not order: none of them may lose an increment.

As in test_concurrency, each worker thread has its own database connection, opened before
a barrier releases them together.
"""

from django.core.management import call_command
from django.utils import timezone

from tests.concurrency import require_postgresql, serve_at_once
from tests.trainings.factories import make_training
from tests.trainings.test_concurrency import verified_cadres
from trainings import selectors, services
from trainings.models import Registration, SignupSummary

SIGN_UPS = 200
TRAININGS = 4
CONNECTIONS = 20
CANCELS_EVERY = 4  # every fourth cadre cancels right after signing up
Status = Registration.Status


@require_postgresql
def test_simultaneous_sign_ups_and_cancellations_lose_nothing_in_the_summary(
    transactional_db, bontang, capsys
):
    trainings = [make_training(capacity=10, eligible_bodies=["LPM"]) for _ in range(TRAININGS)]
    profiles = verified_cadres(SIGN_UPS)

    def sign_up(arrival):  # a deadlock or a lost update is a finding
        index, profile = arrival
        registration = services.sign_up(
            actor=profile.user, training=trainings[index % TRAININGS], profile=profile
        )
        if index % CANCELS_EVERY == 0:
            services.cancel(actor=profile.user, registration=registration)

    serve_at_once(sign_up, enumerate(profiles), workers=CONNECTIONS)

    assert Registration.objects.count() == SIGN_UPS
    assert Registration.objects.filter(status=Status.CANCELLED).count() == SIGN_UPS // 4
    row = SignupSummary.objects.get(
        kelurahan_id="64.74.03.1001", month=timezone.localdate().replace(day=1)
    )
    assert (row.signups, row.seated_finished, row.attended_finished) == (SIGN_UPS, 0, 0)
    assert selectors.signup_summary_mismatches() == []
    capsys.readouterr()
    call_command("check_signup_summary")
    assert "matches" in capsys.readouterr().out
