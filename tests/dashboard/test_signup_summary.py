"""The dashboard reads attendance and the sign-ups per month from the sign-up summary when it
has no period: the same figures as the live count over the sign-ups, for every viewer."""

from datetime import timedelta

import pytest
from django.utils import timezone

from dashboard import selectors
from dashboard.selectors import CODE_LENGTH, Period
from forkom.territory.models import Region
from tests.dashboard.conftest import cadre, seat, training
from trainings.models import Registration, SignupSummary, Training


@pytest.fixture
def more_sign_ups(world):
    """Sign-ups on both sides of a month's first midnight (WITA), and on a finished training
    a cadre has since left the kota of."""
    now = timezone.now()
    held = training("64.74.01", now - timedelta(days=60), Training.State.FINISHED)
    start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    previous = (start - timedelta(days=1)).replace(day=1)
    guntung = cadre("64.74.01.1004")
    seat(held, guntung, attended=True, at=start - timedelta(minutes=1))
    seat(held, cadre("64.74.01.1004"), at=start + timedelta(minutes=1))
    seat(held, cadre("64.74.03.1002"), status=Registration.Status.WAITLISTED, at=previous)
    leaving = cadre("64.74.03.1001")
    seat(held, leaving, attended=True, at=previous + timedelta(hours=3))
    leaving.kelurahan_id = "64.72.01.1001"
    leaving.save(update_fields=["kelurahan"])
    # The only cadre of Lok Tuan with a sign-up moves out: the summary keeps a row of zeros.
    lok_tuan = cadre("64.74.01.1003")
    seat(held, lok_tuan, at=previous)
    lok_tuan.kelurahan_id = "64.74.01.1002"
    lok_tuan.save(update_fields=["kelurahan"])
    return now


def both(user, code, now):
    area = Region.objects.get(code=code)
    length = CODE_LENGTH[Region.Level(area.level + 1)]
    summary = selectors._registrations(user, area, length, now, with_signups=True)
    live = selectors._registrations_live(user, area, length, now, with_signups=True)
    return summary, live


def test_the_summary_gives_the_live_figures_on_every_dashboard(world, more_sign_ups):
    now = more_sign_ups
    for user, code in [
        (world.coordinator, "64.74"),
        (world.staff, "64"),
        (world.coordinator, "64.74.01"),
        (world.coordinator, "64.74.03"),
    ]:
        summary, live = both(user, code, now)
        assert summary == live, code
        assert any(count for _month, count in summary[1]), code
    attendance, _series = both(world.coordinator, "64.74", now)[0]
    # The cadre who moved to Samarinda took their seat and attendance along.
    assert attendance["64.74.03"] == (4, 3)
    assert attendance["64.74.01"] == (5, 2)


def test_a_viewer_of_one_kecamatan_counts_only_its_sign_ups(world, more_sign_ups):
    officer = world.officers["64.74.03"]
    summary, live = both(officer, "64.74", more_sign_ups)
    assert summary == live
    assert set(summary[0]) == {"64.74.03"}


def test_with_a_period_the_dashboard_counts_the_sign_ups_themselves(world, more_sign_ups):
    SignupSummary.objects.update(signups=100, seated_finished=100)  # not read with a period
    today = timezone.localdate()
    period = Period(start=today - timedelta(days=90), end=today)
    area = Region.objects.get(code="64.74")
    board = selectors.dashboard(world.coordinator, area, with_signups=True, period=period)
    attendance, series = selectors._registrations_live(
        world.coordinator, area, 8, board.now, with_signups=True, period=period
    )
    assert board.signups == series
    assert {row.code: (row.registered, row.attended) for row in board.rows if row.registered} == (
        attendance
    )
    without = selectors.dashboard(world.coordinator, area, with_signups=True)
    assert without.total.registered >= 100  # the tampered summary: read without a period
