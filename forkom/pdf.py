"""What the portal's PDFs share (certificates, meeting minutes, Data saya): text for fpdf2's
core fonts, which know Latin-1 only, and lines written without fpdf2's line breaking where a
text fits on one."""

import unicodedata

from fpdf import FPDF

# Curly quotes and dashes, which Latin-1 lacks, as their plain forms.
TYPOGRAPHY = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2013": "-", "\u2014": "-"}
)


def latin1(text: str) -> str:
    """Helvetica in a PDF knows Latin-1: keep what fits, reduce the rest (a macron → a), and
    what cannot be reduced becomes "?"."""
    text = str(text).translate(TYPOGRAPHY)
    if _fits(text):
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(
        char if _fits(char) else "?" for char in decomposed if not unicodedata.combining(char)
    )


def _fits(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def write_line(document: FPDF, width: float, height: float, text: str) -> None:
    """`document.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")`, the same
    bytes, quicker: a text that fits on one line is written as a cell.

    fpdf2's line breaking measures the line again for each character it adds, so its cost
    grows with the square of the line's length: Data saya's 250 lines took about 100 ms of
    its PDF's 126. A text with a character the line breaking treats apart (a line break, a
    soft hyphen, a non-breaking space: none of them "printable") still goes through it, as
    does one that reaches the cell's edge (tests/site/test_pdf.py compares the bytes)."""
    if text.isprintable() and document.get_string_width(text) < width - 2 * document.c_margin:
        document.cell(width, height, text, new_x="LMARGIN", new_y="NEXT")
    else:
        document.multi_cell(width, height, text, new_x="LMARGIN", new_y="NEXT")
