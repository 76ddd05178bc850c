"""Data saya as a person reads it: the export (forkom.personal_data) as labelled lines in the
page's language, for the HTML page and the PDF. The JSON download stays as it is."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from fpdf import FPDF

from forkom import personal_data
from forkom.pdf import latin1, write_line


@dataclass(frozen=True)
class Line:
    depth: int
    label: str
    text: str | None  # None: a heading of what follows

    @property
    def indent(self) -> int:
        return min(self.depth, 4)


def text_of(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(value)


def lines(user: Any) -> list[Line]:
    words = personal_data.labels()
    readers = personal_data.readers()

    found: list[Line] = []

    def label(section: str, key: str) -> str:
        return personal_data.label(words, section, key)

    def read(section: str, key: str, value: Any) -> str:
        reader = readers.get((section, key))
        if reader is None or value is None or value == "":
            return text_of(value)
        return reader(value)

    def walk(section: str, key: str, value: Any, depth: int) -> None:
        if isinstance(value, dict | list) and not value:
            found.append(Line(depth, label(section, key), _("none")))
        elif isinstance(value, dict):
            found.append(Line(depth, label(section, key), None))
            for inner_key, inner in value.items():
                walk(section, inner_key, inner, depth + 1)
        elif isinstance(value, list):
            found.append(Line(depth, label(section, key), None))
            for number, item in enumerate(value, 1):
                if isinstance(item, dict):
                    found.append(Line(depth + 1, f"{number}.", None))
                    for inner_key, inner in item.items():
                        walk(section, inner_key, inner, depth + 2)
                else:  # an item of a list of names: the name alone
                    found.append(Line(depth + 1, "", read(section, key, item)))
        else:
            found.append(Line(depth, label(section, key), read(section, key, value)))

    for key, value in personal_data.readable_export(user).items():
        walk(key, key, value, 0)
    return found


def html(found: list[Line]) -> SafeString:
    """The lines as the Data saya page shows them: a heading of a section as `<h2>`, of a
    nested part in bold, a value after its label. Written here rather than by a template
    loop over the lines: a person's data runs to a few hundred lines, which the loop's tags
    took 8.2 ms to write for 247 lines, this 1.1 ms (tests/cadres/test_data_saya_readable.py
    compares the two)."""
    parts = []
    for line in found:
        label = conditional_escape(line.label)
        if line.text is None and line.depth == 0:
            parts.append(f'<h2 class="pd-{line.indent}">{label}</h2>')
        elif line.text is None:
            parts.append(f'<p class="pd-{line.indent} pd-heading"><strong>{label}</strong></p>')
        else:
            lead = f'<span class="pd-label">{label}:</span> ' if line.label else "· "
            parts.append(f'<p class="pd-{line.indent}">{lead}{conditional_escape(line.text)}</p>')
    return mark_safe("\n".join(parts))  # every label and text above is escaped


def pdf(user: Any) -> bytes:
    document = FPDF(orientation="portrait", unit="mm", format="A4")
    document.set_title(latin1(_("My data")))
    document.set_creator("Forkom KPM")
    document.set_margins(16, 16, 16)
    document.set_auto_page_break(auto=True, margin=16)
    document.add_page()
    width = document.w - 32
    document.set_font("Helvetica", "B", 15)
    write_line(document, width, 8, latin1(_("My data") + " · Forkom KPM"))
    document.set_font("Helvetica", "", 9)
    stamp = date_format(timezone.localtime(), "DATETIME_FORMAT")
    write_line(
        document,
        width,
        5,
        latin1(_("Everything the portal stores about you, as of %(when)s.") % {"when": stamp}),
    )
    document.ln(2)
    for line in lines(user):
        document.set_x(16 + 5 * line.indent)
        inner = width - 5 * line.indent
        if line.text is None:
            document.set_font("Helvetica", "B", 11 if line.depth == 0 else 10)
            write_line(document, inner, 6, latin1(line.label))
        else:
            document.set_font("Helvetica", "", 10)
            write_line(
                document,
                inner,
                5.5,
                latin1(f"{line.label}: {line.text}" if line.label else f"- {line.text}"),
            )
    return bytes(document.output())
