"""Time `manage.py import_regions` on the national region table, on SQLite and PostgreSQL.

For each backend: a fresh database (a temporary SQLite file; a PostgreSQL database
`forkom_bench_import`, created and dropped here), `manage.py migrate`, then the same import
twice, each as its own process. Prints a Markdown table and exits non-zero when the first
import takes 20 s or more, the second is not faster than the first, or the second changes
anything.

    .venv/bin/python bench/import_regions.py [FILE.csv] [--backend sqlite|postgresql]

FILE.csv defaults to ../shared/data/wilayah_kemendagri_2025.csv beside the repository.
BENCH_POSTGRES_URL names the PostgreSQL server (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FILE = REPO.parent / "shared" / "data" / "wilayah_kemendagri_2025.csv"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432"
BENCH_DATABASE = "forkom_bench_import"
FIRST_IMPORT_LIMIT = 20.0
COMMAND_TIMEOUT = 600
SUMMARY = re.compile(
    r"^Regions: created (?P<created>\d+), updated (?P<updated>\d+), "
    r"deactivated (?P<deactivated>\d+), unchanged (?P<unchanged>\d+) "
    r"\((?P<seconds>\d+\.\d) s\)$",
    re.MULTILINE,
)


class BenchError(Exception):
    """The benchmark could not run, or a run broke one of its limits."""


@dataclass
class Run:
    wall_seconds: float
    command_seconds: float
    created: int
    updated: int
    deactivated: int
    unchanged: int

    def changes(self):
        return self.created + self.updated + self.deactivated

    def cell(self):
        return (
            f"{self.wall_seconds:.1f} s ({self.command_seconds:.1f} s in command): "
            f"created {self.created:,}, updated {self.updated:,}, "
            f"deactivated {self.deactivated:,}, unchanged {self.unchanged:,}"
        )


def manage(database_url, *arguments):
    """Run manage.py in a fresh process; returns (stdout, wall-clock seconds)."""
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url}
    started = time.perf_counter()
    try:
        finished = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"manage.py {arguments[0]} ran longer than {COMMAND_TIMEOUT} s") from None
    elapsed = time.perf_counter() - started
    if finished.returncode != 0:
        raise BenchError(
            f"manage.py {' '.join(arguments)} failed (exit {finished.returncode}):\n"
            f"{finished.stderr.strip() or finished.stdout.strip()}"
        )
    return finished.stdout, elapsed


def import_once(database_url, csv_path):
    stdout, elapsed = manage(database_url, "import_regions", str(csv_path))
    match = SUMMARY.search(stdout)
    if match is None:
        raise BenchError(f"no summary line in the output of import_regions:\n{stdout}")
    counts = {name: int(value) for name, value in match.groupdict().items() if name != "seconds"}
    return Run(wall_seconds=elapsed, command_seconds=float(match["seconds"]), **counts)


def bench(database_url, csv_path):
    manage(database_url, "migrate", "--noinput", "--verbosity", "0")
    return import_once(database_url, csv_path), import_once(database_url, csv_path)


def bench_sqlite(csv_path):
    with tempfile.TemporaryDirectory(prefix="forkom-bench-") as directory:
        return bench(f"sqlite:///{directory}/bench.sqlite3", csv_path)


def bench_postgresql(csv_path):
    server = urlsplit(os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_POSTGRES_URL)
    if server.scheme not in {"postgres", "postgresql"}:
        raise BenchError(f"BENCH_POSTGRES_URL must be postgres://user@host:port, not {server}")
    maintenance_url = urlunsplit(server._replace(path="/postgres", query="", fragment=""))
    bench_url = urlunsplit(server._replace(path=f"/{BENCH_DATABASE}"))
    database = sql.Identifier(BENCH_DATABASE)
    try:
        with psycopg.connect(maintenance_url, autocommit=True) as connection:
            # Left over only if an earlier run of this script was killed.
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
            connection.execute(sql.SQL("CREATE DATABASE {}").format(database))
    except psycopg.OperationalError as error:
        raise BenchError(f"cannot reach PostgreSQL at {server.netloc}: {error}") from None
    try:
        return bench(bench_url, csv_path)
    finally:
        with psycopg.connect(maintenance_url, autocommit=True) as connection:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))


BACKENDS = {"sqlite": bench_sqlite, "postgresql": bench_postgresql}


def problems_of(first, second, rows):
    problems = []
    if first.created != rows or first.changes() != rows:
        problems.append(
            f"the first import into an empty database created {first.created:,} "
            f"of {rows:,} rows (updated {first.updated:,}, deactivated "
            f"{first.deactivated:,})"
        )
    if first.wall_seconds >= FIRST_IMPORT_LIMIT:
        problems.append(
            f"the first import took {first.wall_seconds:.1f} s (limit {FIRST_IMPORT_LIMIT:.0f} s)"
        )
    if second.wall_seconds >= first.wall_seconds:
        problems.append(
            f"the second import ({second.wall_seconds:.1f} s) is not faster than the first "
            f"({first.wall_seconds:.1f} s)"
        )
    if second.changes() or second.unchanged != rows:
        problems.append(f"the second import changed rows: {second.cell()}")
    return problems


def count_rows(csv_path):
    with csv_path.open(encoding="utf-8-sig", newline="") as lines:
        return sum(1 for record in csv.reader(lines) if record and record != [""]) - 1


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "file", nargs="?", type=Path, default=DEFAULT_FILE, help="the region CSV to import"
    )
    parser.add_argument(
        "--backend",
        choices=BACKENDS,
        action="append",
        help="bench only this backend (repeatable; default: all)",
    )
    arguments = parser.parse_args(argv)
    csv_path = arguments.file.resolve()
    if not csv_path.is_file():
        print(f"bench-import: no region file at {csv_path}", file=sys.stderr)
        return 2
    rows = count_rows(csv_path)
    print(f"Region import of {csv_path} ({rows:,} rows), each run a fresh process")
    print("(wall clock includes Django start-up; the command's own time is in parentheses)\n")
    print("| backend | first import | second import |")
    print("| --- | --- | --- |")
    failures = []
    for name in arguments.backend or BACKENDS:
        try:
            first, second = BACKENDS[name](csv_path)
        except BenchError as error:
            print(f"| {name} | failed | failed |", flush=True)
            failures.append(f"{name}: {error}")
            continue
        print(f"| {name} | {first.cell()} | {second.cell()} |", flush=True)
        failures.extend(f"{name}: {problem}" for problem in problems_of(first, second, rows))
    if failures:
        print("\nbench-import FAILED:\n" + "\n".join(failures), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
