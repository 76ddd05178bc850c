"""The seat counter (Training.seats_taken) that the catalogue reads instead of counting every
sign-up: kept by the services under the training's row lock, checked by check_training_seats."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.accounts.test_admin import with_totp
from tests.trainings.factories import admin_form_fields, make_cadre, make_training
from trainings import services
from trainings.models import Registration, Training

Status = Registration.Status


def sign_up(profile, training):
    return services.sign_up(actor=profile.user, training=training, profile=profile)


def seats_taken(training):
    """The stored counter, and what a recount of the seated sign-ups says."""
    training.refresh_from_db()
    counted = training.registrations.filter(status=Status.REGISTERED).count()
    return training.seats_taken, counted


def cadres(*names):
    return [make_cadre(full_name=name) for name in names]


def test_a_seat_counts_and_a_place_on_the_waitlist_does_not(bontang):
    training = make_training(capacity=1)
    ani, budi = cadres("Ani", "Budi")
    assert seats_taken(training) == (0, 0)
    sign_up(ani, training)
    assert seats_taken(training) == (1, 1)
    assert sign_up(budi, training).status == Status.WAITLISTED
    assert seats_taken(training) == (1, 1)
    assert training.seats_left == 0


def test_cancelling_a_seat_frees_it_and_cancelling_a_waitlist_place_changes_nothing(bontang):
    training = make_training(capacity=2)
    ani, budi = cadres("Ani", "Budi")
    seat = sign_up(ani, training)
    sign_up(budi, training)
    assert seats_taken(training) == (2, 2)
    services.cancel(actor=ani.user, registration=seat)
    assert seats_taken(training) == (1, 1)


def test_a_seat_freed_with_people_waiting_goes_to_the_first_and_stays_taken(bontang):
    training = make_training(capacity=1)
    ani, budi, citra = cadres("Ani", "Budi", "Citra")
    seat = sign_up(ani, training)
    first = sign_up(budi, training)
    sign_up(citra, training)
    services.cancel(actor=ani.user, registration=seat)
    first.refresh_from_db()
    assert first.status == Status.REGISTERED
    assert seats_taken(training) == (1, 1)
    # Leaving the waitlist leaves the seats as they are.
    services.cancel(actor=citra.user, registration=Registration.objects.get(profile=citra))
    assert seats_taken(training) == (1, 1)


def test_raising_the_capacity_seats_the_waitlist_and_counts_them(bontang, staff):
    training = make_training(capacity=1)
    for profile in cadres("Ani", "Budi", "Citra", "Dedi"):
        sign_up(profile, training)
    assert seats_taken(training) == (1, 1)
    services.change_capacity(actor=staff, training=training, capacity=3)
    assert seats_taken(training) == (3, 3)
    services.change_capacity(actor=staff, training=training, capacity=10)
    assert seats_taken(training) == (4, 4)
    services.change_capacity(actor=staff, training=training, capacity=4)
    assert seats_taken(training) == (4, 4)
    training.refresh_from_db()
    assert training.seats_left == 0


def test_a_seat_given_up_in_a_cancelled_training_is_free_again(bontang, staff):
    training = make_training(capacity=2)
    ani, budi = cadres("Ani", "Budi")
    seat = sign_up(ani, training)
    sign_up(budi, training)
    services.cancel_training(actor=staff, training=training, note="Narasumber berhalangan.")
    services.cancel(actor=ani.user, registration=seat)
    assert seats_taken(training) == (1, 1)


def test_changes_in_the_admin_leave_the_counter_as_the_sign_ups_say(client, staff):
    training = make_training(capacity=5, title="Pelatihan Lama")
    for profile in cadres("Ani", "Budi"):
        sign_up(profile, training)
    client.force_login(with_totp(staff))
    change = reverse("admin:trainings_training_change", args=[training.pk])
    form = client.get(change).context["adminform"].form
    data = admin_form_fields(form, training)
    data.update(
        {
            "title": "Pelatihan Baru",
            "venue_kecamatan": "64.74.02",
            "seats_taken": "99",  # not a field of the form: ignored
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        }
    )
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    training.refresh_from_db()
    assert (training.title, training.venue_kecamatan_id) == ("Pelatihan Baru", "64.74.02")
    assert seats_taken(training) == (2, 2)
    changelist = reverse("admin:trainings_training_changelist")
    client.post(changelist, {"action": "cancel", "_selected_action": [training.pk]})
    training.refresh_from_db()
    assert training.state == Training.State.CANCELLED
    assert seats_taken(training) == (2, 2)


def test_the_migration_counts_the_seats_of_existing_trainings(bontang):
    full = make_training(capacity=1)
    empty = make_training()
    for profile in cadres("Ani", "Budi"):
        sign_up(profile, full)
    Training.objects.update(seats_taken=7)
    migration = importlib.import_module("trainings.migrations.0007_fill_seats_taken")
    migration.count_seats(apps, None)
    assert seats_taken(full) == (1, 1)
    assert seats_taken(empty) == (0, 0)


def test_the_check_finds_a_planted_mismatch_and_fix_repairs_it(bontang, capsys):
    training = make_training(capacity=3, title="Salah hitung")
    untouched = make_training(capacity=3)
    for profile in cadres("Ani", "Budi"):
        sign_up(profile, training)
        sign_up(profile, untouched)
    call_command("check_training_seats")
    assert "matches" in capsys.readouterr().out
    Training.objects.filter(pk=training.pk).update(seats_taken=0)

    with pytest.raises(CommandError, match="1 training"):
        call_command("check_training_seats")
    assert f"Training {training.pk} (Salah hitung): counter 0, seats taken 2" in (
        capsys.readouterr().out
    )
    assert seats_taken(training) == (0, 2)  # only reported

    call_command("check_training_seats", "--fix")
    assert "Seat counters fixed: 1." in capsys.readouterr().out
    assert seats_taken(training) == (2, 2)
    assert seats_taken(untouched) == (2, 2)
    call_command("check_training_seats")


def test_a_fixed_counter_lets_the_next_sign_up_count_on(bontang):
    training = make_training(capacity=3, starts_in=timedelta(days=3))
    ani, budi = cadres("Ani", "Budi")
    sign_up(ani, training)
    Training.objects.filter(pk=training.pk).update(seats_taken=0)
    # A sign-up stores the count it took under the lock, so a drifted counter heals too.
    sign_up(budi, training)
    assert seats_taken(training) == (2, 2)
