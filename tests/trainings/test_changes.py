"""Changing a training's details leaves an event each, and tells those signed up when the
date, time or place moves."""

from datetime import timedelta

import pytest
from django.core import mail

from forkom.errors import DomainError
from tests.trainings.factories import make_cadre, make_training
from trainings import services
from trainings.models import TrainingEvent


@pytest.fixture
def signed_up(staff):
    training = make_training(capacity=1)
    seated = make_cadre(user=None)
    waiting = make_cadre()
    for profile in (seated, waiting):
        services.sign_up(actor=profile.user, training=training, profile=profile)
    mail.outbox.clear()
    return training


def test_a_new_date_is_recorded_with_before_and_after_and_everyone_signed_up_is_told(
    signed_up, staff, django_capture_on_commit_callbacks
):
    later = {
        "starts_at": signed_up.starts_at + timedelta(days=2),
        "ends_at": signed_up.ends_at + timedelta(days=2),
    }
    with django_capture_on_commit_callbacks(execute=True):
        services.change_training(actor=staff, training=signed_up, values=later)
    event = TrainingEvent.objects.filter(training=signed_up, kind="changed").first()
    assert event.before != event.after
    assert event.before.endswith("WITA")
    assert event.actor == staff
    assert len(mail.outbox) == 2  # the seated cadre and the one on the waitlist
    assert all(signed_up.title in message.subject for message in mail.outbox)


def test_a_new_description_is_recorded_and_tells_nobody(
    signed_up, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.change_training(
            actor=staff, training=signed_up, values={"description": "Materi baru."}
        )
    event = TrainingEvent.objects.get(training=signed_up, kind="changed")
    assert (event.before, event.after) == ("", "")
    assert mail.outbox == []


def test_nothing_changed_records_nothing(signed_up, staff):
    services.change_training(actor=staff, training=signed_up, values={"venue": signed_up.venue})
    assert not TrainingEvent.objects.filter(training=signed_up, kind="changed").exists()


def test_a_start_after_the_end_is_refused_with_the_constraints_message(signed_up, staff):
    late = {"starts_at": signed_up.ends_at + timedelta(hours=1)}
    with pytest.raises(DomainError):
        services.change_training(actor=staff, training=signed_up, values=late)
    assert not TrainingEvent.objects.filter(training=signed_up, kind="changed").exists()


def test_an_officer_may_not_change_a_training(signed_up, kelurahan_officer):
    with pytest.raises(DomainError):
        services.change_training(
            actor=kelurahan_officer, training=signed_up, values={"venue": "Lapangan"}
        )
    signed_up.refresh_from_db()
    assert signed_up.venue != "Lapangan"
