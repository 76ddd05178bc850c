"""Choice labels (`get_FOO_display()`) looked up in a table built once per field.

Django builds that table on every call (every choice through make_hashable): about 20 µs a
call, 1.4 ms of the coordinator's proposal list, whose 25 rows show their state and the
kinds of their 47 aids. The table keeps the labels lazy, so each call still answers in the
request's language; a field whose choices are a callable, read afresh each time, is not kept.
"""

from typing import Any

from django.db.models import Field
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_tables: dict[Field[Any, Any], dict[Any, Any]] = {}


def labels(field: Field[Any, Any]) -> dict[Any, Any]:
    """{value: label} of a field with choices."""
    table = _tables.get(field)
    if table is None:
        table = dict(make_hashable(field.flatchoices))
        if isinstance(field.choices, list | tuple):
            _tables[field] = table
    return table


class ChoiceLabels:
    """A model mixin: its get_FOO_display() methods read `labels(field)`."""

    def _get_FIELD_display(self, field: Field[Any, Any]) -> Any:  # noqa: N802 (Django's name)
        value = getattr(self, field.attname)
        return force_str(labels(field).get(make_hashable(value), value), strings_only=True)
