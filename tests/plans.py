"""What PostgreSQL plans for a query of the app, for the tests that pin an index's use."""

from django.db import connection


def plan_of(sql, *, without=("seqscan",)):
    """EXPLAIN of `sql`, with the plans named in `without` (enable_<name>) turned off for the
    test's transaction. A test database is nearly empty, where reading the whole table or
    sorting a handful of rows costs nothing: turned off, they show what the index allows."""
    with connection.cursor() as cursor:
        for name in without:
            cursor.execute(f"SET LOCAL enable_{name} = off")
        cursor.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())
