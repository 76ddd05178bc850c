"""A forum's public page names its last meeting held (cadres.meetings.selectors.
last_meeting, read through a kept statement): the latest by its start among those held or
with minutes published, of that forum only, as stored now."""

from datetime import UTC, datetime, timedelta

from cadres.meetings.selectors import last_meeting
from cadres.models import Meeting

State = Meeting.State
START = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def meeting(code, title, days, state):
    starts = START + timedelta(days=days)
    return Meeting.objects.create(
        region_id=code,
        title=title,
        agenda="Satu",
        place="Aula",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        signed_as="Ketua",
        state=state,
    )


def test_the_last_meeting_held_of_the_forum_is_named(bontang):
    assert last_meeting("64.74.03") is None
    meeting("64.74.03", "Rapat pertama", 0, State.PUBLISHED)
    meeting("64.74.03", "Rapat kedua", 10, State.HELD)
    meeting("64.74.03", "Rapat batal", 20, State.CANCELLED)
    meeting("64.74.03", "Rapat nanti", 30, State.SCHEDULED)
    meeting("64.74.02", "Rapat kecamatan lain", 40, State.PUBLISHED)
    meeting("64.74.03.1001", "Rapat kelurahan", 50, State.PUBLISHED)

    found = last_meeting("64.74.03")
    assert (found.title, found.starts_at) == ("Rapat kedua", START + timedelta(days=10))
    assert last_meeting("64.74.03.1001").title == "Rapat kelurahan"
    assert last_meeting("64.74.01") is None

    # Read afresh: the minutes of the cancelled one published after all.
    Meeting.objects.filter(title="Rapat batal").update(state=State.PUBLISHED)
    assert last_meeting("64.74.03").title == "Rapat batal"
