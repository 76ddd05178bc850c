"""The garbage collector's full passes in a worker serving every page (forkom.serving).

    .venv/bin/python bench/collector_pauses.py [--requests 3000] [--no-freeze]

On `make bench`'s national seed (seeded by `make bench` first), in this one process: every
GET page of bench/pages.py but the files, each as its persona, over and over. The worker's
hooks run as gunicorn runs them (`worker_started` before the first request, `request_served`
after each), unless --no-freeze. Prints how many full passes ran and how long each took: the
request that triggers one waits that long.
"""

import argparse
import gc
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import dashboards  # the bench's own helpers, beside this file


class Worker:
    """What forkom.serving reads of a gunicorn worker."""

    nr = 0

    class log:  # noqa: N801 - gunicorn's attribute
        @staticmethod
        def info(message, *args):
            print(message % args)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--no-freeze", action="store_true", help="without the worker's hooks")
    arguments = parser.parse_args(argv)
    database_url = os.environ.get("BENCH_DATABASE_URL") or dashboards.DEFAULT_DATABASE_URL
    dashboards.start_django(database_url)
    import pages as routes

    from forkom import serving

    seed = routes.find_seed()
    routes.make_extras(seed)
    worker = Worker()
    pauses = []
    started = [0.0]

    def watch(phase, info):
        if phase == "start":
            started[0] = time.perf_counter()
        elif info["generation"] == 2:
            pauses.append((time.perf_counter() - started[0]) * 1000)

    try:
        if not arguments.no_freeze:
            serving.worker_started(worker)
        clients = dashboards.signed_in_clients(seed)
        asked = [
            (clients[page.viewer], page.path)
            for page in dashboards.build_pages(seed)
            if page.kind != "file" and not page.status  # status: a row missing from the seed
        ]
        gc.callbacks.append(watch)
        began = time.perf_counter()
        while worker.nr < arguments.requests:
            for client, path in asked:
                dashboards.fetch(client, path)
                worker.nr += 1
                if not arguments.no_freeze:
                    serving.request_served(worker)
        took = time.perf_counter() - began
        gc.callbacks.remove(watch)
    finally:
        routes.remove_extras(seed)
    print(
        f"{worker.nr} requests over {len(asked)} pages in {took:.1f} s; objects the collector"
        f" walks: {len(gc.get_objects()):,}, frozen: {gc.get_freeze_count():,}"
    )
    print(
        f"full passes: {len(pauses)}, each (ms): "
        + (", ".join(f"{pause:.0f}" for pause in pauses) or "none")
    )


if __name__ == "__main__":
    main()
