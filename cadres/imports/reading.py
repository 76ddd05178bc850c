"""Read an uploaded XLSX or CSV as rows of cells, streaming, evaluating nothing."""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any
from xml.parsers.expat import ExpatError

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from forkom.errors import BadInput
from forkom.texts import gettext as _

# A kecamatan's sheet holds hundreds of rows, a kota's a few thousand; beyond these the file
# is refused before anything is read into memory.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 60_000
CSV_ENCODINGS = ("utf-8-sig", "cp1252")

Cell = str | int | float | date | datetime | None


@dataclass
class Sheet:
    header: list[str]
    rows: Iterator[tuple[int, list[Cell]]]  # (line number, cells); the header is line 1


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise BadInput(
            _("The file is larger than %(mb)d MB. Split it, for example one sheet per kecamatan.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )


def open_sheet(file: IO[bytes], name: str) -> Sheet:
    """The first sheet of an XLSX, or a CSV (comma or semicolon, UTF-8 or Windows-1252)."""
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, io.SEEK_END)
        size = file.tell()
    file.seek(0)
    check_size(size)
    if size == 0:
        raise BadInput(_("The file is empty."))
    start = file.read(8)
    file.seek(0)
    if start.startswith(b"PK"):
        return _xlsx(file)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE container: an old .xls, or an XLSX protected with a password.
        raise BadInput(
            _(
                "This is an old Excel file (.xls) or a password-protected one. Save it in "
                'Excel as "Excel Workbook (.xlsx)" without a password, or as CSV.'
            )
        )
    if name.lower().endswith((".xlsx", ".xlsm")):
        raise BadInput(_("The file could not be read as an Excel workbook; it may be damaged."))
    return _csv(file)


# What openpyxl raises on a damaged workbook: a zip that is none, a part missing, XML cut
# short (expat's error, ElementTree's ParseError, a SyntaxError), a cell naming a string the
# table lacks. A sheet is read row by row as it is checked, so the rows are guarded too: a
# sheet cut short halfway left the import "being checked" for ever (found by a walk through
# the demo site).
DAMAGED = (
    zipfile.BadZipFile,
    InvalidFileException,
    ExpatError,
    SyntaxError,
    KeyError,
    OSError,
    ValueError,
    IndexError,
    TypeError,
    AttributeError,
)


def _damaged() -> BadInput:
    return BadInput(_("The file could not be read as an Excel workbook; it may be damaged."))


def _xlsx(file: IO[bytes]) -> Sheet:
    try:
        # read_only streams the rows; formulas come back as their text ("=1+2"), never a
        # value computed by us or a cached one written by Excel.
        workbook = load_workbook(file, read_only=True, data_only=False)
        worksheet = workbook.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
    except DAMAGED:
        raise _damaged() from None
    if header is None:
        raise BadInput(_("The sheet is empty."))

    def numbered() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for line, row in enumerate(rows, start=2):
                if line > MAX_ROWS + 1:  # a DomainError, none of DAMAGED: it passes through
                    raise BadInput(
                        _("A sheet may hold at most %(rows)d rows.") % {"rows": MAX_ROWS}
                    )
                yield line, list(row)
        except DAMAGED:
            raise _damaged() from None

    return Sheet(header=[_text(cell) for cell in header], rows=numbered())


def _csv(file: IO[bytes]) -> Sheet:
    data = file.read()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode Text" and some "CSV UTF-16" saves: UTF-16 with its byte-order
        # mark, whose every other byte is a NUL (refused as "not a CSV text file" before).
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise BadInput(_("The file is not text in UTF-8 or Windows-1252.")) from None
    if b"\x00" in data:
        raise BadInput(_("The file holds NUL bytes: it is not a CSV text file."))
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost everything; the rest is refused
        raise BadInput(_("The file is not text in UTF-8 or Windows-1252."))
    first_line = text.split("\n", 1)[0]
    # Comma, semicolon (Excel in Indonesian) or tab (Excel's "Unicode Text"), whichever the
    # header holds most of.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if not header:
        raise BadInput(_("The sheet is empty."))

    def numbered() -> Iterator[tuple[int, list[Cell]]]:
        try:
            for line, row in enumerate(reader, start=2):
                if line > MAX_ROWS + 1:
                    raise BadInput(
                        _("A sheet may hold at most %(rows)d rows.") % {"rows": MAX_ROWS}
                    )
                yield line, list(row)
        except csv.Error as error:
            raise BadInput(
                _("The CSV file could not be read: %(error)s") % {"error": error}
            ) from None

    return Sheet(header=[_text(cell) for cell in header], rows=numbered())


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()
