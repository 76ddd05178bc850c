import io
import time

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cadres.models import CadreProfile
from cadres.nik import parse_nik
from devdata.management.commands.create_demo_trainings import PAST_TITLE, UPCOMING_TITLE
from trainings.models import Registration, Training, TrainingEvent


def run(**kwargs):
    out = io.StringIO()
    call_command("create_demo_trainings", stdout=out, **kwargs)
    return out.getvalue()


def test_the_demo_refuses_to_run_outside_development(bontang, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert not Training.objects.exists()


def test_the_demo_holds_the_first_training_with_41_attendees_and_one_to_come(bontang, settings):
    settings.DEBUG = True
    started = time.perf_counter()
    run()
    elapsed = time.perf_counter() - started
    print(f"\ncreate_demo_trainings: {elapsed:.2f} s")
    past = Training.objects.get(title=PAST_TITLE)
    assert past.state == Training.State.FINISHED
    assert past.venue == "Aula Kecamatan Bontang Barat"
    registrations = past.registrations.select_related("profile")
    assert registrations.count() == 41
    assert all(row.attended and row.status == "registered" for row in registrations)
    assert past.seats_taken == 41
    profiles = CadreProfile.objects.filter(training_registrations__training=past)
    assert len({profile.full_name for profile in profiles}) == 41
    assert {profile.status for profile in profiles} == {CadreProfile.Status.VERIFIED}
    assert {profile.kelurahan.parent_id for profile in profiles} == {"64.74.03"}
    assert set(profiles.values_list("memberships__body__name", flat=True)) == {
        "Karang Taruna",
        "LPM",
        "Posyandu",
        "Kader Pemberdayaan Masyarakat",
    }
    today = timezone.localdate()
    for profile in profiles:
        checked = parse_nik(profile.nik, today=today)
        assert checked.is_valid, (profile.nik, checked.errors)
        assert (checked.sex, checked.birth_date) == (profile.sex, profile.birth_date)
        assert not profile.user.has_usable_password()
    # The attendance note as the attendance service writes it, in the records' language.
    attendance = past.events.get(kind=TrainingEvent.Kind.ATTENDANCE)
    assert attendance.note == "41 dari 41 hadir"
    upcoming = Training.objects.get(title=UPCOMING_TITLE)
    assert upcoming.state == Training.State.PUBLISHED
    assert upcoming.registration_is_open()
    assert elapsed < 5


def test_running_the_demo_twice_adds_nothing(bontang, settings):
    settings.DEBUG = True
    run()
    counts = (Training.objects.count(), Registration.objects.count(), CadreProfile.objects.count())
    run()
    assert counts == (2, 41, 41)
    assert (
        Training.objects.count(),
        Registration.objects.count(),
        CadreProfile.objects.count(),
    ) == counts
