"""forkom.pdf.write_line: the bytes fpdf2's multi_cell writes, without its line breaking for
a line that fits."""

from datetime import UTC, datetime

import pytest
from fpdf import FPDF

from forkom.pdf import write_line

MARGIN = 16


def document() -> FPDF:
    """An A4 page as Data saya's PDF sets it up, with a fixed date: two documents written
    alike are the same bytes."""
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(datetime(2026, 12, 7, tzinfo=UTC))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN)
    pdf.add_page()
    return pdf


def by_multi_cell(pdf: FPDF, width: float, height: float, text: str) -> None:
    pdf.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")


def written(texts, write) -> bytes:
    """`texts` written one under the other, indented and in bold by turns, as Data saya's
    lines are: over several pages when there are enough of them."""
    pdf = document()
    width = pdf.w - 2 * MARGIN
    for number, text in enumerate(texts):
        indent = 5 * (number % 3)
        pdf.set_x(MARGIN + indent)
        pdf.set_font("Helvetica", "B" if number % 4 == 0 else "", 10)
        write(pdf, width - indent, 5.5, text)
    return bytes(pdf.output())


def near_the_edge() -> list[str]:
    """Texts from a little narrower than a full line to a little wider, a letter apart."""
    pdf = document()
    pdf.set_font("Helvetica", "", 10)
    usable = pdf.w - 2 * MARGIN - 2 * pdf.c_margin
    texts, text = [], ""
    while pdf.get_string_width(text) <= usable + 3:
        text += "ab cd"[len(text) % 5]
        if pdf.get_string_width(text) >= usable - 3:
            texts.append(text)
    return texts


FITTING = [
    "Email: kader@demo.forkom.id",
    "Nama lengkap: Siti Aminah",
    "- Posyandu",
    "Ketua",
    "Catatan dengan spasi di akhir   ",
    "   spasi di awal",
    "",
    "Bahasa: é ü ß ÿ, angka 1.234.567",
]
# A line break, a carriage return, a soft hyphen, a non-breaking space: multi_cell treats
# each apart (cell wrote the last three differently). None is printable, nor is a tab, which
# goes through the line breaking too.
SPECIAL = ["dua\nbaris", "car\rriage", "soft\xadhyphen", "tidak\xa0terpisah", "ta\tb"]
LONG = ["Alamat: Jl. " + "sangat panjang " * 30, "x" * 300]


@pytest.mark.parametrize("text", FITTING + SPECIAL + LONG + near_the_edge())
def test_a_line_is_written_as_multi_cell_writes_it(text):
    assert written([text], write_line) == written([text], by_multi_cell)


def test_a_document_of_many_pages_is_the_same_bytes():
    texts = (FITTING + SPECIAL + LONG + near_the_edge()) * 12
    assert written(texts, write_line) == written(texts, by_multi_cell)


def test_a_line_that_fits_skips_the_line_breaking(monkeypatch):
    broken = []
    original = FPDF.multi_cell

    def multi_cell(self, *args, **kwargs):
        broken.append(args[2])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FPDF, "multi_cell", multi_cell)
    written(FITTING + SPECIAL + LONG, write_line)
    assert broken == SPECIAL + LONG
