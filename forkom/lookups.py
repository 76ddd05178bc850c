"""`__in` on an integer column without the values no such column can hold.

Django leaves an integer beyond the column's range out of `exact`, `gt`, `lt` and the like
(IntegerFieldOverflow: no row can match it), but not out of `__in`: on SQLite an id of 2**63
posted to the admin (a selected row for an action, a row of an editable list, a
many-to-many choice) raised OverflowError, a server error. Leaving such a value out changes
no answer; with none left, Django finds nothing, as for an empty list.
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import IntegerField
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler


class IntegerFieldIn(In):
    def process_rhs(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        if self.rhs_is_direct_value():
            internal_type = self.lhs.output_field.get_internal_type()
            low, high = connection.ops.integer_field_range(internal_type)
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int)
                or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


def register() -> None:
    IntegerField.register_lookup(IntegerFieldIn)
