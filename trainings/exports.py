"""Files made from a training: its calendar entry (.ics) and the participant lists (XLSX, CSV).

Participant exports carry the masked NIK only, and no phone, address or birth date: an
organiser needs to tell participants apart, not to hold their personal data.
"""

import itertools
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from forkom import spreadsheets
from forkom.calendar import event_ics
from trainings.models import Registration

Status = Registration.Status


# The calendar reminds the participant the day before, as the reminder email does.
REMINDER_BEFORE = timedelta(days=1)


def training_ics(training, url):
    """The training as a calendar entry (one VEVENT with a reminder alarm); the same UID
    each time and the version its services raise with each change the entry shows
    (trainings.services.CALENDAR_DETAILS, the cancellation), so that an updated file replaces
    the entry instead of adding one."""
    return event_ics(
        product="Pelatihan",
        uid=f"training-{training.pk}@forkom-kpm",
        sequence=training.calendar_sequence,
        starts_at=training.starts_at,
        ends_at=training.ends_at,
        summary=training.title,
        location=f"{training.venue}, {training.venue_kecamatan.name}",
        description=f"{training.organiser}\n\n{training.description}\n\n{url}".strip(),
        url=url,
        cancelled=training.state == training.State.CANCELLED,
        remind_before=REMINDER_BEFORE,
        reminder=_("Tomorrow: %(training)s") % {"training": training.title},
    )


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


def participant_rows(training, registrations, *, times_as_text=False):
    """One row per registration, numbered in the order given (trainings.selectors.as_listed);
    waitlist positions counted as they come. Attendance is given for a seat once the
    training has started (and was not cancelled): before, "no" would read as absent. The
    sign-up time is a date-time cell in a spreadsheet, "YYYY-MM-DD HH:MM" text in a CSV."""
    attendance_known = training.state != training.State.CANCELLED and training.has_started()
    position = 0
    for number, registration in enumerate(registrations, start=1):
        profile = registration.profile
        waiting = registration.status == Status.WAITLISTED
        if waiting:
            position += 1
        attended = ""
        if registration.status == Status.REGISTERED and attendance_known:
            attended = _("yes") if registration.attended else _("no")
        signed_up_at = timezone.localtime(registration.created_at).replace(
            tzinfo=None, second=0, microsecond=0
        )
        yield [
            number,
            profile.full_name,
            profile.masked_nik,
            registration.bodies,
            profile.kelurahan.name,
            profile.kelurahan.parent.name if profile.kelurahan.parent else "",
            registration.get_status_display(),
            position if waiting else "",
            attended,
            f"{signed_up_at:%Y-%m-%d %H:%M}" if times_as_text else signed_up_at,
        ]


def participants_response(training, registrations, format, filename_stem):
    """The participant list as CSV, or as XLSX under the training's title."""
    header = participant_header()
    if format == "csv":
        return spreadsheets.csv_response(
            itertools.chain(
                [header], participant_rows(training, registrations, times_as_text=True)
            ),
            f"{filename_stem}.csv",
        )
    return spreadsheets.xlsx_response(
        itertools.chain([[training.title], [], header], participant_rows(training, registrations)),
        f"{filename_stem}.xlsx",
        sheet_name=_("Participants"),
        widths=(5, 30, 20, 30, 20, 20, 16, 10, 10, 18),
        bold_rows=(0, 2),
        freeze="A4",
    )
