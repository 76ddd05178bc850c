"""Charts drawn on the server as SVG: bars and columns whose geometry is computed here.

svg() writes them inline (role="img" with a <title> and a <desc>), and the template puts a
table of the same numbers beside each, so nothing is fetched from another host and no
JavaScript runs. Coordinates are handed over as strings: the Indonesian number format would
write 12.5 as "12,5", which is no SVG number.
"""

from dataclasses import dataclass, field

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from forkom.renderers import shown

WIDTH = 320
# A bar chart row: the label and the number on one line, the bar under them.
ROW_HEIGHT = 38
LABEL_BASELINE = 14
BAR_TOP = 19
BAR_HEIGHT = 12
LONGEST_LABEL = 34
# A column chart: the columns over their labels, the numbers on top of the columns.
COLUMN_TOP = 18
COLUMN_AREA = 120
COLUMN_LABELS = 16


def _n(value):
    return f"{value:.1f}".removesuffix(".0")


def _short(label):
    return label if len(label) <= LONGEST_LABEL else label[: LONGEST_LABEL - 1] + "…"


@dataclass
class Bar:
    label: str
    text: str
    label_y: str
    bar_y: str
    width: str


@dataclass
class Column:
    label: str
    text: str
    x: str
    y: str
    width: str
    height: str
    middle: str
    value_y: str


@dataclass
class Chart:
    slug: str
    title: str
    description: str
    headers: tuple
    # The table beside the chart: (label, number as text).
    rows: list
    height: str
    width: str = str(WIDTH)
    bar_height: str = str(BAR_HEIGHT)
    bars: list = field(default_factory=list)
    track: str = ""
    columns: list = field(default_factory=list)
    baseline: str = ""
    label_y: str = ""


def _describe(rows):
    return "; ".join(f"{label}: {text}" for label, text in rows)


def bar_chart(slug, title, headers, items):
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    largest = max((value for _label, value in items), default=0) or 1
    return _horizontal(
        slug, title, headers, [(label, str(value), value, largest) for label, value in items]
    )


def progress_chart(slug, title, headers, items, part_text):
    """One bar per (label, done, total): the done part drawn over a track of the whole.

    `part_text(done, total)` writes the number shown ("2 of 6").
    """
    return _horizontal(
        slug,
        title,
        headers,
        [(label, part_text(done, total), done, total) for label, done, total in items],
        track=str(WIDTH),
    )


def _horizontal(slug, title, headers, items, track=""):
    """A bar per (label, text, part, whole): part/whole of the full width, the text beside it."""
    bars = [
        Bar(
            label=_short(label),
            text=text,
            label_y=_n(index * ROW_HEIGHT + LABEL_BASELINE),
            bar_y=_n(index * ROW_HEIGHT + BAR_TOP),
            width=_n(WIDTH * part / whole if whole else 0),
        )
        for index, (label, text, part, whole) in enumerate(items)
    ]
    rows = [(label, text) for label, text, _part, _whole in items]
    return Chart(
        slug=slug,
        title=title,
        description=_describe(rows),
        headers=headers,
        rows=rows,
        height=_n(max(len(items), 1) * ROW_HEIGHT),
        bars=bars,
        track=track,
    )


def column_chart(slug, title, headers, items):
    """Vertical columns of (short label, long label, value), e.g. one per month."""
    largest = max((value for _short_label, _label, value in items), default=0) or 1
    slot = WIDTH / max(len(items), 1)
    width = slot * 0.7
    columns = []
    for index, (short_label, _label, value) in enumerate(items):
        height = COLUMN_AREA * value / largest
        x = index * slot + (slot - width) / 2
        top = COLUMN_TOP + COLUMN_AREA - height
        columns.append(
            Column(
                label=short_label,
                text=str(value),
                x=_n(x),
                y=_n(top),
                width=_n(width),
                height=_n(height),
                middle=_n(x + width / 2),
                value_y=_n(top - 4),
            )
        )
    rows = [(label, str(value)) for _short_label, label, value in items]
    return Chart(
        slug=slug,
        title=title,
        description=_describe(rows),
        headers=headers,
        rows=rows,
        height=_n(COLUMN_TOP + COLUMN_AREA + COLUMN_LABELS + 4),
        columns=columns,
        baseline=_n(COLUMN_TOP + COLUMN_AREA),
        label_y=_n(COLUMN_TOP + COLUMN_AREA + COLUMN_LABELS),
    )


def svg(chart):
    """The chart as an inline SVG: a title and a description for screen readers, then its
    bars or columns. The same markup as the template loop it replaced (about 4 µs an element
    here, 20 there: the dashboards draw four charts of up to twelve bars each);
    tests/dashboard/test_chart_markup.py renders the loop beside it."""
    slug, width = shown(chart.slug), shown(chart.width)
    description = chart.description or gettext("No figures yet.")
    lines = [
        f'<svg class="chart-svg" role="img" aria-labelledby="chart-{slug}-title '
        f'chart-{slug}-desc" viewBox="0 0 {width} {shown(chart.height)}" width="100%" '
        'focusable="false">',
        f'      <title id="chart-{slug}-title">{shown(chart.title)}</title>',
        f'      <desc id="chart-{slug}-desc">{shown(description)}</desc>',
    ]
    height = shown(chart.bar_height)
    track = shown(chart.track)
    for bar in chart.bars:
        label_y, bar_y = shown(bar.label_y), shown(bar.bar_y)
        lines.append(
            f'        <text x="0" y="{label_y}" class="chart-label">{shown(bar.label)}</text>'
        )
        lines.append(
            f'        <text x="{width}" y="{label_y}" text-anchor="end" '
            f'class="chart-value">{shown(bar.text)}</text>'
        )
        if chart.track:
            lines.append(
                f'        <rect x="0" y="{bar_y}" width="{track}" height="{height}" '
                'class="chart-track"/>'
            )
        lines.append(
            f'        <rect x="0" y="{bar_y}" width="{shown(bar.width)}" height="{height}" '
            'class="chart-bar"/>'
        )
    if chart.columns:
        baseline, label_y = shown(chart.baseline), shown(chart.label_y)
        lines.append(
            f'        <line x1="0" y1="{baseline}" x2="{width}" y2="{baseline}" '
            'class="chart-axis"/>'
        )
        for column in chart.columns:
            middle = shown(column.middle)
            lines.append(
                f'          <rect x="{shown(column.x)}" y="{shown(column.y)}" '
                f'width="{shown(column.width)}" height="{shown(column.height)}" '
                'class="chart-bar"/>'
            )
            lines.append(
                f'          <text x="{middle}" y="{shown(column.value_y)}" '
                f'text-anchor="middle" class="chart-small">{shown(column.text)}</text>'
            )
            lines.append(
                f'          <text x="{middle}" y="{label_y}" text-anchor="middle" '
                f'class="chart-small">{shown(column.label)}</text>'
            )
    lines.append("    </svg>")
    return mark_safe("\n".join(lines))
