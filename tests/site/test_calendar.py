"""forkom.calendar.event_ics: one event with the VTIMEZONE of the site's zone, derived once per
process (45 ms each time) and written exactly as icalendar's add_missing_timezones() does."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings
from icalendar import Calendar, Timezone

from forkom import calendar

EVENT = {
    "product": "Test",
    "uid": "training-1@forkom.test",
    "sequence": 0,
    "starts_at": datetime(2027, 1, 12, 1, 30, tzinfo=UTC),
    "ends_at": datetime(2027, 1, 12, 8, 0, tzinfo=UTC),
    "summary": "Pelatihan pemetaan swadaya",
    "location": "Aula Kelurahan Belimbing",
    "description": "Bawa KTP.",
    "url": "https://forkom.test/pelatihan/1/",
    "cancelled": False,
    "remind_before": timedelta(days=1),
    "reminder": "Besok",
}


@pytest.fixture
def fresh_cache():
    calendar._vtimezone.cache_clear()
    yield
    calendar._vtimezone.cache_clear()


def test_the_file_holds_the_zone_icalendar_would_add_before_the_event(fresh_cache):
    written = Calendar.from_ical(calendar.event_ics(**EVENT))
    by_icalendar = Calendar.from_ical(calendar.event_ics(**EVENT))
    by_icalendar.subcomponents = [c for c in by_icalendar.subcomponents if c.name != "VTIMEZONE"]
    by_icalendar.add_missing_timezones()

    assert [c.name for c in written.subcomponents] == ["VTIMEZONE", "VEVENT"]
    assert written.subcomponents[0].to_ical() == by_icalendar.subcomponents[0].to_ical()
    assert written.subcomponents[0]["TZID"] == settings.TIME_ZONE == "Asia/Makassar"
    assert written.walk("VEVENT")[0]["DTSTART"].params["TZID"] == settings.TIME_ZONE


def test_the_zone_is_derived_once_for_many_files(fresh_cache, monkeypatch):
    derived = []
    original = Timezone.from_tzid

    def counting(tzid, *args, **kwargs):
        derived.append(tzid)
        return original(tzid, *args, **kwargs)

    monkeypatch.setattr(calendar.Timezone, "from_tzid", counting)
    files = [calendar.event_ics(**EVENT) for _ in range(3)]

    assert derived == [settings.TIME_ZONE]
    assert files[0].count(b"BEGIN:VTIMEZONE") == 1
    # Each file has its own copy: writing one does not change the next.
    assert {file.split(b"BEGIN:VEVENT")[0] for file in files} == {
        files[0].split(b"BEGIN:VEVENT")[0]
    }


def test_a_zone_icalendar_does_not_know_is_left_out_as_it_would_be(fresh_cache, monkeypatch):
    def unknown(tzid, *args, **kwargs):
        raise ValueError(tzid)

    monkeypatch.setattr(calendar.Timezone, "from_tzid", unknown)
    written = Calendar.from_ical(calendar.event_ics(**EVENT))
    assert [c.name for c in written.subcomponents] == ["VEVENT"]
