"""Files made from a training: its calendar entry (.ics) and the participant lists (XLSX, CSV).

Participant exports carry the masked NIK only, and no phone, address or birth date: an
organiser needs to tell participants apart, not to hold their personal data.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event
from openpyxl import Workbook
from openpyxl.styles import Font

from trainings.models import Registration

Status = Registration.Status


def training_ics(training, url):
    calendar = Calendar()
    calendar.add("prodid", "-//Forkom KPM//Pelatihan//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"training-{training.pk}@forkom-kpm")
    event.add("dtstamp", timezone.now())
    # In WITA with its VTIMEZONE, as the site shows the times.
    event.add("dtstart", timezone.localtime(training.starts_at))
    event.add("dtend", timezone.localtime(training.ends_at))
    event.add("summary", training.title)
    event.add("location", f"{training.venue}, {training.venue_kecamatan.name}")
    event.add("description", f"{training.organiser}\n\n{training.description}\n\n{url}".strip())
    event.add("url", url)
    if training.state == training.State.CANCELLED:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def participant_header():
    return [
        _("No."),
        _("Name"),
        _("NIK"),
        _("Body"),
        _("Kelurahan"),
        _("Kecamatan"),
        _("Status"),
        _("Waitlist position"),
        _("Attended"),
        _("Signed up at (WITA)"),
    ]


def participant_rows(registrations):
    """One row per registration in arrival order; waitlist positions counted as they come."""
    position = 0
    for number, registration in enumerate(registrations, start=1):
        profile = registration.profile
        if registration.status == Status.WAITLISTED:
            position += 1
        yield [
            number,
            profile.full_name,
            profile.masked_nik,
            bodies_of(profile),
            profile.kelurahan.name,
            profile.kelurahan.parent.name if profile.kelurahan.parent else "",
            registration.get_status_display(),
            position if registration.status == Status.WAITLISTED else "",
            _("yes") if registration.attended else _("no"),
            timezone.localtime(registration.created_at).strftime("%Y-%m-%d %H:%M"),
        ]


def bodies_of(profile):
    """The bodies from prefetched memberships, without another query."""
    return ", ".join(membership.body.name for membership in profile.memberships.all())


def participants_csv(registrations):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(participant_header())
    for row in participant_rows(registrations):
        writer.writerow([_neutralise(cell) for cell in row])
    # A byte-order mark, so that spreadsheet programs read the file as UTF-8.
    return "\ufeff" + buffer.getvalue()


def participants_xlsx(training, registrations):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Participants")[:31]
    sheet.append([_neutralise(training.title)])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    sheet.append(participant_header())
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in participant_rows(registrations):
        sheet.append([_neutralise(cell) for cell in row])
    for column, width in zip("ABCDEFGHIJ", (5, 30, 20, 30, 20, 20, 16, 10, 10, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _neutralise(value):
    """A text cell starting with = + - @ is read as a formula by spreadsheets: quote it."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value
