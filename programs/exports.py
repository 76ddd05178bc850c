"""The proposal list as CSV or XLSX, for reports: the rows the viewer's list shows.

No personal data beyond the proposer's name: no NIK, phone or address. Text that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@`) is written as plain text.
"""

import itertools

from django.utils import timezone
from django.utils.translation import gettext as _

from forkom import spreadsheets
from programs.models import AidKind, Proposal

CHUNK_SIZE = 500
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


def response(queryset, format):
    """The list as CSV or XLSX: numbers, dates and times as such, text never a formula."""
    return spreadsheets.response(
        format,
        itertools.chain([headers()], rows(queryset)),
        f"usulan-program-{timezone.localdate():%Y%m%d}",
        sheet_name=_("Proposals"),
        widths=(38, 40, 14, 18, 28, 20, 20, 24, 30, 16, 12, 12, 12, 18),
    )
