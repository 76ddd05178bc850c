"""Page times at national scale on PostgreSQL: `make bench`.

Against BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/forkom_scale) this
creates the database when it is missing, migrates it, and seeds it with `manage.py
seed_scale` (default sizes: a million cadres) unless seeded data is already there. It then
starts the site in this process, as in production (DEBUG off, HTTPS requests), and times each
page through Django's test client: the whole server side (middleware, view, queries,
template), no network. Each page is asked for a few times to warm up, then --requests times;
the table gives the median and the 95th percentile, and the throughput of each page as a
share of the trivial view's (its median over the page's). A signed-in page with no work of
its own (the privacy page as the coordinator) is timed too: the floor every signed-in page
stands on. Last come the EXPLAIN ANALYZE plans of the queries behind the cadre list and
the dashboards that took --explain-over ms or more (for the cadre list, at least its two
slowest).

Goals on this machine (median server time): the city dashboard under 150 ms, the province
dashboard under 500 ms, the cadre list and the proposal page at least 0.10 of the trivial
view's throughput. Exit status 1 when a goal is missed or a page fails, with the reason; a
dashboard whose URL does not exist yet is reported as missing, and counts as missed.

    .venv/bin/python bench/dashboards.py [--requests 30] [--warmup 5] [--explain-over 5]
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
SEED_EMAIL_LIKE = "kader%@seed.forkom.invalid"
PILOT_KOTA = "64.74"  # Kota Bontang
PILOT_PROVINCE = "64"  # Kalimantan Timur
CITY_GOAL_MS = 150
PROVINCE_GOAL_MS = 500
THROUGHPUT_GOAL = 0.10
SIGNED_IN_FLOOR = "signed-in floor (privacy page)"


class BenchError(Exception):
    """The benchmark could not run."""


@dataclass
class Page:
    name: str
    path: str
    viewer: str
    goal_ms: float | None = None
    goal_throughput: float | None = None
    explain: bool = False
    status: str = ""
    queries: int | None = None
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
        seeded = connection.execute(
            "SELECT EXISTS (SELECT 1 FROM accounts_user WHERE email LIKE %s)", [SEED_EMAIL_LIKE]
        ).fetchone()[0]
    if seeded:
        print(f"Reusing the seeded database {name}")
        return None
    print(f"Seeding {name} with manage.py seed_scale (default sizes): about two minutes")
    started = time.monotonic()
    manage(database_url, "seed_scale", capture=False)
    return time.monotonic() - started


# --- the site, in this process ----------------------------------------------------------


def start_django(database_url):
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


def personas():
    """Who asks for each page: the Bontang coordinator, Dinas staff of Kalimantan Timur."""
    from forkom.accounts.models import Role, RoleAssignment
    from programs.models import Proposal

    def holder(role, code):
        assignment = (
            RoleAssignment.objects.current()
            .filter(role=role, region_id=code, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if assignment is None:
            raise BenchError(f"nobody holds {role} at {code}: is the database seeded?")
        return assignment.user

    coordinator = holder(Role.CITY_COORDINATOR, PILOT_KOTA)
    staff = holder(Role.DINAS_STAFF, PILOT_PROVINCE)
    # A proposal waiting for the coordinator: the page with the decision buttons.
    proposal = (
        Proposal.objects.filter(
            location__code__startswith=PILOT_KOTA + ".", state=Proposal.State.RECOMMENDED
        )
        .order_by("pk")
        .first()
    )
    if proposal is None:
        raise BenchError(f"no recommended proposal in {PILOT_KOTA}: is the database seeded?")
    return {"anonymous": None, "coordinator": coordinator, "staff": staff}, proposal


def dashboard_path(name, code, fallback):
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs={"code": code})
    except NoReverseMatch:
        return fallback


def pages(proposal):
    return [
        Page("trivial view", "/healthz", "anonymous"),
        Page("home page", "/", "anonymous"),
        # No work of its own: what any signed-in page pays first (session, user, roles, the
        # navigation of the base template). Printed so the list and detail figures can be
        # read against it.
        Page(SIGNED_IN_FLOOR, "/privasi/", "coordinator"),
        Page(
            "cadre list",
            "/kader/daftar-kader/",
            "coordinator",
            goal_throughput=THROUGHPUT_GOAL,
            explain=True,
        ),
        Page(
            "proposal page",
            proposal.get_absolute_url(),
            "coordinator",
            goal_throughput=THROUGHPUT_GOAL,
        ),
        Page(
            "city dashboard",
            dashboard_path("dashboard:city", PILOT_KOTA, f"/dasbor/kota/{PILOT_KOTA}/"),
            "coordinator",
            goal_ms=CITY_GOAL_MS,
            explain=True,
        ),
        Page(
            "province dashboard",
            dashboard_path(
                "dashboard:province", PILOT_PROVINCE, f"/dasbor/provinsi/{PILOT_PROVINCE}/"
            ),
            "staff",
            goal_ms=PROVINCE_GOAL_MS,
            explain=True,
        ),
    ]


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


def measure(page, client, *, warmup, requests):
    from django.urls import Resolver404, resolve

    response = client.get(page.path, secure=True)
    if response.status_code == 404:
        try:
            resolve(page.path)
        except Resolver404:
            page.status = "missing"
            return
    if response.status_code != 200:
        page.status = f"HTTP {response.status_code}"
        return
    page.status = "ok"
    for _ in range(warmup):
        client.get(page.path, secure=True)
    page.queries = len(run_queries(client, page.path))
    for _ in range(requests):
        started = time.perf_counter()
        client.get(page.path, secure=True)
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
        f"PostgreSQL {server}\nData: {', '.join(counts)}"
    )


def run(arguments):
    database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    seed_seconds = prepare_database(database_url)
    if seed_seconds is not None:
        print(f"Seeded in {seed_seconds:.0f} s")
    start_django(database_url)
    from django.test import Client

    viewers, proposal = personas()
    describe_machine()
    clients = {}
    for name, user in viewers.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
    measured = pages(proposal)
    for page in measured:
        measure(page, clients[page.viewer], warmup=arguments.warmup, requests=arguments.requests)
    trivial = measured[0]
    if trivial.status != "ok":
        raise BenchError(f"the trivial view {trivial.path} answered {trivial.status}")
    print(
        f"\nServer time of {arguments.requests} requests per page after {arguments.warmup} "
        "to warm up (Django test client in-process, DEBUG off)\n"
    )
    print("| page | as | queries | median | p95 | throughput vs trivial | goal |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    problems = []
    for page in measured:
        goal = ""
        if page.goal_ms:
            goal = f"median < {page.goal_ms} ms"
        elif page.goal_throughput:
            goal = f"≥ {page.goal_throughput:.2f}"
        if page.status != "ok":
            print(f"| {page.name} `{page.path}` | {page.viewer} | | {page.status} | | | {goal} |")
            problems.append(f"{page.name} ({page.path}): {page.status}")
            continue
        ratio = trivial.median / page.median
        print(
            f"| {page.name} `{page.path}` | {page.viewer} | {page.queries} | "
            f"{page.median:.1f} ms | {page.p95:.1f} ms | {ratio:.2f} | {goal} |"
        )
        if page.goal_ms and page.median >= page.goal_ms:
            problems.append(
                f"{page.name}: median {page.median:.0f} ms, goal under {page.goal_ms} ms"
            )
        if page.goal_throughput and ratio < page.goal_throughput:
            problems.append(
                f"{page.name}: throughput {ratio:.2f} of the trivial view's, "
                f"goal at least {page.goal_throughput:.2f}"
            )
    floor = next(page for page in measured if page.name == SIGNED_IN_FLOOR)
    if floor.status == "ok":
        print(
            f"\nA signed-in page with no work of its own takes {floor.median:.1f} ms, "
            f"{trivial.median / floor.median:.2f} of the trivial view's throughput: the most "
            "any signed-in list or detail page can reach without caching its response."
        )
    print("\n## EXPLAIN ANALYZE")
    for page in measured:
        if page.explain and page.status == "ok":
            explain(page, clients[page.viewer], over_ms=arguments.explain_over, at_least=2)
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests first")
    parser.add_argument(
        "--explain-over",
        type=float,
        default=5.0,
        metavar="MS",
        help="EXPLAIN ANALYZE the queries that took this long or longer",
    )
    arguments = parser.parse_args(argv)
    if arguments.requests < 1 or arguments.warmup < 0:
        parser.error("--requests must be 1 or more and --warmup 0 or more")
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
