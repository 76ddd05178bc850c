"""Django's SQLite backend, whose integer fields take what PostgreSQL's take.

Django gives a model's integer field the limits the database reports, and SQLite reports
64 bits for every integer type: on the embedded database a form or the admin accepted a
sort order of 99,999,999,999,999 that PostgreSQL's smallint refuses (a 400 there, a saved
row here, the list reordered for everyone), a capacity of 10 billion seats, a year of a
trillion. The same field now refuses the same values on both databases, with Django's own
message ("Pastikan nilai ini kurang dari atau sama dengan 32767."). What SQLite stores is
not changed; only the validation Django derives from the field's type.
"""

from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations


class DatabaseOperations(SQLiteOperations):
    def integer_field_range(self, internal_type: str) -> tuple[int, int]:
        return BaseDatabaseOperations.integer_field_ranges[internal_type]


class DatabaseWrapper(SQLiteWrapper):
    ops_class = DatabaseOperations
