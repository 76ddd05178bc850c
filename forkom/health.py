"""The checks behind /healthz, each in its own thread and connection so that a database or
a Redis that hangs delays the answer by the timeout, no more."""

import threading
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.core.cache import cache
from django.db import connections
from django.utils import timezone


def _database() -> str:
    connection = connections["default"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET statement_timeout = 900")
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key = f"forkom-health-{uuid.uuid4().hex}"
    cache.set(key, "1", 10)
    answer = cache.get(key)
    cache.delete(key)
    return "ok" if answer == "1" else "unavailable (the site works on without it, slower)"


def _tasks() -> str:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.ready()
    count = waiting.count()
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = (timezone.now() - oldest) if oldest else timedelta(0)
    return f"{count} waiting, oldest {int(age.total_seconds())} s"


CHECKS: dict[str, Callable[[], str]] = {"database": _database, "cache": _cache, "tasks": _tasks}


def run_checks(timeout: float) -> dict[str, str]:
    """Each check's answer, or "no answer" when it did not finish within `timeout`."""
    results: dict[str, str] = {}

    def run(name: str, check: Callable[[], str]) -> None:
        try:
            results[name] = check()
        except Exception as error:  # any failure is the answer here
            results[name] = f"unavailable ({type(error).__name__})"
        finally:
            connections.close_all()  # this thread's own connections, not kept

    threads = [
        threading.Thread(target=run, args=(name, check), daemon=True)
        for name, check in CHECKS.items()
    ]
    for thread in threads:
        thread.start()
    deadline = timezone.now() + timedelta(seconds=timeout)
    for thread in threads:
        thread.join(max((deadline - timezone.now()).total_seconds(), 0))
    return {name: results.get(name, "no answer") for name in CHECKS}
