"""The site's `date` filter (forkom.dates) writes what Django's writes, for every format
character, every format the templates use, in both languages."""

import datetime
import re
import zoneinfo
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.template import defaultfilters as django_filters
from django.utils import timezone, translation
from django.utils.formats import FORMAT_SETTINGS
from django.utils.timesince import timesince

from forkom.dates import date_filter, time_since

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
CHARACTERS = "aAbcdDeEfFgGhHiIjlLmMnNoOPrsStTUuwWyYzZ"
FORMAT_ARGUMENT = re.compile(r"""\|date:(["'])(.*?)\1""")


def _templates_formats():
    found = set()
    for template in (Path(settings.BASE_DIR) / "templates").rglob("*.*"):
        found.update(
            match.group(2)
            for match in FORMAT_ARGUMENT.finditer(template.read_text(encoding="utf-8"))
        )
    return found


FORMATS = sorted(
    {
        *CHARACTERS,
        *(name for name in FORMAT_SETTINGS if name.endswith("_FORMAT")),
        *_templates_formats(),
        "l, j F Y",
        r"\j\a\m H:i, \t\a\n\g\g\a\l j",  # escaped characters are written as they are
        "jS F Y, P",
        "",
    }
)
DATETIMES = [
    datetime.datetime(2026, 12, 4, 17, 30, 5, 123456, tzinfo=WITA),
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=WITA),  # a Friday, one digit day and hour
    datetime.datetime(2026, 7, 28, 12, 0, tzinfo=WITA),  # noon
    datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=WITA),  # a leap day, the year's end
    datetime.datetime(999, 3, 9, 9, 9, tzinfo=WITA),  # a year of three digits
    datetime.datetime(2026, 12, 4, 9, 0),  # noqa: DTZ001 (naive, on purpose)
]
DATES = [datetime.date(2026, 12, 6), datetime.date(2026, 5, 31), datetime.date(1, 1, 1)]
NOT_DATES = [None, "", "bukan tanggal", 12, datetime.time(14, 30)]


def both(value, format_name):
    """(Django's text or exception, ours), in the same way."""
    results = []
    for write in (django_filters.date, date_filter):
        try:
            results.append(write(value, format_name))
        except (TypeError, ValueError) as error:  # a time's character for a date; year 1
            results.append(f"{type(error).__name__}: {error}")
    return results


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("format_name", FORMATS)
def test_dates_and_times_are_written_as_django_writes_them(language, format_name):
    with translation.override(language), timezone.override(WITA):
        for value in [*DATETIMES, *DATES, *NOT_DATES]:
            django, ours = both(value, format_name)
            assert ours == django, (value, format_name)


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_month_and_weekday_is_named_in_the_language(language):
    """The names are kept per language: each month and weekday once in each."""
    with translation.override(language):
        for month in range(1, 13):
            for day in (1, 2, 3, 4, 5, 6, 7):
                value = datetime.date(2026, month, day)
                for format_name in ("l, j F Y", "D M b N E"):
                    django, ours = both(value, format_name)
                    assert ours == django, (value, format_name)


def test_a_time_character_for_a_date_is_refused_as_django_refuses_it():
    django, ours = both(datetime.date(2026, 12, 6), "H:i")
    assert ours == django
    assert ours.startswith("TypeError")


def test_the_templates_date_filter_is_ours():
    """Every template gets it as a builtin, the admin's too, without loading it."""
    template = Template("{{ value|date:'DATETIME_FORMAT' }}")
    [(function, _arguments)] = template.nodelist[0].filter_expression.filters
    assert function is date_filter
    value = datetime.datetime(2026, 12, 4, 9, 30, tzinfo=datetime.UTC)
    with translation.override("id"), timezone.override(WITA):
        # An aware time is written in the active time zone, as Django's filter does.
        assert template.render(Context({"value": value})) == "4 Desember 2026, 17.30"


def test_time_since_is_djangos_except_under_a_minute():
    """Django writes "0 minutes" for what just happened: an officer's home read "menunggu 0
    menit" for a cadre who had just registered (found by a walk through the demo site)."""
    now = timezone.now()
    with translation.override("en"):
        assert time_since(now - datetime.timedelta(seconds=10), now) == "less than a minute"
        assert time_since(now, now) == "less than a minute"
        for ago in (datetime.timedelta(minutes=5), datetime.timedelta(days=3, hours=2)):
            assert time_since(now - ago, now) == timesince(now - ago, now)
        assert time_since(None, now) == ""
        assert time_since("not a date", now) == ""
        page = Template("{{ since|timesince:now }}")
        context = Context({"since": now - datetime.timedelta(seconds=5), "now": now})
        assert page.render(context) == "less than a minute"
    with translation.override("id"):
        assert time_since(now - datetime.timedelta(seconds=10), now) == "kurang dari semenit"
