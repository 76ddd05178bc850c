"""The kept statements as PostgreSQL runs them after their fifth run: `make bench-plans`.

    .venv/bin/python bench/generic_plans.py [--runs 20] [--slower-ms 0.5] [--slower 1.5]

The statements that forkom.statements keeps and prepares on each connection (a person's
row, their roles, a forum's timeline, the menu's counts...) are planned by PostgreSQL for
their values for five runs; then, when a plan for any value costs no more by its
estimates, that plan is kept for every later run. The estimates are of an average value:
a forum's timeline was planned for the national seed's average forum of six events and
joined all 315 events of a busy one before keeping its latest fifty (3.8 ms instead of
1.3 ms). No page time showed it (the page's noise is larger); this does.

On `make bench`'s national seed (seeded by `make bench` first): every GET page of
bench/pages.py is asked for once as its persona, in this process, and the statements they
run through the prepared cursor are noted with their first values. Each is then run --runs
times on one connection as a page runs it (prepared, PostgreSQL's own choice of plan, after
six runs to let it choose) and as many times planned for its values each time
(plan_cache_mode = force_custom_plan, the planning included), alternately. The table lists
them slowest kept plan first. Exit status 1 when a kept plan is both --slower-ms and
--slower times slower than the plan for its values; 2 when the benchmark cannot run.
"""

import argparse
import os
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboards  # the bench's own helpers, beside this file

WARMUP = 6  # PostgreSQL plans a prepared statement for its values on its first five runs


@contextmanager
def noting():
    """While open, each statement run through forkom.statements' prepared cursor is noted
    in the dictionary it gives, {sql: the values of its first run}, in the order first run."""
    from forkom import statements

    noted: dict[str, tuple] = {}
    prepared_cursor = statements.prepared_cursor

    class Noting:
        def __init__(self, cursor):
            self.cursor = cursor

        def execute(self, sql, params=None):
            noted.setdefault(sql, tuple(params or ()))
            return self.cursor.execute(sql, params)

        def __getattr__(self, name):
            return getattr(self.cursor, name)

    @contextmanager
    def noting_cursor(connection):
        with prepared_cursor(connection) as cursor:
            yield Noting(cursor)

    statements.prepared_cursor = noting_cursor
    try:
        yield noted
    finally:
        statements.prepared_cursor = prepared_cursor


def noted_statements(pages_module, seed):
    """(sql, params) of each statement the pages run through the prepared cursor, in the
    order first run, with the values of that first run."""
    clients = dashboards.signed_in_clients(seed)
    try:
        with noting() as noted:
            for name, _url_name, route in pages_module.timed():
                try:
                    path = route.path(seed)
                except Exception as error:  # a row missing from the seed: make bench says
                    print(f"  {name}: no path ({error})")
                    continue
                dashboards.fetch(clients[route.persona], path)
    finally:
        dashboards.forget_sessions(clients)
    return list(noted.items())


def slower_kept(rows, slower_ms, slower):
    """The (kept ms, planned ms, sql) rows whose kept plan is both `slower_ms` and `slower`
    times slower than the plan for the statement's values."""
    return [
        (kept, planned, sql)
        for kept, planned, sql in rows
        if kept - planned >= slower_ms and kept >= planned * slower
    ]


def for_prepare(sql):
    """`sql` as Django's cursor takes it (%s for each value, %% for a %) as PREPARE takes it
    ($1, $2... and %), and the number of values."""
    placeholders = sql.count("%s")
    pieces = sql.split("%s")
    numbered = "".join(
        piece + (f"${number}" if number <= placeholders else "")
        for number, piece in enumerate(pieces, 1)
    ).replace("%%", "%")
    return numbered, placeholders


def timed(sql, params, runs):
    """Median ms of the statement kept as PostgreSQL keeps it, and planned for its values."""
    from django.db import connection

    numbered, placeholders = for_prepare(sql)
    marks = f"({', '.join(['%s'] * placeholders)})" if placeholders else ""
    kept: list[float] = []
    planned: list[float] = []
    with connection.cursor() as cursor:
        cursor.execute(f"PREPARE bench_plan AS {numbered}")
        try:
            for run in range(WARMUP + runs):
                for mode, times in (("auto", kept), ("force_custom_plan", planned)):
                    cursor.execute(f"SET plan_cache_mode = {mode}")
                    started = time.perf_counter()
                    cursor.execute(f"EXECUTE bench_plan{marks}", params)
                    cursor.fetchall()
                    if run >= WARMUP:
                        times.append((time.perf_counter() - started) * 1000)
        finally:
            cursor.execute("DEALLOCATE bench_plan")
            cursor.execute("RESET plan_cache_mode")
    return statistics.median(kept), statistics.median(planned)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs of each plan")
    parser.add_argument("--slower-ms", type=float, default=0.5, metavar="MS")
    parser.add_argument("--slower", type=float, default=1.5, metavar="TIMES")
    arguments = parser.parse_args(argv)
    if arguments.runs < 1:
        parser.error("--runs must be 1 or more")
    database_url = os.environ.get("BENCH_DATABASE_URL") or dashboards.DEFAULT_DATABASE_URL
    dashboards.start_django(database_url)
    import pages as routes

    try:
        seed = routes.find_seed()
    except routes.SeedMissing as error:
        print(f"bench-plans FAILED: {error} (make bench seeds it)", file=sys.stderr)
        return 2
    routes.make_extras(seed)
    try:
        noted = noted_statements(routes, seed)
        rows = []
        for sql, params in noted:
            kept, planned = timed(sql, params, arguments.runs)
            rows.append((kept, planned, sql))
    finally:
        routes.remove_extras(seed)
    rows.sort(key=lambda row: -row[0])
    print(f"\n{len(rows)} kept statements, {arguments.runs} runs of each plan (median ms):\n")
    print("| kept plan | planned for its values | statement |\n| ---: | ---: | --- |")
    for kept, planned, sql in rows:
        print(f"| {kept:.2f} | {planned:.2f} | `{sql[:110]}` |")
    slower = slower_kept(rows, arguments.slower_ms, arguments.slower)
    if slower:
        print(
            "\nbench-plans: kept plans SLOWER than a plan for their values:\n"
            + "\n".join(
                f"- {kept:.2f} ms kept, {planned:.2f} ms planned for its values: {sql}"
                for kept, planned, sql in slower
            ),
            file=sys.stderr,
        )
        return 1
    print("\nbench-plans: no kept plan is slower than a plan for its values.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
