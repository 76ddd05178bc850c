"""The rows of an admin inline whose rows are read only, written as Django's
admin/edit_inline/tabular.html writes them, without its template's loops.

A training's change page shows its first 20 sign-ups and 20 events (forkom.admin
FirstRowsInline): Django's template walks each row's fieldsets, lines and fields in three
nested loops and asks each cell a dozen questions, 27 ms of the page's 64 at national scale.
Here each row asks the same objects (Django's InlineAdminForm and its fields) the same
questions in Python, and writes the same text, whitespace included.

templates/admin/forkom/first_rows_tabular.html takes this way only for an inline nobody may
change, add to or delete from (every field then read only, as Django makes them); any other
goes through Django's template. tests/site/test_admin_inlines.py renders the change pages of
every admin with such inlines both ways and compares them.
"""

from typing import Any

from django import template
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.templatetags.admin_urls import admin_urlname
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext

register = template.Library()


@register.filter
def rows_read_only(inline_admin_formset: Any) -> bool:
    """Whether the inline's rows are read only: no change, no addition, no deletion."""
    formset = inline_admin_formset.formset
    return not (
        inline_admin_formset.has_change_permission
        or inline_admin_formset.has_add_permission
        or (formset.can_delete and inline_admin_formset.has_delete_permission)
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
        original = inline_admin_form.original
        shown = original or inline_admin_form.show_url
        parts.append(
            f'\n        <tr class="form-row {"has_original" if shown else ""}"\n'
            f'             id="{prefix}-{index}">\n        <td class="original">\n          '
        )
        if shown:
            parts.append("<p>\n          ")
            if original:
                parts.append(f"\n          {conditional_escape(original)}\n          ")
                parts.append(_change_link(inline_admin_formset, inline_admin_form))
                parts.append("\n          ")
            parts.append("\n          ")
            if inline_admin_form.show_url:
                url = conditional_escape(inline_admin_form.absolute_url)
                text = conditional_escape(gettext("View on site"))
                parts.append(f'<a href="{url}">{text}</a>')
            parts.append("\n            </p>")
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


def _change_link(inline_admin_formset: Any, inline_admin_form: Any) -> str:
    model_admin = inline_admin_form.model_admin
    if not (model_admin.show_change_link and model_admin.has_registered_model):
        return ""
    url = reverse(
        admin_urlname(model_admin.opts, "change"),
        args=[quote(inline_admin_form.original.pk)],
        current_app=model_admin.admin_site.name,
    )
    # Read only: the link views the row (tabular.html's "View", class inlineviewlink).
    text = conditional_escape(gettext("View"))
    return f'<a href="{conditional_escape(url)}" class="inlineviewlink">{text}</a>'


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
