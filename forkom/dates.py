"""Dates and times written as Django's `date` filter writes them, in a fraction of its time.

`{{ value|date:"DATETIME_FORMAT" }}` took about 50 µs on this machine, once per row of a
list (a training's dates in the catalogue, each notification, each meeting): Django splits
the format with a lazily compiled regular expression on every call, builds a DateFormat
(which asks the time zone whether the time is ambiguous) and translates the month's name
again. `formatted` splits each format once, writes the numbers itself and keeps the names
(months, days) per language; any other format character is left to Django's DateFormat,
so the text is the same as the filter's. tests/site/test_dates.py compares the two for
every format character, every format the templates use, in both languages.
"""

import datetime
import html
from functools import lru_cache
from typing import Any

from django.utils import dateformat
from django.utils import timezone as django_timezone
from django.utils.formats import get_format
from django.utils.timesince import timesince
from django.utils.translation import get_language, gettext

# Format characters written here from the value's numbers: (date or datetime) -> str.
_NUMBERS = {
    "d": lambda value: f"{value.day:02d}",
    "j": lambda value: str(value.day),
    "m": lambda value: f"{value.month:02d}",
    "n": lambda value: str(value.month),
    "Y": lambda value: f"{value.year:04d}",
    "y": lambda value: f"{value.year % 100:02d}",
}
_TIME_NUMBERS = {
    "H": lambda value: f"{value.hour:02d}",
    "G": lambda value: str(value.hour),
    "i": lambda value: f"{value.minute:02d}",
    "s": lambda value: f"{value.second:02d}",
}
# Names that depend on the language only through the month or the weekday: worked out by
# Django once per language and month (or weekday), then kept.
_BY_MONTH = frozenset("bEFMN")
_BY_WEEKDAY = frozenset("Dl")


@lru_cache(maxsize=64)
def _pieces(format_string: str) -> tuple[tuple[str, bool], ...]:
    """The format split as Django splits it: (text, True) for a format character, (text,
    False) for text written as it is (its backslash escapes removed)."""
    pieces = []
    for index, piece in enumerate(dateformat.re_formatchars.split(format_string)):
        if index % 2:
            pieces.append((piece, True))
        elif piece:
            pieces.append((dateformat.re_escaped.sub(r"\1", piece), False))
    return tuple(pieces)


@lru_cache(maxsize=512)
def _name(language: str | None, character: str, number: int) -> str:
    """A month's (1 to 12) or weekday's (0 Monday to 6 Sunday) name in `language`, as Django's
    DateFormat writes it for `character`."""
    if character in _BY_MONTH:
        day = datetime.date(2001, number, 1)
    else:
        day = datetime.date(2001, 1, 1 + number)  # 1 January 2001 was a Monday
    return str(getattr(dateformat.DateFormat(day), character)())


def formatted(value: Any, format_name: str | None = None) -> str:
    """`value` (a date or datetime, already in local time) as `{{ value|date:format_name }}`
    writes it: a format setting's name (DATE_FORMAT by default) or a format string."""
    format_string = str(get_format(format_name or "DATE_FORMAT"))
    is_datetime = isinstance(value, datetime.datetime)
    language = get_language()
    parts = []
    django_format = None
    for text, is_character in _pieces(format_string):
        if not is_character:
            parts.append(text)
        elif text in _NUMBERS:
            parts.append(_NUMBERS[text](value))
        elif text in _TIME_NUMBERS and is_datetime:
            parts.append(_TIME_NUMBERS[text](value))
        elif text in _BY_MONTH:
            parts.append(_name(language, text, value.month))
        elif text in _BY_WEEKDAY:
            parts.append(_name(language, text, value.weekday()))
        else:  # the others, and a time's character for a date (Django's TypeError)
            if django_format is None:
                django_format = dateformat.DateFormat(value)
            parts.append(django_format.format(text))
    return "".join(parts)


def time_element(value: datetime.datetime, format_name: str) -> str:
    """`<time datetime="{{ value|isotime }}">{{ value|date:format_name }}</time>`, in local
    time and escaped as a template writes it: for the tags that write a list's rows."""
    # As the template converted it; missing from django-stubs.
    local = django_timezone.template_localtime(value)  # type: ignore[attr-defined]
    return (
        f'<time datetime="{html.escape(local.isoformat())}">'
        f"{html.escape(formatted(local, format_name))}</time>"
    )


def date_filter(value: Any, arg: str | None = None) -> str:
    """Django's `date` template filter (django.template.defaultfilters.date), through
    `formatted`: "" for an empty value and for what is not a date."""
    if value in (None, ""):
        return ""
    try:
        return formatted(value, arg)
    except AttributeError:
        try:
            return dateformat.format(value, str(arg))  # as Django formats None
        except AttributeError:
            return ""


def time_since(value: Any, now: Any = None) -> str:
    """Django's `timesince` ("4 days, 6 hours"), except that under a minute it says "less
    than a minute" where Django writes "0 minutes" (the home page of an officer read "menunggu
    0 menit" for a cadre who had just registered). Empty for no date, as Django's filter."""
    if not value:
        return ""
    try:
        text = timesince(value, now) if now else timesince(value)
    except (ValueError, TypeError, AttributeError):  # not a date: nothing, not an error
        return ""
    if isinstance(value, datetime.datetime):
        reference = now if isinstance(now, datetime.datetime) else django_timezone.now()
        try:
            if (reference - value).total_seconds() < 60:
                return gettext("less than a minute")
        except TypeError:  # one naive, one aware: Django's text
            pass
    return text
