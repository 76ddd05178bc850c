"""A dashboard's table as CSV or XLSX: one row per region and the total, every figure.

Only counts and region names: no personal data. Text a spreadsheet would run as a formula is
written as plain text.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.selectors import SHOWN_STATES, State
from forkom import spreadsheets

FORMATS = spreadsheets.FORMATS


def _yes_no(value):
    return _("yes") if value else _("no")


def table(board, row_kind):
    """The header, then a list of values per row, then the total row.

    `row_kind` is what the rows are: "kota" (province), "kecamatan" (city) or "kelurahan".
    """
    now = board.now
    names = {"kota": _("Kabupaten/kota"), "kecamatan": _("Kecamatan"), "kelurahan": _("Kelurahan")}
    header = [_("Code"), names[row_kind]]
    if row_kind == "kota":
        header += [
            _("Kecamatan forums formed"),
            _("Kecamatan forums"),
            _("Kelurahan forums formed"),
            _("Kelurahan forums"),
        ]
    elif row_kind == "kecamatan":
        header += [
            _("Forum formed"),
            _("SK date"),
            _("Kelurahan forums formed"),
            _("Kelurahan forums"),
        ]
    else:
        header += [_("Forum formed"), _("SK date")]
    header += [_("Cadres verified"), _("Cadres waiting for verification")]
    header += [body.name for body in board.bodies]
    header += [str(state.label) for state in SHOWN_STATES]
    header += [
        _("Waiting for the Koordinator Kota"),
        _("Longest wait for the Koordinator Kota (days)"),
        _("Waiting for the province"),
        _("Longest wait for the province (days)"),
    ]
    if row_kind != "kelurahan":
        if board.period is None:
            header += [_("Trainings held (last 90 days)"), _("Trainings upcoming (next 90 days)")]
        else:
            header += [
                _("Trainings held in the period"),
                _("Trainings still to come in the period"),
            ]
    header += [
        _("Seats in finished trainings"),
        _("Attended"),
        _("Attendance rate (%)"),
    ]

    # The column says "ya"/"tidak" per area; the total row says it as the page does.
    formed = _("%(done)s of %(total)s formed") % {
        "done": board.formed_rows,
        "total": len(board.rows),
    }

    def values(row, is_total=False):
        line = [row.code, row.name]
        if row_kind == "kota":
            line += [
                row.kecamatan_formed,
                row.kecamatan_total,
                row.kelurahan_formed,
                row.kelurahan_total,
            ]
        elif row_kind == "kecamatan":
            if is_total:
                line += [formed, "", row.kelurahan_formed, row.kelurahan_total]
            else:
                line += [
                    _yes_no(row.forum_formed),
                    row.sk_date,
                    row.kelurahan_formed,
                    row.kelurahan_total,
                ]
        else:
            line += [formed, ""] if is_total else [_yes_no(row.forum_formed), row.sk_date]
        line += [row.verified, row.waiting]
        line += [count for _body, count in row.body_counts(board.bodies)]
        line += [count for _state, count in row.state_counts()]
        line += [
            row.recommended,
            row.waiting_days(State.RECOMMENDED, now),
            row.escalated,
            row.waiting_days(State.ESCALATED, now),
        ]
        if row_kind != "kelurahan":
            line += [row.trainings_held, row.trainings_upcoming]
        line += [row.registered, row.attended, row.attendance_rate]
        return line

    yield header
    for row in board.rows:
        yield values(row)
    total = values(board.total, is_total=True)
    total[0], total[1] = board.area.code, _("Total")
    yield total


def response(board, row_kind, format):
    """The table as CSV or XLSX; in XLSX the header and the total row in bold."""
    return spreadsheets.response(
        format,
        table(board, row_kind),
        # The period in the name: the figures of a period say which one they are.
        f"dasbor-{board.area.code}-{timezone.localdate():%Y%m%d}"
        + (
            f"-periode-{board.period.start:%Y%m%d}-{board.period.end:%Y%m%d}"
            if board.period is not None
            else ""
        ),
        sheet_name=_("Dashboard"),
        bold_last=True,
        freeze="C2",
    )
