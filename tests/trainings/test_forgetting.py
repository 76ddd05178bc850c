"""A cadre whose personal data is deleted gives up their seats in trainings still to come,
as their own cancellation would; what they attended stays, anonymised, in the counts."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, override

from cadres import services as cadre_services
from cadres.models import CadreProfile
from forkom import deletion_log, personal_data
from forkom.errors import DomainError
from tests.concurrency import (
    require_postgresql,
    run_at_once,
    start_at_once,
    wait_until_blocked,
    wait_until_blocked_or_done,
)
from tests.trainings.factories import make_cadre, make_training
from trainings import selectors, services
from trainings.models import Registration, Training, TrainingEvent

Status = Registration.Status
Kind = TrainingEvent.Kind


def sign_up(profile, training, **kwargs):
    return services.sign_up(actor=profile.user, training=training, profile=profile, **kwargs)


def test_a_forgotten_cadres_seat_goes_to_the_first_on_the_waitlist_who_is_told(
    bontang, staff, django_capture_on_commit_callbacks
):
    now = timezone.now()
    wahyuni, budi, citra = (make_cadre(full_name=name) for name in ("Wahyuni", "Budi", "Citra"))
    coming = make_training(title="Menjahit Dasar", capacity=1)
    seat = sign_up(wahyuni, coming)
    sign_up(budi, coming)  # first on the waitlist
    full = make_training(title="Penuh", capacity=1)
    sign_up(citra, full)
    waiting = sign_up(wahyuni, full)
    held = make_training(
        title="Sudah lewat",
        starts_at=now - timedelta(days=7),
        registration_opens_at=now - timedelta(days=20),
        registration_closes_at=now - timedelta(days=8),
    )
    attended = sign_up(wahyuni, held, now=now - timedelta(days=10))
    services.mark_attendance(actor=staff, training=held, attended=[attended], now=held.starts_at)
    services.finish(actor=staff, training=held)
    request = cadre_services.request_deletion(actor=wahyuni.user)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cadre_services.carry_out_deletion(actor=staff, request=request)

    assert Registration.objects.get(pk=seat.pk).status == Status.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == Status.CANCELLED
    assert Registration.objects.get(profile=budi, training=coming).status == Status.REGISTERED
    assert Registration.objects.get(profile=citra, training=full).status == Status.REGISTERED
    coming.refresh_from_db()
    assert coming.seats_taken == 1
    assert selectors.seat_count_mismatches() == []
    assert selectors.signup_summary_mismatches() == []
    # The freed seat is Budi's, and he is told; nobody else of the trainings hears of it.
    told = [message for message in mail.outbox if message.to == [budi.user.email]]
    assert len(told) == 1
    assert "Menjahit Dasar" in told[0].subject
    assert not [message for message in mail.outbox if message.to == [citra.user.email]]
    assert list(
        coming.events.filter(kind__in=[Kind.WITHDRAWN, Kind.PROMOTED]).values_list("kind", "actor")
    ) == [(Kind.WITHDRAWN, staff.pk), (Kind.PROMOTED, staff.pk)]
    # The training attended stays, with the anonymised profile: its counts still add up.
    attended.refresh_from_db()
    assert (attended.status, attended.attended) == (Status.REGISTERED, True)
    assert attended.profile.full_name == personal_data.ANONYMISED_NAME
    assert Training.objects.get(pk=held.pk).registrations.filter(attended=True).count() == 1


def test_forgetting_by_the_system_also_frees_the_seat(bontang, staff):
    """The retention period running out forgets a person with no one acting."""
    wahyuni, budi = make_cadre(full_name="Wahyuni"), make_cadre(full_name="Budi")
    training = make_training(capacity=1)
    seat = sign_up(wahyuni, training)
    sign_up(budi, training)

    personal_data.forget(actor=None, user=wahyuni.user)

    assert Registration.objects.get(pk=seat.pk).status == Status.CANCELLED
    assert Registration.objects.get(profile=budi).status == Status.REGISTERED
    event = training.events.get(kind=Kind.WITHDRAWN)
    assert event.actor is None


@require_postgresql
def test_two_deletions_sharing_trainings_and_a_cancellation_at_once_free_every_seat(
    transactional_db, bontang, staff
):
    """Both forgettings lock the same two trainings (in pk order, as `cancel` locks one),
    while a waiting cadre of one of them cancels: nobody waits on the other crosswise."""
    wahyuni, yanti = make_cadre(full_name="Wahyuni"), make_cadre(full_name="Yanti")
    budi, citra = make_cadre(full_name="Budi"), make_cadre(full_name="Citra")
    first, second = make_training(capacity=2), make_training(capacity=2)
    # Yanti signs up in the other order, so that her sign-ups' pks do not follow the trainings'.
    for profile, trainings in ((wahyuni, (first, second)), (yanti, (second, first))):
        for training in trainings:
            sign_up(profile, training)
    leaving = sign_up(budi, first)
    sign_up(citra, first)
    sign_up(citra, second)
    requests = [cadre_services.request_deletion(actor=p.user) for p in (wahyuni, yanti)]

    run_at_once(
        *(
            lambda request=request: cadre_services.carry_out_deletion(actor=staff, request=request)
            for request in requests
        ),
        lambda: services.cancel(actor=budi.user, registration=leaving),
    )

    assert not Registration.objects.filter(
        profile__in=[wahyuni, yanti], status__in=[Status.REGISTERED, Status.WAITLISTED]
    ).exists()
    assert set(
        Registration.objects.filter(status=Status.REGISTERED).values_list("profile", "training")
    ) == {(citra.pk, first.pk), (citra.pk, second.pk)}
    assert selectors.seat_count_mismatches() == []
    assert selectors.signup_summary_mismatches() == []


def _held(training):
    """A transaction of its own holding the training's row lock (an organiser saving it, say)
    until `release()`: whoever needs that lock waits for it meanwhile."""
    locked, released = threading.Event(), threading.Event()

    def hold():
        with transaction.atomic():
            Training.objects.select_for_update().get(pk=training.pk)
            locked.set()
            assert released.wait(10), "the training's lock was never released"

    holder = start_at_once(hold, timeout=20)
    assert locked.wait(10), "the training's lock was never taken"
    return holder, released.set


def _no_place_is_left_to(profile, *trainings):
    """The forgotten cadre holds no seat and waits nowhere; each counter equals a recount."""
    assert not Registration.objects.filter(
        profile=profile, status__in=[Status.REGISTERED, Status.WAITLISTED]
    ).exists()
    for training in trainings:
        training.refresh_from_db()
        assert (
            training.seats_taken == training.registrations.filter(status=Status.REGISTERED).count()
        )
    assert selectors.seat_count_mismatches() == []
    assert selectors.signup_summary_mismatches() == []


def _carry_out_her_request(profile, staff):
    request = cadre_services.request_deletion(actor=profile.user)
    return lambda: cadre_services.carry_out_deletion(actor=staff, request=request)


def _forget_her_again_after_a_restore(profile, staff):
    entry = deletion_log.Entry(
        user_id=profile.user_id, public_id=profile.public_id, at=timezone.now()
    )
    return lambda: personal_data.forget_again([entry])


def _nothing_was_cancelled_for_a_deadlock(caplog):
    """The locks are taken in one order: the database had to cancel (and the service to run
    again) no transaction."""
    assert not [record.getMessage() for record in caplog.records if "cancelled" in record.msg]


@require_postgresql
@pytest.mark.parametrize("forgetting", [_carry_out_her_request, _forget_her_again_after_a_restore])
def test_a_sign_up_under_way_while_the_cadre_is_forgotten_keeps_no_seat(
    transactional_db, bontang, staff, caplog, forgetting
):
    """Wahyuni's sign-up has checked her profile and waits for the training's lock (an
    organiser holds it) while she is forgotten (staff carry out her deletion request, or a
    restore re-applies it): whichever commits first, she holds no seat in the end and the
    counter equals a recount."""
    wahyuni, budi = make_cadre(full_name="Wahyuni"), make_cadre(full_name="Budi")
    training = make_training(capacity=2)
    sign_up(budi, training)
    forget = forgetting(wahyuni, staff)
    holder, release = _held(training)

    signing_up = start_at_once(lambda: sign_up(wahyuni, training), expected=DomainError)
    wait_until_blocked(1)  # her sign-up waits for the training
    deleting = start_at_once(forget)
    wait_until_blocked_or_done(2, deleting)  # the deletion waits for her sign-up, or is done
    release()
    holder.results()
    deleting.results()
    signing_up.results()

    _no_place_is_left_to(wahyuni, training)
    assert list(
        training.registrations.filter(status=Status.REGISTERED).values_list("profile", flat=True)
    ) == [budi.pk]
    assert CadreProfile.objects.get(pk=wahyuni.pk).full_name == personal_data.ANONYMISED_NAME
    _nothing_was_cancelled_for_a_deadlock(caplog)


@require_postgresql
def test_a_sign_up_arriving_while_the_cadre_is_forgotten_is_refused(
    transactional_db, bontang, staff, caplog
):
    """The deletion is under way (it waits for the lock of a training Wahyuni holds a seat
    in) when her sign-up for another training arrives: the sign-up waits for the deletion,
    then finds her profile gone and is refused with the reason; her seat went to Budi."""
    wahyuni, budi = make_cadre(full_name="Wahyuni"), make_cadre(full_name="Budi")
    held, wanted = make_training(capacity=1), make_training(capacity=1)
    sign_up(wahyuni, held)
    sign_up(budi, held)  # first on the waitlist
    request = cadre_services.request_deletion(actor=wahyuni.user)
    holder, release = _held(held)

    deleting = start_at_once(
        lambda: cadre_services.carry_out_deletion(actor=staff, request=request)
    )
    wait_until_blocked(1)  # the deletion waits for the held training
    signing_up = start_at_once(lambda: sign_up(wahyuni, wanted), expected=DomainError)
    wait_until_blocked_or_done(2, signing_up)  # the sign-up waits for the deletion, or is done
    release()
    holder.results()
    deleting.results()
    [outcome] = signing_up.results()

    assert isinstance(outcome, DomainError), outcome
    with override("id"):  # the language the sign-up's thread answered in
        refusal = gettext(
            "This cadre profile is no longer active: it cannot sign up for trainings."
        )
    assert str(outcome) == refusal
    assert not wanted.registrations.exists()
    _no_place_is_left_to(wahyuni, held, wanted)
    assert held.registrations.get(status=Status.REGISTERED).profile == budi
    _nothing_was_cancelled_for_a_deadlock(caplog)
