"""The cells of the dashboards' cross tables (proposals per state, verified cadres per body).

A table has a column per state or body and a row per area: a province's body table has a
hundred-odd cells, about 25 µs each as a template loop and 3 µs here, in the same markup
(tests/dashboard/test_cross_table_markup.py renders the loop beside them)."""

from django import template
from django.utils.safestring import SafeString, mark_safe

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
