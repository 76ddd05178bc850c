"""A double tap on "Daftar" or "Batalkan" shows the first tap's result, not a refusal."""

import re

import pytest
from django.urls import reverse

from tests.concurrency import require_postgresql, run_at_once
from tests.trainings.factories import make_cadre, make_training
from trainings import services
from trainings.models import Registration, TrainingEvent

Status = Registration.Status
TOKEN = re.compile(r'name="token" value="([0-9a-f-]{36})"')


def form_token(client, training, action):
    page = client.get(training.get_absolute_url()).text
    form = page[page.index(f'action="{reverse(action, args=[training.pk])}"') :]
    return TOKEN.search(form).group(1)


def test_the_second_tap_on_daftar_shows_the_seat_the_first_took(client, bontang):
    training = make_training(capacity=5)
    profile = make_cadre()
    client.force_login(profile.user)
    token = form_token(client, training, "trainings:register")
    url = reverse("trainings:register", args=[training.pk])
    first = client.post(url, {"token": token}, follow=True)
    second = client.post(url, {"token": token}, follow=True)
    assert second.status_code == first.status_code == 200
    messages = [[str(m) for m in response.context["messages"]] for response in (first, second)]
    assert messages[0] == messages[1]
    assert "Anda sudah mendaftar" not in second.text
    assert Registration.objects.filter(profile=profile).count() == 1
    assert TrainingEvent.objects.filter(kind="registered").count() == 1
    # A fresh form (the page shown again) is a new sign-up attempt: refused, as before.
    fresh = form_token(client, training, "trainings:cancel")  # the page now offers cancel
    assert fresh != token


def test_the_second_tap_on_batalkan_shows_the_cancellation(client, bontang):
    training = make_training(capacity=5)
    profile = make_cadre()
    services.sign_up(actor=profile.user, training=training, profile=profile)
    client.force_login(profile.user)
    token = form_token(client, training, "trainings:cancel")
    url = reverse("trainings:cancel", args=[training.pk])
    first = client.post(url, {"token": token})
    second = client.post(url, {"token": token})
    assert first.status_code == second.status_code == 302
    assert TrainingEvent.objects.filter(kind="withdrawn").count() == 1


def test_somebody_elses_form_token_is_refused(client, bontang):
    training = make_training(capacity=5)
    first, second = make_cadre(full_name="Ani"), make_cadre(full_name="Budi")
    client.force_login(first.user)
    token = form_token(client, training, "trainings:register")
    client.post(reverse("trainings:register", args=[training.pk]), {"token": token})
    client.force_login(second.user)
    response = client.post(reverse("trainings:register", args=[training.pk]), {"token": token})
    assert response.status_code == 409
    assert not Registration.objects.filter(profile=second).exists()


@require_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_taps_at_the_same_moment_make_one_registration_and_two_successes(bontang):
    import uuid

    training = make_training(capacity=5)
    profile = make_cadre()
    token = uuid.uuid4()

    def tap():
        return services.sign_up(
            actor=profile.user, training=training, profile=profile, token=token
        ).pk

    results = run_at_once(tap, tap)
    assert len(results) == 2
    assert results[0] == results[1], results
    assert Registration.objects.count() == 1
