"""A calendar entry (.ics) of one event, for trainings and meetings alike: in WITA with its
VTIMEZONE, as the site shows the times, the same UID every time (a new download replaces the
entry), and a reminder unless it is cancelled."""

from datetime import datetime, timedelta

from django.utils import timezone
from icalendar import Alarm, Calendar, Event


def event_ics(
    *,
    product: str,
    uid: str,
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
    calendar.add_missing_timezones()
    return calendar.to_ical()
