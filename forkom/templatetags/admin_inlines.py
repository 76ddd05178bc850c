"""The rows of an admin inline whose rows are read only, written as Django's
admin/edit_inline/tabular.html writes them, without its template's loops.

A training's change page shows its first 20 sign-ups and 20 events (forkom.admin
FirstRowsInline): Django's template walks each row's fieldsets, lines and fields in three
nested loops and asks each cell a dozen questions, 27 ms of the page's 64 at national scale.
Here each row asks the same objects (Django's InlineAdminForm and its fields) the same
questions in Python, and writes the same text, whitespace included.

templates/admin/forkom/first_rows_tabular.html takes this way only for an inline nobody may
change, add to or delete from (every field then read only, as Django makes them) and whose
rows link to no page of their own; any other goes through Django's template.
tests/site/test_admin_inlines.py renders the change pages of every admin with such inlines
both ways and compares them.
"""

from typing import Any

from django import template
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def rows_read_only(inline_admin_formset: Any) -> bool:
    """Whether the inline's rows are read only (no change, no addition, no deletion) and
    plain: no link to each row's own admin page or public page (show_change_link, "View on
    site"), which the rows here do not write."""
    formset = inline_admin_formset.formset
    inline = inline_admin_formset.opts
    return not (
        inline_admin_formset.has_change_permission
        or inline_admin_formset.has_add_permission
        or (formset.can_delete and inline_admin_formset.has_delete_permission)
        or inline.show_change_link
        or (inline.view_on_site and hasattr(inline.model, "get_absolute_url"))
    )


@register.simple_tag
def read_only_rows(inline_admin_formset: Any) -> SafeString:
    """tabular.html's rows, from `{% for inline_admin_form ... %}` to its `{% endfor %}`, for
    an inline whose rows are read only (rows_read_only)."""
    prefix = conditional_escape(inline_admin_formset.formset.prefix)
    parts = []
    for index, inline_admin_form in enumerate(inline_admin_formset):
        parts.append("\n        ")
        errors = inline_admin_form.form.non_field_errors()
        if errors:
            count = cell_count(inline_admin_form)
            parts.append(
                f'\n        <tr class="row-form-errors"><td colspan="{count}">'
                f"{conditional_escape(errors)}</td></tr>\n        "
            )
        original = inline_admin_form.original  # no show_url: rows_read_only
        parts.append(
            f'\n        <tr class="form-row {"has_original" if original else ""}"\n'
            f'             id="{prefix}-{index}">\n        <td class="original">\n          '
        )
        if original:
            # No link to the row's own page after its name: rows_read_only.
            parts.append(
                f"<p>\n          \n          {conditional_escape(original)}\n          "
                "\n          \n          \n            </p>"
            )
        parts.append("\n          ")
        if inline_admin_form.needs_explicit_pk_field():
            parts.append(conditional_escape(inline_admin_form.pk_field().field))
        parts.append("\n          ")
        fk_field = inline_admin_form.fk_field()
        if fk_field:
            parts.append(conditional_escape(fk_field.field))
        parts.append("\n        </td>\n        ")
        for fieldset in inline_admin_form:
            parts.append("\n          ")
            for line in fieldset:
                parts.append("\n            ")
                for field in line:
                    parts.append(_cell(field))
                parts.append("\n          ")
            parts.append("\n        ")
        parts.append('\n        <td class="delete"></td>\n        </tr>\n     ')
    return SafeString("".join(parts))


def _cell(field: Any) -> str:
    """A read-only field's cell (AdminReadonlyField)."""
    described = field.field
    name = described["name"]
    classes = (f"field-{conditional_escape(name)}" if name else "") + (
        " hidden" if described["is_hidden"] else ""
    )
    return (
        f'\n              <td class="{classes}">\n              '
        f"\n                  <p>{conditional_escape(field.contents())}</p>\n              "
        "\n              </td>\n            "
    )
