"""A cadre whose personal data is deleted gives up their seats in trainings still to come,
as their own cancellation would; what they attended stays, anonymised, in the counts."""

from datetime import timedelta

from django.core import mail
from django.utils import timezone

from cadres import services as cadre_services
from forkom import personal_data
from tests.concurrency import require_postgresql, run_at_once
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
