"""The proposal list as CSV or XLSX, for reports: the rows the viewer's list shows.

No personal data beyond the proposer's name: no NIK, phone or address. Text that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is written as plain text.
"""

import itertools
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from forkom import spreadsheets
from programs.models import AidKind, Proposal, ProposalAid

CHUNK_SIZE = 500
# Date-times in a CSV, local (Asia/Makassar), as the trainings' participant export writes them.
CSV_DATETIME = "%Y-%m-%d %H:%M"
FORMATS = spreadsheets.FORMATS


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
    """One list per proposal, read as plain values CHUNK_SIZE at a time, each chunk with one
    query for its aids: building a Proposal, its proposer, kelurahan, kecamatan and field
    for each row took a third of a kota's export (3,800 proposals)."""
    # Labels translated once, not per row (get_FOO_display translates every choice each time).
    states = {value: str(label) for value, label in Proposal.State.choices}
    kinds = {value: str(label) for value, label in AidKind.choices}
    values = (
        queryset.select_related(None)
        .prefetch_related(None)
        .values_list(
            "pk",
            "public_id",
            "title",
            "state",
            "state_changed_at",
            "proposer__full_name",
            "location__name",
            "location__parent__name",
            "field__name",
            "budget",
            "beneficiaries",
            "starts_on",
            "ends_on",
            "first_submitted_at",
        )
    )
    for chunk in itertools.batched(values.iterator(chunk_size=CHUNK_SIZE), CHUNK_SIZE):
        aids: dict[int, list[str]] = {}
        for proposal_id, kind in ProposalAid.objects.filter(
            proposal_id__in=[row[0] for row in chunk]
        ).values_list("proposal_id", "kind"):  # in the aids' own order (ProposalAid.Meta)
            aids.setdefault(proposal_id, []).append(kinds[kind])
        for (
            pk,
            public_id,
            title,
            state,
            state_changed_at,
            proposer,
            kelurahan,
            kecamatan,
            field,
            budget,
            beneficiaries,
            starts_on,
            ends_on,
            first_submitted_at,
        ) in chunk:
            yield [
                str(public_id),
                title,
                states[state],
                _local(state_changed_at),
                proposer,
                kelurahan,
                kecamatan,
                field or "",
                ", ".join(aids.get(pk, ())),
                budget,
                beneficiaries,
                starts_on,
                ends_on,
                _local(first_submitted_at) if first_submitted_at else None,
            ]


def _local(moment):
    """Spreadsheet cells hold wall-clock times: local, naive."""
    return timezone.localtime(moment).replace(tzinfo=None)


def _csv_times(rows):
    """A CSV cell holds text: a local time as the other exports write it (WITA, to the
    minute), not Python's `2026-12-06 15:26:27.116956`."""
    for row in rows:
        yield [
            value.strftime(CSV_DATETIME) if isinstance(value, datetime) else value for value in row
        ]


def response(queryset, format):
    """The list as CSV or XLSX: numbers, dates and times as such, text never a formula."""
    written = rows(queryset)
    return spreadsheets.response(
        format,
        itertools.chain([headers()], _csv_times(written) if format == "csv" else written),
        f"usulan-program-{timezone.localdate():%Y%m%d}",
        sheet_name=_("Proposals"),
        widths=(38, 40, 14, 18, 28, 20, 20, 24, 30, 16, 12, 12, 12, 18),
    )
