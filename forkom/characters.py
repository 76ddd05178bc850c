"""Characters that no text the portal keeps may hold, for the forms (forkom.middleware), the
import (cadres.imports) and the spreadsheets it writes (forkom.spreadsheets)."""

import re

NUL = "\x00"
# The control characters of ASCII but tab and line breaks: they mean nothing on a page, and
# openpyxl refuses to write them, so one of them broke every XLSX export holding it (found by
# a walk through the demo site, a name typed with a bell character).
CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The replacement character of bytes that were no UTF-8 (a multipart field), and the C1
# controls that bytes of Windows-1252 become when Django reads a form as ISO-8859-1.
BAD_ENCODING = re.compile("[\x80-\x9f\ufffd]")


def without_controls(text: str) -> str:
    """`text` with the control characters taken out (rows stored before forms refused them)."""
    return CONTROL.sub("", text.replace(NUL, ""))
