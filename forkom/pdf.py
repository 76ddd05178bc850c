"""What the portal's PDFs share (certificates, meeting minutes, Data saya): text for fpdf2's
core fonts, which know Latin-1 only."""

import unicodedata

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
