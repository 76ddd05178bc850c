"""Files of a meeting: its calendar entry (.ics) and the A4 PDF of its agenda, daftar hadir
(with a signature column) and minutes."""

from datetime import timedelta

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from cadres.meetings.selectors import in_language
from cadres.models import Meeting
from forkom.calendar import event_ics
from forkom.pdf import latin1, write_line


def meeting_ics(meeting: Meeting, url: str) -> bytes:
    """The meeting as one calendar entry with a reminder two hours before; the same UID each
    time, so a new download replaces the entry."""
    agenda = "\n".join(f"{n}. {item}" for n, item in enumerate(meeting.agenda_items(), 1))
    return event_ics(
        product="Rapat",
        uid=f"meeting-{meeting.public_id}@forkom-kpm",
        # A meeting is never moved once called: its one change can be the cancellation.
        sequence=1 if meeting.state == Meeting.State.CANCELLED else 0,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=meeting.title,
        location=meeting.place,
        description=f"{in_language(meeting.signed_as)}\n\n{agenda}\n\n{url}".strip(),
        url=url,
        cancelled=meeting.state == Meeting.State.CANCELLED,
        remind_before=timedelta(hours=2),
        reminder=meeting.title,
    )


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
        write_line(pdf, width, 7, latin1(text))

    def body(text: str) -> None:
        pdf.set_font("Helvetica", "", 10)
        write_line(pdf, width, 5.5, latin1(text))

    body(_("Forkom KPM — Forum Komunikasi Kader Pemberdayaan Masyarakat"))
    heading(meeting.title, 15)
    body(in_language(meeting.signed_as))
    # The hours as the meeting's page and its A4 sheet write them ("09.00" in Indonesian).
    hours = f"{time_format(start, 'TIME_FORMAT')}\u2013{time_format(end, 'TIME_FORMAT')}"
    body(f"{date_format(start, 'DATE_FORMAT')}, {hours} WITA · {meeting.place}")
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
        row = [str(number), invitation.name, in_language(invitation.position), ""]
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
