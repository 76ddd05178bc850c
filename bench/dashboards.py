"""Page times at national scale on PostgreSQL: `make bench`.

Against BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/forkom_scale) this
creates the database when it is missing, migrates it, and seeds it with `manage.py
seed_scale` (default sizes: a million cadres) unless seeded data is already there. It then
starts the site in this process, as in production (DEBUG off, HTTPS requests, the cache and
the sessions' cache in Redis at BENCH_REDIS_URL, default redis://127.0.0.1:6379/15; empty
for none), and times every GET page of the site and the admin listed in bench/pages.py
(ROUTES, and `/` signed in as each persona, SIGNED_IN_FACES; what is not timed is in
EXCLUDED with the reason, and tests/site/test_bench_coverage.py keeps the two complete)
through Django's test client, each as its natural persona of Kota Bontang: the whole server
side (middleware, view, queries, template), no network. What the seed lacks (an
announcement, a meeting, the staff persona's second factor) is made through the services
first and deleted at the end. Each page is asked for a few times to warm up, then --requests
times, spread over --rounds rounds that each go through every page in turn (so that a noisy
minute of a shared machine falls on every page and its baseline alike); the table gives the
median and the 95th percentile and the throughput as a share of its baseline's (the
baseline's median over the page's): the trivial view `/livez` for the visitor's pages, the
signed-in floor (the privacy page, no work of its own) as the same persona for the others.
Last come the EXPLAIN ANALYZE plans of the queries behind the cadre list and the dashboards
that took --explain-over ms or more (at least the two slowest).

Goals on this machine (median server time, issue 18): the city dashboard under 75 ms, the
province dashboard under 200 ms, the signed-in floor at least 0.30 of the trivial view's
throughput; every page of the visitor at least 0.20 of the trivial view's, every signed-in
list and detail page at least 0.50 of its persona's signed-in floor. The probes (/livez,
/healthz with its three checks on connections of their own) are timed without a goal. The table is
always complete; then the exit status is 1 when a goal is missed or a page fails (not 2xx
or 3xx), with the reasons, and 2 when the benchmark cannot run.

    .venv/bin/python bench/dashboards.py [--requests 20] [--warmup 3] [--rounds 4]
        [--only REGEX] [--explain-over 5]
"""

import argparse
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/forkom_scale"
# Production caches sessions in Redis (docs/operations.md); BENCH_REDIS_URL= (empty) runs
# without it, on the database cache and sessions.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
SEED_EMAIL_LIKE = "kader%@seed.forkom.invalid"
CITY_GOAL_MS = 75
PROVINCE_GOAL_MS = 200
# Issue 18: every page of the visitor at least 0.20 of the trivial view's throughput, every
# signed-in list and detail page at least 0.50 of the signed-in floor's (same persona).
ANONYMOUS_GOAL = 0.20
SIGNED_IN_GOAL = 0.50
FLOOR_GOAL = 0.30  # the signed-in floor against the trivial view
GOALS_MS = {"dashboard:city": CITY_GOAL_MS, "dashboard:province": PROVINCE_GOAL_MS}
EXPLAINED = {"cadres:list", "dashboard:city", "dashboard:province"}
SIGNED_IN_FLOOR = "signed-in floor (privacy page)"
TRIVIAL_VIEW = "livez (trivial view)"
SLOW_REQUESTS = 5


class BenchError(Exception):
    """The benchmark could not run."""


@dataclass
class Page:
    name: str
    url_name: str
    path: str
    viewer: str
    kind: str
    goal_ms: float | None = None
    explain: bool = False
    status: str = ""
    code: int | None = None
    location: str = ""
    queries: int | None = None
    planned: int = 0  # timed requests, spread over the rounds
    times_ms: list = field(default_factory=list)

    @property
    def median(self):
        return statistics.median(self.times_ms)

    @property
    def p95(self):
        ordered = sorted(self.times_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]


# --- the database: create, migrate, seed ------------------------------------------------


def manage(database_url, *arguments, capture=True):
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url}
    finished = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=REPO,
        env=env,
        capture_output=capture,
        text=True,
    )
    if finished.returncode != 0:
        detail = (finished.stderr or finished.stdout or "").strip() if capture else ""
        raise BenchError(f"manage.py {' '.join(arguments)} failed:\n{detail}")


def prepare_database(database_url):
    """Create, migrate and seed the benchmark database; returns the seed's seconds or None."""
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql"} or not parts.path.strip("/"):
        raise BenchError(f"BENCH_DATABASE_URL must be postgres://user@host:port/name: {parts}")
    name = parts.path.strip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if not exists:
                print(f"Creating the database {name}")
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        raise BenchError(f"cannot reach PostgreSQL at {parts.netloc}: {error}") from None
    manage(database_url, "migrate", "--noinput", "--verbosity", "0")
    manage(database_url, "createcachetable")
    manage(database_url, "collectstatic", "--noinput", "--verbosity", "0")
    with psycopg.connect(database_url) as connection:
        [seeded] = connection.execute(
            "SELECT EXISTS (SELECT 1 FROM accounts_user WHERE email LIKE %s)", [SEED_EMAIL_LIKE]
        ).fetchall()[0]
    if seeded:
        print(f"Reusing the seeded database {name}")
        return None
    print(f"Seeding {name} with manage.py seed_scale (default sizes): about two minutes")
    started = time.monotonic()
    manage(database_url, "seed_scale", capture=False)
    return time.monotonic() - started


# --- the site, in this process ----------------------------------------------------------


def redis_url():
    return os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)


def start_django(database_url):
    if redis_url():
        os.environ["REDIS_URL"] = redis_url()
    else:
        os.environ.pop("REDIS_URL", None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "forkom.settings",
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-" + "x" * 50,
            "ALLOWED_HOSTS": "testserver",
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(REPO))
    import logging

    import django

    django.setup()
    # A page that is not built yet answers 404: reported in the table, not as a warning.
    logging.getLogger("django.request").setLevel(logging.ERROR)


def build_pages(seed):
    """The trivial view, the signed-in floor of every persona, then every route of
    bench/pages.py in its order."""
    from pages import ANONYMOUS, PERSONAS, timed

    measured = [Page(TRIVIAL_VIEW, "livez", "/livez", ANONYMOUS, "probe")]
    # No work of its own: what any signed-in page pays first (session, user, roles, the
    # navigation of the base template), as each persona. Every signed-in page is read
    # against its persona's floor.
    measured += [
        Page(SIGNED_IN_FLOOR, "privacy", "/privasi/", persona, "detail")
        for persona in PERSONAS
        if persona != ANONYMOUS
    ]
    for name, url_name, route in timed():
        if name == "livez":  # the trivial view, first in the table
            continue
        page = Page(name, url_name, "", route.persona, route.kind)
        try:
            page.path = route.path(seed)
        except Exception as error:  # a row missing from the seed: reported in the table
            page.status = f"no path: {error}"
        page.goal_ms = GOALS_MS.get(name)
        page.explain = name in EXPLAINED
        measured.append(page)
    return measured


def signed_in_clients(seed):
    """A test client for each persona of the seed, signed in as it (the visitor's is not)."""
    from django.test import Client

    clients = {}
    for name, user in seed.users.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
    return clients


def run_queries(client, path):
    """The queries of one request, on every database (the primary and any read replica)."""
    from contextlib import ExitStack

    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    with ExitStack() as stack:
        contexts = [
            stack.enter_context(CaptureQueriesContext(connection))
            for connection in connections.all()
        ]
        client.get(path, secure=True)
    return [query for context in contexts for query in context.captured_queries]


def fetch(client, path):
    """One request, its body read to the end (exports stream theirs)."""
    response = client.get(path, secure=True)
    if response.streaming:
        for _chunk in response.streaming_content:
            pass
    response.close()
    return response


def first_answer(page, client, *, warmup, requests, slow_ms):
    """The page's first answer, its warm-up and its queries; plans its timed requests."""
    if page.status:  # no path to ask for
        return
    started = time.perf_counter()
    response = fetch(client, page.path)
    first_ms = (time.perf_counter() - started) * 1000
    page.code = response.status_code
    if not 200 <= response.status_code < 400:
        page.status = f"HTTP {response.status_code}"
        return
    page.status = "ok"
    if response.status_code >= 300:
        page.location = response.get("Location", "")
    if first_ms >= slow_ms:  # exports and the heaviest pages: fewer requests
        warmup, requests = min(warmup, 1), min(requests, SLOW_REQUESTS)
    for _ in range(warmup):
        fetch(client, page.path)
    page.queries = len(run_queries(client, page.path))
    page.planned = requests


def timed_rounds(measured, clients, rounds):
    """Every page's timed requests, spread over `rounds` rounds that each go through all
    the pages in turn: a noisy minute of a shared machine then falls on every page and its
    baseline alike, instead of on a few pages in a row."""
    for round_ in range(rounds):
        for page in measured:
            if page.status != "ok":
                continue
            share = page.planned // rounds + (1 if round_ < page.planned % rounds else 0)
            for _ in range(share):
                started = time.perf_counter()
                fetch(clients[page.viewer], page.path)
                page.times_ms.append((time.perf_counter() - started) * 1000)


def explain(page, client, *, over_ms, at_least):
    """EXPLAIN ANALYZE of the page's slow SELECTs, slowest first."""
    from django.db import connection

    selects = sorted(
        (
            (float(query["time"]) * 1000, query["sql"])
            for query in run_queries(client, page.path)
            if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
        ),
        reverse=True,
    )
    chosen = [
        entry for rank, entry in enumerate(selects) if entry[0] >= over_ms or rank < at_least
    ]
    print(f"\n### {page.name} ({page.path}): {len(selects)} SELECTs, {len(chosen)} shown\n")
    with connection.cursor() as cursor:
        for milliseconds, statement in chosen:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
            plan = "\n".join(f"    {line}" for (line,) in cursor.fetchall())
            print(f"{milliseconds:.1f} ms in the request:\n    {statement}\n{plan}\n")


def describe_machine():
    from django.db import connection

    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        counts = []
        for table, label in [
            ("cadres_cadreprofile", "cadres"),
            ("programs_proposal", "proposals"),
            ("trainings_training", "trainings"),
            ("trainings_registration", "sign-ups"),
            ("territory_region", "regions"),
        ]:
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts.append(f"{cursor.fetchone()[0]:,} {label}")
    print(
        f"Machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"PostgreSQL {server}, {describe_cache()}\nData: {', '.join(counts)}"
    )


def describe_cache():
    """Whether sessions and the cache are in Redis, as in production, for this run."""
    from django.conf import settings

    if not settings.REDIS_URL:
        return "no Redis (database cache and sessions)"
    from django.core.cache import cache

    try:
        info = cache._cache.get_client().info("server")  # type: ignore[attr-defined]
    except Exception as error:
        raise BenchError(f"Redis at {settings.REDIS_URL} does not answer: {error}") from None
    return f"Redis {info['redis_version']} (cache, sessions cached)"


def goal_cells(page, trivial, floors):
    """(the ratio to the page's baseline, its goal cell, the misses) of one measured page."""
    from pages import ANONYMOUS, SIGNED_IN_GOAL_KINDS

    baseline = trivial if page.viewer == ANONYMOUS else floors.get(page.viewer)
    ratio = None
    if baseline is not None and baseline.times_ms and page.times_ms:
        ratio = baseline.median / page.median
    goals, misses = [], []

    def check(met, text, miss):
        goals.append(f"{text}: {'met' if met else '**missed**'}")
        if not met:
            misses.append(miss)

    if page is trivial or page.kind == "probe":
        return ratio, "", misses
    if page.name == SIGNED_IN_FLOOR:
        share = trivial.median / page.median
        check(
            share >= FLOOR_GOAL,
            f"≥ {FLOOR_GOAL:.2f} of trivial ({share:.2f})",
            f"{share:.2f} of the trivial view's throughput, goal at least {FLOOR_GOAL:.2f}",
        )
        return ratio, "; ".join(goals), misses
    if page.goal_ms:
        check(
            page.median < page.goal_ms,
            f"median < {page.goal_ms} ms",
            f"median {page.median:.0f} ms, goal under {page.goal_ms} ms",
        )
    if ratio is not None and page.viewer == ANONYMOUS:
        check(
            ratio >= ANONYMOUS_GOAL,
            f"≥ {ANONYMOUS_GOAL:.2f}",
            f"{ratio:.2f} of the trivial view's throughput, goal at least {ANONYMOUS_GOAL:.2f}",
        )
    elif ratio is not None and page.kind in SIGNED_IN_GOAL_KINDS:
        check(
            ratio >= SIGNED_IN_GOAL,
            f"≥ {SIGNED_IN_GOAL:.2f}",
            f"{ratio:.2f} of the signed-in floor's throughput ({page.viewer}), goal at least "
            f"{SIGNED_IN_GOAL:.2f}",
        )
    return ratio, "; ".join(goals), misses


def print_table(measured, trivial, floors):
    print(
        "| page | as | kind | HTTP | queries | median | p95 | n | vs baseline | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    problems: list[str] = []
    missed_by_kind: dict[str, int] = {}
    for page in measured:
        label = f"{page.name} `{page.path}`" if page.path else page.name
        if page.status != "ok":
            print(f"| {label} | {page.viewer} | {page.kind} | | | {page.status} | | | | |")
            problems.append(f"{page.name} ({page.path or 'no path'}): {page.status}")
            continue
        ratio, goal, misses = goal_cells(page, trivial, floors)
        shown = "" if ratio is None else f"{ratio:.2f}"
        print(
            f"| {label} | {page.viewer} | {page.kind} | {page.code} | {page.queries} | "
            f"{page.median:.1f} ms | {page.p95:.1f} ms | {len(page.times_ms)} | {shown} | "
            f"{goal} |"
        )
        problems += [f"{page.name} as {page.viewer}: {miss}" for miss in misses]
        if misses:
            missed_by_kind[page.kind] = missed_by_kind.get(page.kind, 0) + 1
    return problems, missed_by_kind


def forget_sessions(clients):
    for client in clients.values():
        client.logout()


def run(arguments):
    import re

    database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    seed_seconds = prepare_database(database_url)
    if seed_seconds is not None:
        print(f"Seeded in {seed_seconds:.0f} s")
    start_django(database_url)
    import pages as routes
    from django.utils import timezone

    from cadres.models import PersonalDataView

    try:
        seed = routes.find_seed()
    except routes.SeedMissing as error:
        raise BenchError(str(error)) from None
    describe_machine()
    print(
        "Personas: "
        + ", ".join(f"{name} {user.email}" for name, user in seed.users.items() if user)
        + f"; cadre's kelurahan {seed.kelurahan}, training's kecamatan {seed.kecamatan}"
    )
    began = timezone.now()
    clients = {}
    try:
        routes.make_extras(seed)
        clients = signed_in_clients(seed)
        measured = build_pages(seed)
        if arguments.only:
            keep = re.compile(arguments.only)
            measured = [
                page
                for page in measured
                if page.name in {TRIVIAL_VIEW, SIGNED_IN_FLOOR} or keep.search(page.name)
            ]
        for page in measured:
            first_answer(
                page,
                clients[page.viewer],
                warmup=arguments.warmup,
                requests=arguments.requests,
                slow_ms=arguments.slow_ms,
            )
        timed_rounds(measured, clients, arguments.rounds)
        trivial = measured[0]
        if trivial.status != "ok":
            raise BenchError(f"the trivial view {trivial.path} answered {trivial.status}")
        floors = {
            page.viewer: page
            for page in measured
            if page.name == SIGNED_IN_FLOOR and page.status == "ok"
        }
        print(
            f"\nServer time of {arguments.requests} requests per page, in {arguments.rounds} "
            f"interleaved rounds, after {arguments.warmup} "
            f"to warm up ({SLOW_REQUESTS} after 1 for a page whose first answer took "
            f"{arguments.slow_ms:.0f} ms or more; Django test client in-process, DEBUG off). "
            "Baseline: the trivial view for the visitor's pages, the signed-in floor (the "
            "privacy page) as the same persona for the others; the ratio is the baseline's "
            "median over the page's.\n"
        )
        problems, missed_by_kind = print_table(measured, trivial, floors)
        timed = sum(1 for page in measured if page.status == "ok")
        print(
            f"\n{timed} of {len(measured)} pages timed; {len(routes.EXCLUDED)} routes excluded "
            "(bench/pages.py EXCLUDED): "
            + ", ".join(
                f"{count} {reason}"
                for reason, count in sorted(
                    _count_reasons(routes.EXCLUDED).items(), key=lambda item: -item[1]
                )
            )
        )
        if missed_by_kind:
            print(
                "Goals missed by kind: "
                + ", ".join(f"{kind} {count}" for kind, count in sorted(missed_by_kind.items()))
            )
        if not arguments.explain_over < 0:
            print("\n## EXPLAIN ANALYZE")
            for page in measured:
                if page.explain and page.status == "ok":
                    explain(page, clients[page.viewer], over_ms=arguments.explain_over, at_least=2)
        return problems
    finally:
        forget_sessions(clients)
        # The cadre's page records each look at it (who saw whose data): the bench's are noise.
        PersonalDataView.objects.filter(
            viewer__in=[user for user in seed.users.values() if user], at__gte=began
        ).delete()
        routes.remove_extras(seed)


def _count_reasons(excluded):
    counts: dict[str, int] = {}
    for reason in excluded.values():
        key = reason.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    return counts


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests first")
    parser.add_argument(
        "--rounds",
        type=int,
        default=4,
        help="interleaved rounds over all the pages that share the timed requests",
    )
    parser.add_argument(
        "--slow-ms",
        type=float,
        default=300.0,
        metavar="MS",
        help=f"a page whose first answer takes this long gets 1 + {SLOW_REQUESTS} requests",
    )
    parser.add_argument("--only", metavar="REGEX", help="time only the URL names that match")
    parser.add_argument(
        "--explain-over",
        type=float,
        default=5.0,
        metavar="MS",
        help="EXPLAIN ANALYZE the queries that took this long or longer",
    )
    arguments = parser.parse_args(argv)
    if arguments.requests < 1 or arguments.warmup < 0 or arguments.rounds < 1:
        parser.error("--requests and --rounds must be 1 or more, --warmup 0 or more")
    try:
        problems = run(arguments)
    except BenchError as error:
        print(f"bench FAILED: {error}", file=sys.stderr)
        return 2
    if problems:
        print("\nbench: goals MISSED:\n" + "\n".join(f"- {p}" for p in problems), file=sys.stderr)
        return 1
    print("\nbench: every goal met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
