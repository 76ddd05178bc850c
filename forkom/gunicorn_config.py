"""gunicorn's settings for serving the portal: `gunicorn forkom.wsgi -c forkom/gunicorn_config.py`.

The access log records the path, never the query string or the referrer: searches and list
filters carry names, phone numbers and emails there (the admin's search, the cadre list), and
DESIGN.md keeps personal data out of logs.
"""

from typing import Any

accesslog = "-"
# Client, time, method, path (%(U)s: without the query string), protocol, status, bytes,
# duration in ms, user agent.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'

# Sync workers, one request each at a time (README: one per core): safe because the proxy
# buffers whole requests and responses, so a slow client never holds a worker
# (docs/operations.md). A sync worker closes each connection after its response.
worker_class = "sync"
# A request still running after 30 s is killed and its worker replaced; the proxy's read
# timeout (nginx proxy_read_timeout) must be longer, so that it reports the failure itself.
timeout = 30
# On restart or stop, a worker has this long to finish the request it is serving.
graceful_timeout = 30


def post_worker_init(worker: Any) -> None:
    """What the worker keeps for its lifetime is left out of the garbage collector's full
    passes (forkom.serving.freeze_what_the_worker_holds)."""
    from forkom import serving

    serving.worker_started(worker)


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    from forkom import serving

    serving.request_served(worker)
