"""The attendance certificate: an A4 PDF (fpdf2) with a QR code (segno) to its verification page.

fpdf2 is pure Python (wheels of Pillow and fontTools beside it), needs no system library and
writes a one-page PDF in milliseconds. Its built-in Helvetica covers Latin-1, which is enough
for Indonesian; any other character is reduced to its closest Latin-1 form.
"""

import io

import segno
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from forkom.pdf import latin1

GREEN = (11, 93, 75)
INK = (29, 37, 33)
MUTED = (77, 90, 84)
QR_SIZE_MM = 38
# The signature block sits in the bottom band, between the verification note and the QR code.
SIGNATURE_X, SIGNATURE_WIDTH = 132, 100


def qr_png(url):
    """The QR code of `url` as a PNG, black on white with the standard quiet zone."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def training_dates(training):
    """`12 Maret 2026`, or `12 Maret 2026 - 13 Maret 2026` over several days, in WITA."""
    start = timezone.localtime(training.starts_at).date()
    end = timezone.localtime(training.ends_at).date()
    if start == end:
        return date_format(start, "DATE_FORMAT")
    return f"{date_format(start, 'DATE_FORMAT')} \u2013 {date_format(end, 'DATE_FORMAT')}"


def certificate_pdf(registration, verify_url):
    training = registration.training
    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_title(latin1(_("Certificate") + " — " + training.title))
    pdf.set_creator("Forkom KPM")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    width = pdf.w - 40

    pdf.set_draw_color(*GREEN)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)

    # The issuer and the forum as text: no logo files that nobody here owns.
    pdf.set_y(24)
    _line(pdf, width, training.organiser, size=12, style="B", color=GREEN)
    forum = _("Forkom KPM — Forum Komunikasi Kader Pemberdayaan Masyarakat")
    _line(pdf, width, forum, size=10, color=MUTED)
    pdf.ln(5)
    _line(pdf, width, _("CERTIFICATE"), size=30, style="B", color=GREEN, height=14)
    _line(pdf, width, _("of attendance"), size=12, color=MUTED)
    pdf.ln(6)
    _line(pdf, width, _("This certifies that"), size=12)
    pdf.ln(2)
    _line(pdf, width, registration.profile.full_name, size=24, style="B", height=12)
    pdf.ln(2)
    _line(pdf, width, _("attended the training"), size=12)
    pdf.ln(1)
    pdf.set_x(20)
    pdf.set_font("Helvetica", "B", 15)
    pdf.set_text_color(*INK)
    pdf.multi_cell(width, 7.5, latin1(training.title), align="C")
    pdf.ln(2)
    _line(pdf, width, f"{training_dates(training)} · {training.venue}", size=11, color=MUTED)
    _line(
        pdf,
        width,
        _("Organised by %(organiser)s") % {"organiser": training.organiser},
        size=11,
        color=MUTED,
    )

    qr_x, qr_y = pdf.w - 20 - QR_SIZE_MM, pdf.h - 22 - QR_SIZE_MM
    pdf.image(io.BytesIO(qr_png(verify_url)), x=qr_x, y=qr_y, w=QR_SIZE_MM, h=QR_SIZE_MM)
    _signature(pdf, training, y=qr_y - 2)
    pdf.set_xy(20, qr_y + 12)
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(*MUTED)
    note = _("Check this certificate: scan the QR code or open")
    pdf.multi_cell(SIGNATURE_X - 26, 4.5, latin1(f"{note}\n{verify_url}"), align="L")
    return bytes(pdf.output())


def _signature(pdf, training, *, y):
    """The signatory's position, room to sign, and their name underlined, between the
    verification note and the QR code; nothing when the organiser named no signatory."""
    if not training.signatory_name:
        return
    pdf.set_xy(SIGNATURE_X, y)
    pdf.set_font("Helvetica", "", 10)
    pdf.set_text_color(*INK)
    title = training.signatory_title or training.organiser
    pdf.multi_cell(SIGNATURE_WIDTH, 4.8, latin1(title), align="C")
    pdf.set_xy(SIGNATURE_X, y + 30)
    pdf.set_font("Helvetica", "BU", 11)
    pdf.multi_cell(SIGNATURE_WIDTH, 5.5, latin1(training.signatory_name), align="C")


def _line(pdf, width, text, *, size, style="", color=INK, height=None):
    pdf.set_x(20)
    pdf.set_font("Helvetica", style, size)
    pdf.set_text_color(*color)
    pdf.cell(width, height or size * 0.5, latin1(text), align="C", new_x="LMARGIN", new_y="NEXT")
