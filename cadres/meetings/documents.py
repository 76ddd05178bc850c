"""Files of a meeting: its calendar entry (.ics) and the A4 PDF of its agenda, daftar hadir
(with a signature column) and minutes."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from icalendar import Alarm, Calendar, Event

from cadres.models import Meeting
from forkom.pdf import latin1


def meeting_ics(meeting: Meeting, url: str) -> bytes:
    """The meeting as one calendar entry with a reminder two hours before; the same UID each
    time, so a new download replaces the entry."""
    calendar = Calendar()
    calendar.add("prodid", "-//Forkom KPM//Rapat//ID")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.public_id}@forkom-kpm")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at))
    event.add("dtend", timezone.localtime(meeting.ends_at))
    event.add("summary", meeting.title)
    event.add("location", meeting.place)
    agenda = "\n".join(f"{n}. {item}" for n, item in enumerate(meeting.agenda_items(), 1))
    event.add("description", f"{meeting.signed_as}\n\n{agenda}\n\n{url}".strip())
    if url:
        event.add("url", url)
    if meeting.state == Meeting.State.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", meeting.title)
        alarm.add("trigger", -timedelta(hours=2))
        event.add_component(alarm)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_pdf(meeting: Meeting) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(latin1(meeting.title))
    pdf.set_creator("Forkom KPM")
    pdf.set_margins(18, 18, 18)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    width = pdf.w - 36
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)

    def heading(text: str, size: int = 12) -> None:
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def body(text: str) -> None:
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(width, 5.5, latin1(text), new_x="LMARGIN", new_y="NEXT")

    body(_("Forkom KPM — Forum Komunikasi Kader Pemberdayaan Masyarakat"))
    heading(meeting.title, 15)
    body(meeting.signed_as)
    body(f"{date_format(start, 'DATE_FORMAT')}, {start:%H:%M}-{end:%H:%M} WITA · {meeting.place}")
    pdf.ln(3)
    heading(_("Agenda"))
    for number, item in enumerate(meeting.agenda_items(), 1):
        body(f"{number}. {item}")
    pdf.ln(3)
    heading(_("Attendance list (daftar hadir)"))
    columns = [(10, _("No.")), (62, _("Name")), (58, _("Position")), (44, _("Signature"))]
    pdf.set_font("Helvetica", "B", 9)
    for column_width, label in columns:
        pdf.cell(column_width, 7, latin1(label), border=1)
    pdf.ln()
    pdf.set_font("Helvetica", "", 9)
    for number, invitation in enumerate(meeting.invitations.all(), 1):
        row = [str(number), invitation.name, invitation.position, ""]
        for (column_width, _label), text in zip(columns, row, strict=True):
            pdf.cell(column_width, 9, latin1(text)[:40], border=1)
        pdf.ln()
    if meeting.minutes:
        pdf.ln(3)
        heading(_("Minutes (notulen)"))
        body(meeting.minutes)
    if meeting.decision_items():
        pdf.ln(2)
        heading(_("Decisions"))
        for number, item in enumerate(meeting.decision_items(), 1):
            body(f"{number}. {item}")
    follow_ups = list(meeting.follow_ups.select_related("responsible"))
    if follow_ups:
        pdf.ln(2)
        heading(_("Follow-ups"))
        for follow_up in follow_ups:
            due = date_format(follow_up.due_on, "DATE_FORMAT")
            body(f"- {follow_up.text} ({follow_up.responsible.name}, {due})")
    return bytes(pdf.output())
