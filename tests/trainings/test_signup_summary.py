"""The sign-up summary of the dashboards (SignupSummary): kept by database triggers through
every writer, checked and repaired by check_signup_summary."""

import importlib
from datetime import date, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from cadres import services as cadre_services
from cadres.models import CadreProfile
from tests.accounts.test_admin import with_totp
from tests.cadres.factories import profile_details
from tests.concurrency import cancelled_the_first_time
from tests.trainings.factories import make_cadre, make_training
from trainings import selectors, services
from trainings.models import Registration, SignupSummary, Training

Status = Registration.Status
BELIMBING = "64.74.03.1001"
KUALA = "64.74.01.1001"
migration = importlib.import_module("trainings.migrations.0008_signup_summary")


def summary():
    """{(kelurahan, month): (sign-ups, seated at a finished training, attended)}, zeros left
    out: a row the triggers brought back to zero means the same as no row."""
    return {
        (row.kelurahan_id, row.month): (row.signups, row.seated_finished, row.attended_finished)
        for row in SignupSummary.objects.all()
        if (row.signups, row.seated_finished, row.attended_finished) != (0, 0, 0)
    }


def recount():
    return {
        (kelurahan, month): tuple(counts)
        for kelurahan, month, *counts in selectors.signup_recount()
    }


def this_month():
    return timezone.localdate().replace(day=1)


def sign_up(profile, training):
    return services.sign_up(actor=profile.user, training=training, profile=profile)


def test_every_writer_keeps_the_summary_equal_to_a_recount(bontang, staff, client):
    month = this_month()
    training = make_training(capacity=1, starts_in=timedelta(days=3))
    other = make_training(capacity=5)
    ani = make_cadre(full_name="Ani")
    budi = make_cadre(full_name="Budi")
    citra = make_cadre(full_name="Citra", kelurahan=KUALA)

    first = sign_up(ani, training)
    sign_up(budi, training)  # the waitlist
    sign_up(citra, training)
    sign_up(citra, other)
    assert summary() == recount() == {(BELIMBING, month): (2, 0, 0), (KUALA, month): (2, 0, 0)}

    services.cancel(actor=ani.user, registration=first)  # Budi takes the seat
    during = training.starts_at + timedelta(minutes=30)
    services.mark_attendance(
        actor=staff,
        training=training,
        attended=training.registrations.filter(status=Status.REGISTERED),
        now=during,
    )
    assert summary() == recount()
    services.finish(actor=staff, training=training, now=during)
    # Budi sat and came; Ani cancelled and Citra waits: sign-ups, but not seated.
    assert summary() == recount() == {(BELIMBING, month): (2, 1, 1), (KUALA, month): (2, 0, 0)}

    # Budi moves to Bontang Kuala: his sign-up and its attendance go with him.
    details = profile_details(KUALA, nik=budi.nik, full_name="Budi")
    cadre_services.update_profile(actor=budi.user, profile=budi, **details)
    assert CadreProfile.objects.get(pk=budi.pk).kelurahan_id == KUALA
    assert summary() == recount() == {(BELIMBING, month): (1, 0, 0), (KUALA, month): (3, 1, 1)}

    # Attendance unmarked on the finished training, and the training no longer finished.
    Registration.objects.filter(profile=budi).update(attended=False)
    assert summary() == recount() == {(BELIMBING, month): (1, 0, 0), (KUALA, month): (3, 1, 0)}
    Training.objects.filter(pk=training.pk).update(state=Training.State.PUBLISHED)
    assert summary() == recount() == {(BELIMBING, month): (1, 0, 0), (KUALA, month): (3, 0, 0)}

    # The admin's finish action, through the changelist, once the training has started.
    started = timezone.now() - timedelta(hours=2)
    Training.objects.filter(pk=training.pk).update(
        registration_opens_at=started - timedelta(days=2),
        registration_closes_at=started - timedelta(days=1),
        starts_at=started,
        ends_at=started + timedelta(hours=7),
    )
    client.force_login(with_totp(staff))
    changelist = reverse("admin:trainings_training_changelist")
    client.post(changelist, {"action": "finish", "_selected_action": [training.pk]})
    assert Training.objects.get(pk=training.pk).state == Training.State.FINISHED
    assert summary() == recount() == {(BELIMBING, month): (1, 0, 0), (KUALA, month): (3, 1, 0)}

    # Budi's seat moved to a training not finished yet, then rows deleted: the finished
    # training (Ani's and Citra's sign-ups with it), then a cadre.
    Registration.objects.filter(profile=budi, training=training).update(training=other)
    assert summary() == recount() == {(BELIMBING, month): (1, 0, 0), (KUALA, month): (3, 0, 0)}
    Training.objects.get(pk=training.pk).delete()
    assert summary() == recount() == {(KUALA, month): (2, 0, 0)}
    CadreProfile.objects.get(pk=citra.pk).delete()
    assert summary() == recount() == {(KUALA, month): (1, 0, 0)}
    assert selectors.signup_summary_mismatches() == []


def test_a_sign_up_counts_in_its_month_of_local_time(bontang):
    training = make_training(capacity=3)
    registration = sign_up(make_cadre(), training)
    # 16:30 UTC on 31 October is half past midnight on 1 November in Bontang (WITA).
    just_after = datetime(2026, 10, 31, 16, 30, tzinfo=timezone.UTC)
    Registration.objects.filter(pk=registration.pk).update(created_at=just_after)
    assert summary() == {(BELIMBING, date(2026, 11, 1)): (1, 0, 0)}
    just_before = just_after - timedelta(minutes=31)
    Registration.objects.filter(pk=registration.pk).update(created_at=just_before)
    assert summary() == recount() == {(BELIMBING, date(2026, 10, 1)): (1, 0, 0)}


def test_the_migration_counts_the_existing_sign_ups(bontang, staff):
    training = make_training(capacity=1)
    for name in ("Ani", "Budi"):
        sign_up(make_cadre(full_name=name), training)
    services.finish(actor=staff, training=training, now=training.starts_at + timedelta(hours=1))
    SignupSummary.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.fill_sql(connection.vendor))
    assert summary() == recount() == {(BELIMBING, this_month()): (2, 1, 0)}


def test_a_rebuild_replaces_the_summary_with_a_recount(bontang):
    sign_up(make_cadre(), make_training())
    SignupSummary.objects.update(signups=9)
    SignupSummary.objects.create(kelurahan_id=KUALA, month=date(2020, 1, 1), signups=4)
    services.rebuild_signup_summary()
    assert summary() == recount() == {(BELIMBING, this_month()): (1, 0, 0)}


def test_a_bulk_load_is_counted_once_at_its_end_and_the_triggers_count_on(bontang):
    training = make_training(capacity=5)
    with services.signup_summary_rebuilt_after_bulk_load():
        sign_up(make_cadre(full_name="Ani"), training)
        assert summary() == {}  # the triggers are off during the load
    assert summary() == {(BELIMBING, this_month()): (1, 0, 0)}
    sign_up(make_cadre(full_name="Budi"), training)
    assert summary() == recount() == {(BELIMBING, this_month()): (2, 0, 0)}


def test_a_failed_bulk_load_leaves_the_triggers_on(bontang):
    training = make_training(capacity=5)

    def failing_load():
        with transaction.atomic(), services.signup_summary_rebuilt_after_bulk_load():
            sign_up(make_cadre(full_name="Ani"), training)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        failing_load()
    sign_up(make_cadre(full_name="Budi"), training)
    assert summary() == recount() == {(BELIMBING, this_month()): (1, 0, 0)}


def test_the_check_finds_tampered_rows_and_fix_repairs_them(bontang, capsys):
    training = make_training(capacity=5)
    for name in ("Ani", "Budi"):
        sign_up(make_cadre(full_name=name), training)
    sign_up(make_cadre(kelurahan=KUALA), training)
    call_command("check_signup_summary")
    assert "matches" in capsys.readouterr().out
    month = this_month()
    SignupSummary.objects.filter(kelurahan_id=BELIMBING).update(signups=5, attended_finished=1)
    SignupSummary.objects.filter(kelurahan_id=KUALA).delete()
    SignupSummary.objects.create(kelurahan_id="64.74.02.1001", month=month, seated_finished=3)

    with pytest.raises(CommandError, match="3 summary row"):
        call_command("check_signup_summary")
    out = capsys.readouterr().out
    assert f"{BELIMBING} {month:%Y-%m}: summary 5/0/1, recount 2/0/0" in out
    assert f"{KUALA} {month:%Y-%m}: summary 0/0/0, recount 1/0/0" in out
    assert summary() != recount()  # only reported

    call_command("check_signup_summary", "--fix")
    assert "Summary rows fixed: 3." in capsys.readouterr().out
    assert summary() == recount()
    call_command("check_signup_summary")
    # The triggers count on from the repaired rows.
    sign_up(make_cadre(full_name="Citra"), training)
    assert summary() == recount() == {(BELIMBING, month): (3, 0, 0), (KUALA, month): (1, 0, 0)}


def test_a_fix_cancelled_for_a_deadlock_is_made_again(transactional_db, bontang, monkeypatch):
    """--fix writes summary rows that the triggers of concurrent sign-ups write too: one of
    two such transactions may be cancelled for a deadlock, and the fix is then made again."""
    monkeypatch.setattr("forkom.conflicts.BACKOFF_SECONDS", 0)
    sign_up(make_cadre(full_name="Ani"), make_training(capacity=5))
    SignupSummary.objects.update(signups=7)
    recount_rows = cancelled_the_first_time(selectors.signup_summary_mismatches)
    monkeypatch.setattr(selectors, "signup_summary_mismatches", recount_rows)
    call_command("check_signup_summary", "--fix")
    assert recount_rows.calls == [1, 2]
    assert summary() == recount()


def test_a_migration_that_builds_the_training_table_again_keeps_the_triggers_counting(
    transactional_db, bontang
):
    """trainings 0009 adds a column, which SQLite does by building the table again: its
    triggers are paused around it (forkom.triggers.TriggersPausedOnSQLite), both ways."""
    call_command("migrate", "trainings", "0008_signup_summary", verbosity=0)
    call_command("migrate", "trainings", verbosity=0)
    sign_up(make_cadre(), make_training())
    assert summary() == recount() == {(BELIMBING, this_month()): (1, 0, 0)}
