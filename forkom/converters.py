"""URL parts that must look right before a view asks the database about them.

A code with a NUL byte made PostgreSQL refuse the query (a server error), and an integer
beyond 64 bits made SQLite overflow; an address that cannot name anything is simply not
found (404).
"""

from django.urls import register_converter


class RegionCodeConverter:
    """A Kemendagri code: 64, 64.74, 64.74.01 or 64.74.01.1001."""

    regex = r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


class IdConverter:
    """A database id: digits that fit a 64-bit integer."""

    regex = r"[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


def register():
    register_converter(RegionCodeConverter, "region")
    register_converter(IdConverter, "id")
