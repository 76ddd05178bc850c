"""The command line of gunicorn serving the portal as `make serve` and production do
(forkom/gunicorn_config.py), for what starts one of its own: the serving test, `make
bench-http`, `manage.py bench_mail`. Run it from the repository's root."""

import sys
from collections.abc import Iterable
from pathlib import Path


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
