"""`make bench-stock` (bench/stock_django.py, docs/performance.md) keeps working: a small run
of stock Django on PostgreSQL times every page and drops its database; a database whose name
could be anyone's is refused before anything is dropped."""

import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parents[2]
PAGES = [
    "trivial", "public list", "public detail", "floor", "signed-in list", "signed-in detail",
    "admin floor", "admin index",
    "changelist, short", "changelist", "changelist, filtered", "change form", "history",
]  # fmt: skip


def run_bench(database_url):
    return subprocess.run(
        [
            sys.executable, "bench/stock_django.py",
            "--rows", "60", "--requests", "3", "--rounds", "1",
        ],
        cwd=REPO,
        env={**os.environ, "BENCH_STOCK_DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )  # fmt: skip


def test_a_small_run_times_every_page_and_drops_its_database(postgresql_only):
    parts = urlsplit(os.environ["DATABASE_URL"])
    name = f"forkom_bench_stock_test_{os.getpid()}"
    finished = run_bench(urlunsplit(parts._replace(path=f"/{name}")))
    output = finished.stdout + finished.stderr
    assert finished.returncode == 0, output
    for page in PAGES:
        assert re.search(
            rf"^\| {re.escape(page)} `/[^`]*` \| .+ \| [\d.]+ ms \| [\d.]+ ms \| [\d.]+ \|$",
            output,
            re.MULTILINE,
        ), f"{page} not timed:\n{output}"
    assert re.search(r"The signed-in floor against the trivial view: [\d.]+;", output)
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server) as connection:
        left = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        assert left.fetchone() is None


def test_a_database_not_named_for_the_bench_is_refused():
    finished = run_bench("postgres://postgres@127.0.0.1:5432/forkom")
    assert finished.returncode == 2
    assert "must be postgres://user@host:port/forkom_bench_stock" in finished.stderr
    assert "Stock Django" not in finished.stdout
