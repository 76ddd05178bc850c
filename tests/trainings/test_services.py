import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import CadreProfile
from forkom.accounts.models import Role
from forkom.errors import DomainError
from tests.conftest import make_persona
from tests.trainings.factories import make_cadre, make_training
from trainings import selectors, services
from trainings.models import Registration, Training, TrainingEvent

Status = Registration.Status
State = Training.State


def sign_up(profile, training, **kwargs):
    return services.sign_up(actor=profile.user, training=training, profile=profile, **kwargs)


def statuses(training):
    return list(
        training.registrations.order_by("created_at", "pk").values_list(
            "profile__full_name", "status"
        )
    )


def test_a_verified_cadre_takes_a_free_seat_and_gets_a_confirmation(
    bontang, django_capture_on_commit_callbacks, settings
):
    settings.FORKOM_SITE_URL = "https://forkom.example.id/"
    training = make_training(capacity=2)
    profile = make_cadre()
    with django_capture_on_commit_callbacks(execute=True):
        registration = sign_up(profile, training)
    assert registration.status == Status.REGISTERED
    training.refresh_from_db()  # the counter is stored on the row
    assert training.seats_left == 1
    assert [message.to for message in mail.outbox] == [[profile.user.email]]
    assert training.title in mail.outbox[0].subject
    # A link to the training's page, where the cadre can cancel or add it to a calendar.
    assert f"https://forkom.example.id/pelatihan/{training.pk}/" in mail.outbox[0].body
    event = TrainingEvent.objects.get(registration=registration)
    assert (event.kind, event.actor, event.after) == ("registered", profile.user, "registered")


def test_when_the_seats_are_taken_the_cadre_joins_the_waitlist_with_a_position(bontang):
    training = make_training(capacity=1)
    seated, first, second = (make_cadre(full_name=name) for name in ("Ani", "Budi", "Citra"))
    assert sign_up(seated, training).status == Status.REGISTERED
    waiting_first = sign_up(first, training)
    waiting_second = sign_up(second, training)
    assert (waiting_first.status, waiting_second.status) == (Status.WAITLISTED,) * 2
    assert selectors.waitlist_position(waiting_first) == 1
    assert selectors.waitlist_position(waiting_second) == 2
    training.refresh_from_db()
    assert training.seats_left == 0


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (timedelta(hours=1), timedelta(days=2), "Registration opens on"),
        (-timedelta(days=3), -timedelta(minutes=1), "Registration closed on"),
    ],
)
def test_a_sign_up_outside_the_registration_window_is_refused(bontang, opens, closes, message):
    now = timezone.now()
    training = make_training(
        registration_opens_at=now + opens, registration_closes_at=now + closes
    )
    profile = make_cadre()
    with pytest.raises(DomainError, match=message):
        sign_up(profile, training)
    assert not Registration.objects.exists()


def test_a_cadre_of_a_body_that_is_not_eligible_is_refused(bontang):
    training = make_training(eligible_bodies=["Karang Taruna", "LPM"])
    with pytest.raises(DomainError, match="for cadres of Karang Taruna, LPM"):
        sign_up(make_cadre(body="Posyandu"), training)
    assert sign_up(make_cadre(body="LPM"), training).status == Status.REGISTERED
    assert training.registrations.count() == 1


def test_a_cadre_who_is_not_verified_is_refused(bontang):
    training = make_training()
    waiting = make_cadre(verified=False)
    with pytest.raises(DomainError, match="Only verified cadres"):
        sign_up(waiting, training)
    assert not Registration.objects.exists()


def test_a_sign_up_reads_the_profile_as_stored_not_as_the_page_loaded_it(bontang):
    """The cadre stepped down (or was forgotten) after the page read her profile: the sign-up
    reads it again under its lock and is refused with the reason."""
    training = make_training()
    profile = make_cadre()
    cadre_services.deactivate_cadre(actor=profile.user, profile=profile)
    assert profile.status == CadreProfile.Status.VERIFIED  # as the page loaded it
    with pytest.raises(DomainError, match="no longer active"):
        sign_up(profile, training)
    assert not Registration.objects.exists()


@pytest.mark.parametrize("state", [State.DRAFT, State.CANCELLED, State.FINISHED])
def test_only_a_published_training_takes_sign_ups(bontang, state):
    training = make_training(state=state)
    with pytest.raises(DomainError, match="not open for sign-ups"):
        sign_up(make_cadre(), training)


def test_a_cadre_signs_up_once_per_training(bontang):
    training = make_training(capacity=1)
    profile = make_cadre()
    sign_up(profile, training)
    with pytest.raises(DomainError, match="already signed up"):
        sign_up(profile, training)
    assert training.registrations.count() == 1


def test_the_database_refuses_a_second_active_registration_of_the_same_cadre(bontang):
    training = make_training()
    profile = make_cadre()
    Registration.objects.create(training=training, profile=profile, status=Status.REGISTERED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(training=training, profile=profile, status=Status.WAITLISTED)
    # A cancelled one does not count: the cadre may come back.
    Registration.objects.filter(training=training).update(status=Status.CANCELLED)
    Registration.objects.create(training=training, profile=profile, status=Status.REGISTERED)


def test_a_cancelled_seat_goes_to_the_first_on_the_waitlist_who_is_emailed(
    bontang, django_capture_on_commit_callbacks
):
    training = make_training(capacity=1)
    seated, first, second = (make_cadre(full_name=name) for name in ("Ani", "Budi", "Citra"))
    registration = sign_up(seated, training)
    sign_up(first, training)
    sign_up(second, training)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel(actor=seated.user, registration=registration)
    assert statuses(training) == [
        ("Ani", Status.CANCELLED),
        ("Budi", Status.REGISTERED),
        ("Citra", Status.WAITLISTED),
    ]
    assert [message.to for message in mail.outbox] == [[first.user.email]]
    assert training.title in mail.outbox[0].subject
    waiting = Registration.objects.get(profile=second)
    assert selectors.waitlist_position(waiting) == 1
    kinds = list(training.events.values_list("kind", flat=True))
    assert kinds[-2:] == ["withdrawn", "promoted"]


def test_cancelling_a_place_on_the_waitlist_moves_those_behind_up_and_seats_nobody(bontang):
    training = make_training(capacity=1)
    seated, first, second = (make_cadre(full_name=name) for name in ("Ani", "Budi", "Citra"))
    sign_up(seated, training)
    waiting_first = sign_up(first, training)
    waiting_second = sign_up(second, training)
    services.cancel(actor=first.user, registration=waiting_first)
    waiting_second.refresh_from_db()
    assert selectors.waitlist_position(waiting_second) == 1
    training.refresh_from_db()
    assert training.seats_left == 0


def test_a_cadre_who_cancelled_may_sign_up_again_at_the_end_of_the_queue(bontang):
    training = make_training(capacity=1)
    seated, waiting = make_cadre(full_name="Ani"), make_cadre(full_name="Budi")
    registration = sign_up(seated, training)
    sign_up(waiting, training)
    services.cancel(actor=seated.user, registration=registration)
    again = sign_up(seated, training)
    assert again.status == Status.WAITLISTED
    assert selectors.waitlist_position(again) == 1
    assert statuses(training)[-1] == ("Ani", Status.WAITLISTED)


def test_a_sign_up_cannot_be_cancelled_once_the_training_has_started(bontang):
    training = make_training()
    profile = make_cadre()
    registration = sign_up(profile, training)
    with pytest.raises(DomainError, match="has started"):
        services.cancel(
            actor=profile.user,
            registration=registration,
            now=training.starts_at + timedelta(minutes=1),
        )
    registration.refresh_from_db()
    assert registration.status == Status.REGISTERED


def test_only_the_cadre_cancels_their_own_sign_up(bontang, staff):
    training = make_training()
    registration = sign_up(make_cadre(), training)
    with pytest.raises(DomainError, match="Only the cadre"):
        services.cancel(actor=staff, registration=registration)


def test_the_capacity_is_lowered_down_to_the_seats_taken_and_no_further(bontang, staff):
    training = make_training(capacity=5)
    for name in ("Ani", "Budi", "Citra"):
        sign_up(make_cadre(full_name=name), training)
    with pytest.raises(DomainError, match="3 cadres already hold a seat"):
        services.change_capacity(actor=staff, training=training, capacity=2)
    training.refresh_from_db()
    assert training.capacity == 5
    services.change_capacity(actor=staff, training=training, capacity=3)
    training.refresh_from_db()
    assert training.capacity == 3
    event = training.events.get(kind="capacity")
    assert (event.before, event.after, event.actor) == ("5", "3", staff)


def test_raising_the_capacity_seats_the_waitlist_in_arrival_order(
    bontang, staff, django_capture_on_commit_callbacks
):
    training = make_training(capacity=1)
    for name in ("Ani", "Budi", "Citra", "Dedi"):
        sign_up(make_cadre(full_name=name), training)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.change_capacity(actor=staff, training=training, capacity=3)
    assert [status for _, status in statuses(training)] == [
        Status.REGISTERED,
        Status.REGISTERED,
        Status.REGISTERED,
        Status.WAITLISTED,
    ]
    assert [name for name, _ in statuses(training)][:3] == ["Ani", "Budi", "Citra"]
    assert len(mail.outbox) == 2


def test_only_dinas_staff_of_the_area_change_the_capacity(other_kota, kecamatan_officer):
    training = make_training(capacity=2)
    samarinda_staff = make_persona(Role.DINAS_STAFF, "64.72")
    bontang_staff = make_persona(Role.DINAS_STAFF, "64.74")
    for outsider in (kecamatan_officer, samarinda_staff):
        with pytest.raises(DomainError, match="Only Dinas staff"):
            services.change_capacity(actor=outsider, training=training, capacity=4)
    services.change_capacity(actor=bontang_staff, training=training, capacity=4)
    training.refresh_from_db()
    assert training.capacity == 4


def test_a_draft_is_published_then_finished_once_it_has_started(bontang, staff):
    training = make_training(state=State.DRAFT)
    services.publish(actor=staff, training=training)
    with pytest.raises(DomainError, match="Only a draft"):
        services.publish(actor=staff, training=training)
    with pytest.raises(DomainError, match="has started can be finished"):
        services.finish(actor=staff, training=training)
    services.finish(actor=staff, training=training, now=training.starts_at + timedelta(hours=8))
    training.refresh_from_db()
    assert training.state == State.FINISHED
    assert list(training.events.values_list("kind", "before", "after")) == [
        ("published", "draft", "published"),
        ("finished", "published", "finished"),
    ]


def test_cancelling_a_training_emails_everyone_signed_up_but_not_those_who_left(
    bontang, staff, django_capture_on_commit_callbacks
):
    training = make_training(capacity=1)
    seated, waiting, gone = (make_cadre(full_name=name) for name in ("Ani", "Budi", "Citra"))
    sign_up(seated, training)
    sign_up(waiting, training)
    services.cancel(actor=gone.user, registration=sign_up(gone, training))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_training(actor=staff, training=training, note="Aula tidak tersedia")
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [seated.user.email, waiting.user.email]
    )
    training.refresh_from_db()
    assert training.state == State.CANCELLED
    with pytest.raises(DomainError):
        services.cancel_training(actor=staff, training=training)


def test_an_officer_of_the_venue_marks_attendance_in_bulk(bontang, kecamatan_officer):
    training = make_training(capacity=3)
    ani, _budi, citra, dedi = (
        sign_up(make_cadre(full_name=name), training) for name in ("Ani", "Budi", "Citra", "Dedi")
    )
    during = training.starts_at + timedelta(minutes=30)
    present = services.mark_attendance(
        actor=kecamatan_officer, training=training, attended=[ani, citra], now=during
    )
    assert present == 2
    assert dict(training.registrations.values_list("profile__full_name", "attended")) == {
        "Ani": True,
        "Budi": False,
        "Citra": True,
        "Dedi": False,
    }
    # Saving again replaces the marks: Citra was ticked by mistake.
    services.mark_attendance(
        actor=kecamatan_officer, training=training, attended=[ani.pk], now=during
    )
    assert list(training.registrations.filter(attended=True).values_list("pk", flat=True)) == [
        ani.pk
    ]
    with pytest.raises(DomainError, match="holding a seat"):
        services.mark_attendance(
            actor=kecamatan_officer, training=training, attended=[dedi], now=during
        )
    assert training.events.filter(kind="attendance").count() == 2


def test_attendance_waits_for_the_start_and_for_an_organiser(
    bontang, kelurahan_officer, kecamatan_officer
):
    training = make_training()
    registration = sign_up(make_cadre(), training)
    with pytest.raises(DomainError, match="once the training has started"):
        services.mark_attendance(
            actor=kecamatan_officer, training=training, attended=[registration]
        )
    with pytest.raises(DomainError, match="Only the organisers"):
        services.mark_attendance(
            actor=kelurahan_officer,
            training=training,
            attended=[registration],
            now=training.starts_at + timedelta(minutes=30),
        )
    assert not Registration.objects.filter(attended=True).exists()


def test_reminders_go_out_once_to_the_seated_cadres_of_trainings_starting_tomorrow(
    bontang, django_capture_on_commit_callbacks
):
    tomorrow = make_training(capacity=1, starts_in=timedelta(hours=20))
    next_week = make_training(capacity=1, starts_in=timedelta(days=7))
    seated, waiting, later = (make_cadre(full_name=name) for name in ("Ani", "Budi", "Citra"))
    sign_up(seated, tomorrow)
    sign_up(waiting, tomorrow)
    sign_up(later, next_week)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_training_reminders", stdout=io.StringIO())
        call_command("send_training_reminders", stdout=io.StringIO())
    assert [message.to for message in mail.outbox] == [[seated.user.email]]
    assert Registration.objects.get(profile=seated).reminder_sent_at is not None
    assert Registration.objects.filter(reminder_sent_at__isnull=False).count() == 1


def test_without_a_site_address_the_email_carries_no_half_link(
    bontang, django_capture_on_commit_callbacks, settings
):
    settings.FORKOM_SITE_URL = ""
    training = make_training(capacity=2)
    profile = make_cadre()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(profile, training)
    [message] = mail.outbox
    assert training.title in message.body
    assert f"/pelatihan/{training.pk}/" not in message.body
