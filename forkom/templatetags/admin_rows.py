"""Django's `admin_list` tag library, with the rows of a change list written faster and the
same: templates/admin/change_list.html, which extends Django's, loads it for its rows.

Django's `items_for_result` works out every cell from scratch: for each of the 100 rows and
each column it looks the column up again, asks the admin for its empty value, reverses the
row's change URL and parses it again to add the list's filters, builds the icon of a yes/no
field through the static files' storage and writes each piece with format_html. On the
admin's list of accounts that was half the page's time (20 ms of 44, at national scale).

`result_list` here works out once per list what is the same for every row (the column's
kind, classes, link and empty value, the change URL around the row's key, the icons) and
writes each row from that. Dates are written by forkom.dates, as the `date` filter is
elsewhere. Whatever it does not know how to write faster (a column that is not a model
field, a password, a list edited in place, a pop-up) goes through Django's own code, and so
does a whole list whose change list works out its rows' URLs itself or whose change URL
cannot be split around the key.

tests/site/test_admin_rows.py renders every change list of the admin both ways, with rows
of every kind, and compares the markup.
"""

import contextlib
import datetime
import html
import re
from typing import Any, NamedTuple
from urllib.parse import quote as url_quote

from django import template
from django.contrib.admin.options import ModelAdmin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,
    display_for_field,
    display_for_value,
    get_fields_from_path,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import DatabaseDefault
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString

from forkom.dates import formatted

register = template.Library()
register.tags.update(admin_list.register.tags)
register.filters.update(admin_list.register.filters)

# Django's own quoting of a reversed URL's arguments (django.urls.resolvers).
_URL_SAFE = RFC3986_SUBDELIMS + "/~:@"
# In the change URL reversed once per list, where each row's key goes; in the selection's
# checkbox rendered once per list, where each row's key and name go.
_KEY = "forkomrowkey0"
_NAME = "forkomrowname0"
_IN_CHECKBOX = re.compile(f"{_KEY}|{_NAME}")
_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


class _Unsplit(Exception):
    """The row's key is not found in the path of its change URL."""


class Column(NamedTuple):
    name: Any  # the list_display entry: a field's name, a method's, a callable
    # The model field a column shows and that is written here; None for the columns left to
    # Django's own steps (no field, an automatic key, a password, list-like choices).
    field: Any
    base: str  # "field-…"
    classes: str  # the same, and "nowrap" for a date, time or foreign key field
    tag: str  # "th" for the row's link, "td" otherwise
    link: bool
    choices: dict | None  # a field with choices: value -> label


def _is_password(field: Any) -> bool:
    return field.name == "password" and (
        issubclass(field.model, AbstractBaseUser) or issubclass(get_user_model(), field.model)
    )


def _columns(cl: ChangeList) -> list[Column]:
    """What Django works out for each cell that is the same on every row."""
    columns = []
    first = True
    for index, name in enumerate(cl.list_display):
        if cl.list_display_links is None:
            link = False
        elif first and not cl.list_display_links:
            link = True
        else:
            link = name in cl.list_display_links
        tag = "td"
        if link:
            tag = "th" if first else "td"
            first = False
        try:
            field = _get_non_gfk_field(cl.lookup_opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            field = None
        choices = None
        if field is not None and (field.auto_created or _is_password(field)):
            field = None
        elif field is not None and getattr(field, "flatchoices", None):
            try:
                choices = dict(field.flatchoices)
            except TypeError:  # list-like choices
                field = None
        base = f"field-{admin_list._coerce_field_name(name, index)}"
        classes = base + " nowrap" if isinstance(field, _NOWRAP_FIELDS) else base
        columns.append(Column(name, field, base, classes, tag, link, choices))
    return columns


class Rows:
    """One change list's rows, written from what its columns share."""

    def __init__(self, cl: ChangeList) -> None:
        self.cl = cl
        self.columns = _columns(cl)
        self.empty = cl.model_admin.get_empty_value_display()
        self.icons: dict[tuple, str] = {}
        self.url_around_key = self._url_around_key()
        self.checkbox = self._checkbox()

    def _url_around_key(self) -> tuple[str, str] | None:
        """The row's link as Django writes it (the change URL with the list's filters kept),
        escaped and split where the row's key goes; None where it cannot be reversed."""
        cl = self.cl
        try:
            url = reverse(
                f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
                args=(_KEY,),
                current_app=cl.model_admin.admin_site.name,
            )
        except NoReverseMatch:
            return None
        url = add_preserved_filters(
            {"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url
        )
        before, found, after = url.partition(_KEY)
        if not found or "?" in before:
            raise _Unsplit(url)
        return html.escape(before), html.escape(after)

    def _checkbox(self) -> str | None:
        """Django's checkbox that selects a row for an action (ModelAdmin.action_checkbox),
        rendered once with stand-ins for the row's key and name; None when the admin
        writes its own."""
        model_admin = self.cl.model_admin
        if type(model_admin).action_checkbox is not ModelAdmin.action_checkbox:
            return None
        if "action_checkbox" not in self.cl.list_display:
            return None

        class StandIn:
            pk = _KEY

            def __str__(self) -> str:
                return _NAME

        return model_admin.action_checkbox(StandIn())

    def checkbox_of(self, result: Any) -> SafeString:
        assert self.checkbox is not None
        # Escaped as the checkbox escapes them: the key as an attribute's value, the name
        # by format_html within the attribute's already safe value.
        shown = {_KEY: html.escape(str(result.pk)), _NAME: html.escape(str(result))}
        return SafeString(_IN_CHECKBOX.sub(lambda found: shown[found.group()], self.checkbox))

    def row(self, result: Any) -> admin_list.ResultList:
        cells = []
        for column in self.columns:
            if column.name == "action_checkbox" and self.checkbox is not None:
                text, classes = self.checkbox_of(result), "action-checkbox"
            elif column.field is None:
                text, classes = self.django_cell(column, result)
            else:
                try:
                    value = getattr(result, column.name)
                except ObjectDoesNotExist:
                    text, classes = self.empty, column.base
                else:
                    text, classes = self.field_text(column, value), column.classes
            text = self.link(result, text) if column.link else conditional_escape(text)
            cells.append(SafeString(f'<{column.tag} class="{classes}">{text}</{column.tag}>'))
        return admin_list.ResultList(None, cells)

    def field_text(self, column: Column, value: Any) -> Any:
        """display_for_field, with what it works out on every call kept per column."""
        field = column.field
        if isinstance(field.remote_field, models.ManyToOneRel):
            return self.empty if value is None else value
        if column.choices is not None:
            try:
                return column.choices.get(value, self.empty)
            except TypeError:  # an unhashable value
                pass
        elif isinstance(value, DatabaseDefault):
            pass
        elif isinstance(field, models.BooleanField):
            return self.icon(value)
        elif value in field.empty_values:
            return self.empty
        elif isinstance(field, models.DateTimeField):
            # formats.localize(template_localtime(value)): the `date` filter's DATETIME_FORMAT
            local = timezone.template_localtime(value)  # type: ignore[attr-defined]
            return formatted(local, "DATETIME_FORMAT")
        elif isinstance(field, models.DateField):
            return formatted(value, "DATE_FORMAT")
        return display_for_field(value, field, self.empty, avoid_link=column.link)

    def icon(self, value: Any) -> str:
        key = (type(value), value)  # 1 and True are one key of a dict, but Django writes
        try:  # the value in the icon's alt text
            return self.icons[key]
        except KeyError:
            icon = self.icons[key] = admin_list._boolean_icon(value)
            return icon

    def django_cell(self, column: Column, result: Any) -> tuple[Any, str]:
        """A column written by Django's own steps (items_for_result), row by row."""
        name, classes = column.name, column.base
        try:
            field, attr, value = lookup_field(name, result, self.cl.model_admin)
        except ObjectDoesNotExist:
            return self.empty, classes
        empty = getattr(attr, "empty_value_display", self.empty)
        if field is None and isinstance(name, str) and LOOKUP_SEP in name:
            with contextlib.suppress(FieldDoesNotExist):
                field = get_fields_from_path(self.cl.model, name)[-1]
        if field is None or field.auto_created:
            if name == "action_checkbox":
                classes = "action-checkbox"
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            shown = display_for_value(value, empty, boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                classes += " nowrap"
            return shown, classes
        if isinstance(field.remote_field, models.ManyToOneRel):
            shown = empty if value is None else value
        else:
            shown = display_for_field(value, field, empty, avoid_link=column.link)
        if isinstance(field, _NOWRAP_FIELDS):
            classes += " nowrap"
        return shown, classes

    def link(self, result: Any, text: Any) -> str:
        if self.url_around_key is None:  # Django shows the text without a link
            return conditional_escape(text)
        before, after = self.url_around_key
        key = quote(getattr(result, self.cl.pk_attname))
        key = html.escape(url_quote(str(key), safe=_URL_SAFE))
        return f'<a href="{before}{key}{after}">{conditional_escape(text)}</a>'


def _writes_rows_itself(cl: ChangeList) -> bool:
    """Lists whose rows Django must write: edited in place, in a pop-up, or a change list
    that works out its rows' URLs itself."""
    return bool(
        cl.formset
        or cl.is_popup
        or cl.to_field
        or type(cl).url_for_result is not ChangeList.url_for_result
    )


def results(cl: ChangeList) -> list:
    if _writes_rows_itself(cl):
        return list(admin_list.results(cl))
    try:
        rows = Rows(cl)
    except _Unsplit:
        return list(admin_list.results(cl))
    return [rows.row(result) for result in cl.result_list]


def result_list(cl: ChangeList) -> dict:
    """Django's result_list (admin/change_list_results.html's context), its rows from
    `results` above."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": results(cl),
    }


@register.tag(name="result_list")
def result_list_tag(parser, token):
    return InclusionAdminNode(
        "result_list",
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
