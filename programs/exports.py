"""The proposal list as CSV or XLSX, for reports: the rows the viewer's list shows.

No personal data beyond the proposer's name: no NIK, phone or address. Text that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is written as plain text.
"""

import csv
import io

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from programs.models import AidKind, Proposal

CHUNK_SIZE = 500
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers():
    return [
        _("Id"),
        _("Title"),
        _("State"),
        _("In this state since"),
        _("Proposer"),
        _("Kelurahan"),
        _("Kecamatan"),
        _("Field of work"),
        _("Help asked for"),
        _("Budget (Rupiah)"),
        _("Number of beneficiaries"),
        _("Starts on"),
        _("Ends on"),
        _("First submitted at"),
    ]


def rows(queryset):
    """One list per proposal; the aids come with each chunk (prefetched), not per row."""
    # Labels translated once, not per row (get_FOO_display translates every choice each time).
    states = {value: str(label) for value, label in Proposal.State.choices}
    kinds = {value: str(label) for value, label in AidKind.choices}
    for proposal in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [
            str(proposal.public_id),
            proposal.title,
            states[proposal.state],
            timezone.localtime(proposal.state_changed_at).replace(tzinfo=None),
            proposal.proposer.full_name,
            proposal.location.name,
            proposal.location.parent.name,
            proposal.field.name if proposal.field else "",
            ", ".join(kinds[aid.kind] for aid in proposal.aids.all()),
            proposal.budget,
            proposal.beneficiaries,
            proposal.starts_on,
            proposal.ends_on,
            timezone.localtime(proposal.first_submitted_at).replace(tzinfo=None)
            if proposal.first_submitted_at
            else None,
        ]


def _filename(extension):
    return f"usulan-program-{timezone.localdate():%Y%m%d}.{extension}"


def as_text(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    def write(self, value):
        return value


def csv_response(queryset):
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
        yield writer.writerow(headers())
        for row in rows(queryset):
            yield writer.writerow(["" if value is None else as_text(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(queryset):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Proposals"))
    sheet.append(headers())
    for row in rows(queryset):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    content = io.BytesIO()
    workbook.save(content)
    response = HttpResponse(content.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename("xlsx")}"'
    return response


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    elif isinstance(value, int):
        cell.number_format = "#,##0"
    elif value is not None and hasattr(value, "year"):
        cell.number_format = "yyyy-mm-dd hh:mm" if hasattr(value, "hour") else "yyyy-mm-dd"
    return cell
