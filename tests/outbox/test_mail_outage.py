"""A mail server that refuses or hangs: every saved action answers success, at once, and
every message is delivered once the server is back — once (issue 13)."""

import io
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from forkom.outbox.models import OutgoingEmail
from forkom.outbox.services import enqueue_due, is_transient, pause_after
from tests.trainings.factories import make_cadre, make_training
from trainings import services
from trainings.models import Registration

Status = OutgoingEmail.Status


def delivered_before():
    """What the setting-up sent (verification decisions) is out of the way."""
    OutgoingEmail.objects.update(status=Status.SENT)
    DBTaskResult.objects.all().delete()


def make_due():
    """The pause before the next attempt is over (instead of waiting for it)."""
    now = timezone.now()
    OutgoingEmail.objects.filter(status=Status.PENDING).update(next_attempt_at=now)
    DBTaskResult.objects.filter(status="READY").update(run_after=now)


@pytest.mark.usefixtures("without_collector_pauses")
def test_sign_ups_while_the_mail_server_refuses_succeed_and_are_told_once_it_is_back(
    client, bontang, smtp, task_queue
):
    training = make_training(capacity=2)
    cadres = [make_cadre(full_name=f"Peserta {n}") for n in range(5)]
    delivered_before()
    smtp.mode = "refuse"
    for profile in cadres:
        client.force_login(profile.user)
        started = time.monotonic()
        response = client.post(reverse("trainings:register", args=[training.pk]))
        assert response.status_code == 302  # saved, and answered as such
        assert time.monotonic() - started < 1
    assert Registration.objects.count() == 5
    task_queue()  # the worker tries while the server refuses
    assert smtp.received == []
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {(Status.PENDING, 1)}
    assert all(row.last_error for row in OutgoingEmail.objects.all())

    smtp.mode = "accept"
    make_due()
    task_queue()
    assert sorted(smtp.recipients()) == sorted(profile.user.email for profile in cadres)
    assert smtp.received[0]["Subject"].startswith("[Forkom KPM]")
    # Nothing more on later runs: each message was delivered once.
    make_due()
    enqueue_due()
    task_queue()
    assert len(smtp.received) == 5
    assert set(OutgoingEmail.objects.values_list("status", flat=True)) == {Status.SENT}


@pytest.mark.usefixtures("without_collector_pauses")
def test_a_hanging_mail_server_holds_the_worker_briefly_and_never_a_request(
    client, bontang, smtp, task_queue
):
    training = make_training(capacity=5)
    profile = make_cadre()
    delivered_before()
    smtp.mode = "hang"
    client.force_login(profile.user)
    started = time.monotonic()
    response = client.post(reverse("trainings:register", args=[training.pk]))
    assert response.status_code == 302
    assert time.monotonic() - started < 1
    started = time.monotonic()
    task_queue()
    assert time.monotonic() - started < 5  # the SMTP timeout (1 s in the test), not 40 s
    row = OutgoingEmail.objects.get(status=Status.PENDING)
    assert row.attempts == 1
    smtp.hung.set()
    smtp.mode = "accept"
    make_due()
    task_queue()
    assert smtp.recipients() == [profile.user.email]


@pytest.mark.usefixtures("without_collector_pauses")
def test_cancelling_a_big_training_tells_everyone_from_the_worker_once(
    bontang, staff, smtp, task_queue
):
    training = make_training(capacity=3)
    cadres = [make_cadre(full_name=f"Peserta {n}") for n in range(6)]
    for profile in cadres:
        services.sign_up(actor=profile.user, training=training, profile=profile)
    task_queue()
    smtp.received.clear()
    smtp.mode = "refuse"
    started = time.monotonic()
    services.cancel_training(actor=staff, training=training)
    assert time.monotonic() - started < 1
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # one fan-out task
    task_queue()
    assert OutgoingEmail.objects.filter(status=Status.PENDING).count() == 6
    smtp.mode = "accept"
    make_due()
    task_queue()
    assert sorted(smtp.recipients()) == sorted(profile.user.email for profile in cadres)


def test_reminders_during_an_outage_reach_everyone_once_after_it(bontang, smtp, task_queue):
    training = make_training(capacity=3, starts_in=timedelta(hours=20))
    cadres = [make_cadre(full_name=name) for name in ("Ani", "Budi", "Citra")]
    for profile in cadres:
        services.sign_up(actor=profile.user, training=training, profile=profile)
    task_queue()
    smtp.received.clear()
    smtp.mode = "refuse"
    for _run in range(2):  # two runs during the outage
        call_command("send_training_reminders", stdout=io.StringIO())
        task_queue()
    smtp.mode = "accept"
    call_command("send_training_reminders", stdout=io.StringIO())  # and one after
    make_due()
    task_queue()
    assert sorted(smtp.recipients()) == sorted(profile.user.email for profile in cadres)


def test_a_refusal_for_good_is_not_retried_and_staff_see_it():
    import smtplib

    assert is_transient(smtplib.SMTPServerDisconnected("gone"))
    assert is_transient(ConnectionRefusedError())
    assert is_transient(smtplib.SMTPResponseException(421, b"busy"))
    assert not is_transient(smtplib.SMTPResponseException(550, b"no such user"))
    assert not is_transient(smtplib.SMTPRecipientsRefused({"a@x.id": (550, b"unknown")}))


def test_a_refused_email_waits_the_first_pause_then_twice_as_long_each_time_up_to_four_hours(
    settings,
):
    settings.EMAIL_FIRST_RETRY_SECONDS = 30
    assert [pause_after(n).total_seconds() for n in (1, 2, 3, 10, 11)] == [
        30, 60, 120, 14_400, 14_400
    ]  # fmt: skip
    settings.EMAIL_FIRST_RETRY_SECONDS = 2  # what the mail benchmark's test runs with
    assert [pause_after(n).total_seconds() for n in (1, 2, 3)] == [2, 4, 8]
