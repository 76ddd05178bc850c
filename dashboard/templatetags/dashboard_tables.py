"""The cells of the dashboards' tables, written here rather than by a template per cell.

The cross tables (proposals per state, verified cadres per body) have a column per state or
body and a row per area: a province's body table has a hundred-odd cells, about 25 µs each
as a template loop and 3 µs here. The figures table's forum state, longest wait and
attendance were a partial included per cell. The markup is the same as the templates wrote
(tests/dashboard/test_cross_table_markup.py and test_figures_markup.py render the old loop
and partials beside these tags)."""

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext

from forkom.dates import time_since
from forkom.renderers import shown

register = template.Library()


@register.simple_tag
def cross_headings(cells) -> SafeString:
    """The column headings: each cell's label."""
    return mark_safe(
        "".join(f'<th scope="col" class="number">{shown(cell.label)}</th>' for cell in cells)
    )


@register.simple_tag
def cross_cells(cells) -> SafeString:
    """A row's figures, each a link to the list it counts."""
    return mark_safe(
        "".join(
            f'<td class="number" data-label="{shown(cell.label)}">'
            f'<a href="{shown(cell.url)}">{shown(cell.value)}</a></td>'
            for cell in cells
        )
    )


@register.simple_tag
def cross_totals(cells) -> SafeString:
    """The total row's figures, without links."""
    return mark_safe(
        "".join(
            f'<td class="number" data-label="{shown(cell.label)}">{shown(cell.value)}</td>'
            for cell in cells
        )
    )


# The figures table's cells that a template wrote through a partial each (about 40 µs an
# include): a province's table has 22 waits, 11 attendances and 10 forum states.


@register.simple_tag
def waited(since, now) -> SafeString:
    """How long the oldest has waited (`{{ since|timesince:now }}`), or a dash."""
    return mark_safe(shown(time_since(since, now)) if since else "—")


@register.simple_tag
def attendance(figures) -> SafeString:
    """`80% (4 of 5)`: those who attended out of those seated, or a dash."""
    if figures.attendance_rate is None:
        return mark_safe("—")
    return mark_safe(
        gettext("%(rate)s%% (%(attended)s of %(registered)s)")
        % {
            "rate": shown(figures.attendance_rate),
            "attended": shown(figures.attended),
            "registered": shown(figures.registered),
        }
    )


@register.simple_tag
def forum_status(row) -> SafeString:
    """Whether the row's forum is formed, with the date of its SK, as a link to the forum."""
    url = shown(row.links.forum)
    if not row.forum_formed:
        label = shown(gettext("Not formed yet"))
        return mark_safe(f'<a href="{url}" class="status status-pending">{label}</a>')
    date = date_filter(template_localtime(row.sk_date), "SHORT_DATE_FORMAT")
    formed = shown(gettext("Formed"))  # not inside the f-string, where makemessages misses it
    return mark_safe(
        f'<a href="{url}" class="status status-formed">{formed}</a> <small>'
        + gettext("SK of %(date)s") % {"date": shown(date)}
        + "</small>"
    )
