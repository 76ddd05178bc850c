"""Writing rows fast: COPY or batched INSERTs, and the checks deferred to the end."""

import itertools
import sys
import time
from collections import Counter

from django.db import connection


class BulkWriter:
    """Inserts rows fast: COPY on PostgreSQL (psycopg 3), batched INSERTs elsewhere.

    Rows are tuples of Python values in the order of `names` (attnames of the model's
    fields). Not bulk_create: it would overwrite the dates of auto_now_add fields with now.
    `rows` may be a generator, but one that never queries: the connection is busy copying.
    """

    BATCH = 5_000
    REPORT_EVERY = 25_000

    def __init__(self, *, stdout, show_progress):
        self.stdout = stdout
        self.show_progress = show_progress
        self.use_copy = connection.vendor == "postgresql"
        self.counts = Counter()

    def write(self, model, names, rows, *, label, total=None):
        fields = [model._meta.get_field(name) for name in names]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(field.column) for field in fields)
        started = time.monotonic()
        count = 0
        with connection.cursor() as cursor:
            if self.use_copy:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                        if count % self.REPORT_EVERY == 0:
                            self._progress(label, count, total)
            else:
                prepare = [field.get_db_prep_save for field in fields]
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
                for batch in itertools.batched(rows, self.BATCH):
                    cursor.executemany(
                        sql,
                        [
                            [
                                to_db(value, connection)
                                for to_db, value in zip(prepare, row, strict=True)
                            ]
                            for row in batch
                        ],
                    )
                    count += len(batch)
                    self._progress(label, count, total)
        self.counts[model] += count
        if self.show_progress:
            sys.stderr.write("\r\033[K")
        self.stdout.write(f"  {label}: {count:,} in {time.monotonic() - started:.1f} s")
        return count

    def _progress(self, label, count, total):
        if self.show_progress:
            of = f"/{total:,}" if total else ""
            sys.stderr.write(f"\r\033[K  {label}: {count:,}{of}")
            sys.stderr.flush()


class DeferredChecks:
    """Build the secondary indexes and check the foreign keys once, after the load.

    What pg_restore does: inside the seed's one transaction, the foreign keys and the
    plain (non-constraint) indexes of the seeded tables are dropped before the COPY and
    created again from their own definitions (`pg_get_constraintdef`, `pg_get_indexdef`)
    after it. Nothing is skipped: re-adding a foreign key checks every row of the table
    with one join, and re-creating a unique index checks uniqueness, so a row that breaks
    either fails the run and the rollback leaves the database as it was. No other
    session sees the tables meanwhile (the DDL holds an exclusive lock until the
    commit). Primary keys and unique constraints stay: other tables' foreign keys
    depend on them, and the seeder's own lookups use them.

    Why: checking 20 million deferred references one trigger at a time at the commit took
    half of the seed (~174 s), and keeping random-key indexes up to date row by row most
    of the rest; one sorted build and one join per table take a fraction of that.
    """

    def __init__(self, models):
        self.tables = [model._meta.db_table for model in models]
        self.foreign_keys = []
        self.indexes = []

    def set_aside(self):
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                  FROM pg_constraint c
                 WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
                 ORDER BY c.conrelid::regclass::text, c.conname
                """,
                [self.tables],
            )
            self.foreign_keys = cursor.fetchall()
            cursor.execute(
                """
                SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                  FROM pg_index i
                 WHERE i.indrelid = ANY(%s::regclass[])
                   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                 ORDER BY 1
                """,
                [self.tables],
            )
            self.indexes = cursor.fetchall()
            # A table with deferred checks still pending (rows written earlier in the same
            # transaction, as in a test) cannot be altered: run those checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            quote = connection.ops.quote_name
            for table, name, _ in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            for name, _ in self.indexes:
                cursor.execute(f"DROP INDEX {name}")

    def restore(self):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for _, definition in self.indexes:
                cursor.execute(definition)
            quote = connection.ops.quote_name
            for table, name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")

    def summary(self):
        return f"{len(self.indexes)} indexes, {len(self.foreign_keys)} foreign keys"
