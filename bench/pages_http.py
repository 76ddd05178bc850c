"""Requests per second under concurrent load, through gunicorn: `make bench-http`.

On the database of `make bench` (BENCH_DATABASE_URL, seeded on first use) this serves the
site as `make serve` does (gunicorn with forkom/gunicorn_config.py, sync workers, DEBUG off)
with 2 workers on 127.0.0.1 and a free port, and loads a representative set of pages one
after the other with `wrk` (--seconds each, --connections at once; without wrk, a small
load generator of threads with http.client). Production settings expect HTTPS behind a
proxy: the server trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER=true) and every request
carries `X-Forwarded-Proto: https`. A signed-in page is asked for with the session cookie of
its persona (bench/pages.py), made in the database before the load and deleted after it.

Goals: every page at least 0.02 of the trivial view's (/livez) requests per second, and no
answer that is not 2xx or 3xx (/healthz, with its three checks, is timed without a goal).
Exit status 1 when one is missed (the table is printed first), 2 when the benchmark cannot
run.

    .venv/bin/python bench/pages_http.py [--seconds 5] [--connections 8] [--workers 2]
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import dashboards
from dashboards import (
    DEFAULT_DATABASE_URL,
    BenchError,
    prepare_database,
    redis_url,
    start_django,
)

REPO = Path(__file__).resolve().parents[1]
RATIO_GOAL = 0.02
# (label, URL name in bench/pages.py ROUTES, persona or None for the route's own)
PAGES = [
    ("trivial view", "livez", None),
    # Readiness: three checks, each on a connection of its own. Timed, without a goal.
    ("health checks", "healthz", None),
    ("home page", "home", None),
    ("training catalogue", "trainings:list", None),
    ("forum directory", "forums:directory", None),
    ("signed-in floor (privacy page)", "privacy", "coordinator"),
    # `/` signed in: what the person has to do now, the first page after signing in.
    ("a cadre's home", "home", "cadre"),
    ("Dinas staff's home", "home", "staff"),
    ("cadre list", "cadres:list", None),
    ("proposal page", "programs:detail", None),
    ("city dashboard", "dashboard:city", None),
]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(database_url, port, workers, secret_key):
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "forkom.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_PROXY_SSL_HEADER": "true",
        "LOG_LEVEL": "ERROR",
        "REDIS_URL": redis_url(),
    }
    from forkom.serving import gunicorn_command

    server = subprocess.Popen(
        gunicorn_command(port=port, workers=workers),
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,  # the access log: one line a request
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            said = server.stderr.read() if server.stderr else ""
            raise BenchError(f"gunicorn stopped at start:\n{said[-2000:]}")
        try:
            if ask(port, "/healthz", {"X-Forwarded-Proto": "https"})[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise BenchError("gunicorn did not answer /healthz within 30 s")


def cpu_seconds(server_pid):
    """CPU time used so far (user + system, seconds) by the gunicorn server and its workers,
    by PostgreSQL's processes, and by this process's finished children (the load
    generator): where a page's time goes under load. None where /proc cannot tell (not
    Linux, or PostgreSQL run by another user the kernel hides)."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    app = database = 0.0
    try:
        entries = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return None
    parents = {}
    for entry in entries:
        try:
            with open(f"/proc/{entry}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces, so split after its ")".
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        used = (int(fields[11]) + int(fields[12])) / ticks
        parents[int(entry)] = (int(fields[1]), name, used)
    for pid, (ppid, name, used) in parents.items():
        if pid == server_pid or ppid == server_pid:
            app += used
        elif name == "postgres" or name.startswith("postgres:"):
            database += used
    children = os.times()
    return {
        "app": app,
        "database": database,
        "load": children.children_user + children.children_system,
    }


def ask(port, path, headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location", "")
    finally:
        connection.close()


def load_with_wrk(port, path, headers, *, seconds, connections):
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "30s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    finished = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True
    )
    if finished.returncode != 0:
        raise BenchError(f"wrk failed: {finished.stderr.strip()}")
    out = finished.stdout

    def number(pattern, default="0"):
        found = re.search(pattern, out)
        return found.group(1) if found else default

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    return {
        "rate": float(number(r"Requests/sec:\s+([\d.]+)")),
        "requests": int(number(r"(\d+) requests in")),
        "bad": int(number(r"Non-2xx or 3xx responses: (\d+)")),
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "p50": number(r"\s50%\s+(\S+)", "?"),
        "p99": number(r"\s99%\s+(\S+)", "?"),
    }


def load_with_threads(port, path, headers, *, seconds, connections):
    """Without wrk: `connections` threads asking in a loop for `seconds`."""
    times, bad, errors, lock = [], [0], [0], threading.Lock()
    deadline = time.monotonic() + seconds

    def worker():
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                status, _ = ask(port, path, headers)
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                times.append(time.perf_counter() - started)
                if not 200 <= status < 400:
                    bad[0] += 1

    began = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(times) or [0.0]
    return {
        "rate": len(times) / elapsed,
        "requests": len(times),
        "bad": bad[0],
        "errors": errors[0],
        "p50": f"{ordered[len(ordered) // 2] * 1000:.1f}ms",
        "p99": f"{ordered[int(len(ordered) * 0.99) - 1 if len(ordered) > 1 else 0] * 1000:.1f}ms",
    }


def run(arguments):
    database_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    prepare_database(database_url)
    start_django(database_url)
    import pages as routes
    from django.conf import settings
    from django.test import Client

    try:
        seed = routes.find_seed()
    except routes.SeedMissing as error:
        raise BenchError(str(error)) from None
    dashboards.describe_machine()
    loader = load_with_wrk if shutil.which("wrk") else load_with_threads
    keep = re.compile(arguments.only) if arguments.only else None
    clients = {}
    port = free_port()
    server = start_gunicorn(database_url, port, arguments.workers, settings.SECRET_KEY)
    results = []
    try:
        for label, name, persona in PAGES:
            if keep and name != "livez" and not keep.search(name):
                continue
            route = routes.ROUTES[name]
            persona = persona or route.persona
            headers = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
            if seed.users[persona] is not None:
                if persona not in clients:
                    clients[persona] = Client()
                    clients[persona].force_login(seed.users[persona])
                cookie = clients[persona].cookies[settings.SESSION_COOKIE_NAME].value
                headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={cookie}"
            path = route.path(seed)
            status, location = ask(port, path, headers)
            # Warm both workers' connections and caches on this page first.
            loader(port, path, headers, seconds=1, connections=arguments.connections)
            result = {"label": label, "path": path, "persona": persona, "status": status}
            if location:
                result["location"] = location
            before = cpu_seconds(server.pid)
            result |= loader(
                port, path, headers, seconds=arguments.seconds, connections=arguments.connections
            )
            after = cpu_seconds(server.pid)
            if before and after and result["requests"]:
                result["cpu"] = {
                    part: (after[part] - before[part]) * 1000 / result["requests"]
                    for part in after
                }
            results.append(result)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        for client in clients.values():
            client.logout()
    trivial = results[0]["rate"]
    print(
        f"\nRequests per second through gunicorn ({arguments.workers} sync workers, DEBUG off, "
        f"127.0.0.1), {loader.__name__.removeprefix('load_with_')}: {arguments.connections} "
        f"connections for {arguments.seconds} s per page\n"
    )
    print(
        "| page | as | first answer | requests/s | vs /livez | p50 | p99 | "
        "CPU ms per request: app / database / load | non-2xx/3xx | socket errors | goal |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    problems = []
    for result in results:
        ratio = result["rate"] / trivial if trivial else 0.0
        missed = []
        if ratio < RATIO_GOAL and result["path"] != "/healthz":
            missed.append(f"{ratio:.3f} of /livez, goal at least {RATIO_GOAL}")
        if result["bad"] or result["errors"] or not 200 <= result["status"] < 400:
            missed.append(
                f"first answer {result['status']}, {result['bad']} answers not 2xx/3xx, "
                f"{result['errors']} socket errors"
            )
        goal = f"≥ {RATIO_GOAL}, all 2xx/3xx: " + ("**missed**" if missed else "met")
        print(
            f"| {result['label']} `{result['path']}` | {result['persona']} | "
            f"{result['status']} | {result['rate']:,.1f} | {ratio:.3f} | {result['p50']} | "
            f"{result['p99']} | {cpu_cells(result.get('cpu'))} | {result['bad']} | "
            f"{result['errors']} | {goal} |"
        )
        problems += [f"{result['label']}: {miss}" for miss in missed]
    return problems


def cpu_cells(cpu):
    if not cpu:
        return "?"
    return f"{cpu['app']:.1f} / {cpu['database']:.1f} / {cpu['load']:.1f}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=5, help="load per page")
    parser.add_argument("--connections", type=int, default=8, help="at once")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument(
        "--only", metavar="REGEX", help="only the pages whose URL name matches (and /livez)"
    )
    arguments = parser.parse_args(argv)
    if min(arguments.seconds, arguments.connections, arguments.workers) < 1:
        parser.error("--seconds, --connections and --workers must be 1 or more")
    try:
        problems = run(arguments)
    except BenchError as error:
        print(f"bench-http FAILED: {error}", file=sys.stderr)
        return 2
    if problems:
        print(
            "\nbench-http: goals MISSED:\n" + "\n".join(f"- {p}" for p in problems),
            file=sys.stderr,
        )
        return 1
    print("\nbench-http: every goal met.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
