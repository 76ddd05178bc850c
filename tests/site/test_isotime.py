"""The isotime filter writes what `|date:'c'` writes, for every kind of value a template
gives it, in the active time zone."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone

UTC = datetime.UTC
VALUES = [
    datetime.datetime(2026, 12, 4, 17, 30, 5, 123456, tzinfo=UTC),
    datetime.datetime(2026, 12, 31, 23, 59, tzinfo=UTC),  # another day in WITA
    datetime.datetime(2026, 7, 1, 8, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta")),
    datetime.datetime(2026, 12, 4, 9, 0),  # noqa: DTZ001 (a naive one, on purpose)
    datetime.date(2026, 12, 4),
    None,
    "",
    "bukan tanggal",
    12,
]


@pytest.mark.parametrize("zone", ["Asia/Makassar", "UTC", "Asia/Jayapura"])
@pytest.mark.parametrize("value", VALUES)
def test_isotime_writes_what_the_date_filter_writes(value, zone):
    ours = Template("{% load forkom %}{{ value|isotime }}")
    django = Template("{{ value|date:'c' }}")
    with timezone.override(zone):
        expected = django.render(Context({"value": value}))
        assert ours.render(Context({"value": value})) == expected


def test_an_aware_time_is_written_in_the_active_zone():
    value = datetime.datetime(2026, 12, 4, 17, 30, tzinfo=UTC)
    with timezone.override("Asia/Makassar"):
        rendered = Template("{% load forkom %}{{ value|isotime }}").render(
            Context({"value": value})
        )
    assert rendered == "2026-12-05T01:30:00+08:00"
