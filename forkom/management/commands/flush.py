"""Django's flush, with the triggers of an SQLite database off while its tables are emptied.

The count tables (cadres' counts per kelurahan, the sign-up summary) are kept by triggers on
the rows they count. PostgreSQL empties the tables with TRUNCATE, which fires no row
trigger. SQLite deletes them row by row, in an order that changes from run to run: a row
deleted after its count table wrote the count again, and the flush failed on a foreign key
or left counts behind. Every transactional test ends with this command.
"""

from typing import Any

from django.core.management.commands import flush
from django.db import connections

from forkom.triggers import table_triggers_paused


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with table_triggers_paused(connection.introspection.table_names(), options["database"]):
            return super().handle(**options)
