"""A calendar entry (.ics) of one event, for trainings and meetings alike: in WITA with its
VTIMEZONE, as the site shows the times, the same UID every time (a new download replaces the
entry), and a reminder unless it is cancelled.

`sequence` is the entry's version (RFC 5545 SEQUENCE): a calendar takes a file for an entry it
holds as a change only when the number is higher than the one it has, so the caller raises it
with every change the file shows (the time, the place, the cancellation)."""

from copy import deepcopy
from datetime import datetime, timedelta
from functools import cache

from django.utils import timezone
from icalendar import Alarm, Calendar, Event, Timezone


def event_ics(
    *,
    product: str,
    uid: str,
    sequence: int,
    starts_at: datetime,
    ends_at: datetime,
    summary: str,
    location: str,
    description: str,
    url: str,
    cancelled: bool,
    remind_before: timedelta,
    reminder: str,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", f"-//Forkom KPM//{product}//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("sequence", sequence)
    event.add("dtstart", timezone.localtime(starts_at))
    event.add("dtend", timezone.localtime(ends_at))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    if url:  # emails built without FORKOM_SITE_URL have no address to give
        event.add("url", url)
    if cancelled:
        event.add("status", "CANCELLED")
    else:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", reminder)
        alarm.add("trigger", -remind_before)
        event.add_component(alarm)
    calendar.add_component(event)
    # What calendar.add_missing_timezones() adds, without deriving it again for every file.
    for position, tzid in enumerate(sorted(calendar.get_missing_tzids())):
        if (vtimezone := _vtimezone(tzid)) is not None:
            calendar.subcomponents.insert(position, deepcopy(vtimezone))
    return calendar.to_ical()


@cache
def _vtimezone(tzid: str) -> Timezone | None:
    """The VTIMEZONE of `tzid`, derived once per process: icalendar asks the zone for its
    offset some 45,000 times to write WITA's 223 bytes, 45 ms of every calendar file (and of
    every invitation email a meeting of 480 members sends). None for a zone it does not know,
    which add_missing_timezones() leaves out too."""
    try:
        return Timezone.from_tzid(tzid)
    except ValueError:
        return None
