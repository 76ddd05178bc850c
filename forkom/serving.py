"""The command line of gunicorn serving the portal as `make serve` and production do
(forkom/gunicorn_config.py), for what starts one of its own: the serving test, `make
bench-http`, `manage.py bench_mail`. Run it from the repository's root."""

import gc
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

# A worker freezes what it holds once it has started, and once more after this many
# requests, when what its pages keep (compiled templates, statements, paths) is built.
FREEZE_AGAIN_AFTER_REQUESTS = 1000


def gunicorn_command(*, port: int, workers: int, options: Iterable[str] = ()) -> list[str]:
    """gunicorn of this interpreter's environment on 127.0.0.1:`port`, `workers` sync
    workers; `options` are added to the line."""
    return [
        str(Path(sys.executable).with_name("gunicorn")),
        "forkom.wsgi",
        "--config",
        "forkom/gunicorn_config.py",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        *options,
    ]


def freeze_what_the_worker_holds() -> int:
    """Collects, then moves every object the worker holds to the collector's permanent
    generation (gc.freeze), and returns how many are there.

    The collector's full pass walks every object of the process: in a worker that has
    served every page, some 260,000 objects and 175 to 190 ms on the 2-core machine, which
    the request that happens to trigger it waits, about one request in a thousand
    (`bench/collector_pauses.py`). Nearly all of them live as long as the worker: modules,
    classes, the URLconf, compiled templates, kept statements. Frozen, they are left out of
    every later pass (9 to 15 ms then). Reference counting still frees a frozen object that
    is dropped; only one that ends up in an unreachable cycle stays, which bounds what a
    freeze can keep to what was alive at that moment."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def worker_started(worker: Any) -> None:
    """gunicorn's post_worker_init: every view module imported now, rather than on the first
    request, and all of it frozen."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view
    frozen = freeze_what_the_worker_holds()
    worker.log.info("Worker started: %d objects frozen for the garbage collector", frozen)


def request_served(worker: Any) -> None:
    """gunicorn's post_request, after the response has gone: once, when the worker has
    served FREEZE_AGAIN_AFTER_REQUESTS requests, what its pages built is frozen too."""
    if worker.nr == FREEZE_AGAIN_AFTER_REQUESTS:
        frozen = freeze_what_the_worker_holds()
        worker.log.info("%d objects frozen for the garbage collector", frozen)
