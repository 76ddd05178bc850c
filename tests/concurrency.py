"""Helpers for tests that race transactions against each other (PostgreSQL).

SQLite serialises whole transactions, so these tests only mean something on PostgreSQL's row
locks: mark them `@require_postgresql`. Each piece of work runs in a thread of its own, hence
on a database connection of its own, opened before a barrier releases the threads together
(so that opening connections does not spread their start) and closed when the thread ends.
An error in a thread is raised again in the test, with the other threads' errors in a note.
"""

import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection, connections

from forkom.errors import DomainError

# The skip (or, under CI=true, the failure) and its reason are the `postgresql_only` fixture's,
# in tests/conftest.py.
require_postgresql = pytest.mark.usefixtures("postgresql_only")


def cancelled(cause: psycopg.Error) -> None:
    """Raises the error Django raises when the database cancels a statement for `cause`
    (psycopg.errors.DeadlockDetected("deadlock detected"), say)."""
    try:
        raise cause
    except psycopg.Error as error:
        raise OperationalError(str(error)) from error


def cancelled_the_first_time[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """`function`, whose first call the database cancels for a deadlock before it runs;
    the wrapper's `calls` lists the calls made."""
    calls: list[int] = []

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        calls.append(len(calls) + 1)
        if len(calls) == 1:
            cancelled(psycopg.errors.DeadlockDetected("deadlock detected"))
        return function(*args, **kwargs)

    run.calls = calls  # type: ignore[attr-defined]
    return run


def _raise_first(errors: list[BaseException]) -> None:
    if not errors:
        return
    first = errors[0]
    if len(errors) > 1:
        others = "\n".join(
            " ".join([repr(error), *getattr(error, "__notes__", [])]) for error in errors[1:]
        )
        first.add_note(f"{len(errors) - 1} other error(s) in the threads:\n{others}")
    raise first


class Started:
    """Threads that start_at_once released; `results()` waits for them."""

    def __init__(
        self,
        threads: list[threading.Thread],
        outcomes: list[Any],
        errors: list[BaseException],
        timeout: float,
    ):
        self.threads, self.outcomes, self.errors, self.timeout = threads, outcomes, errors, timeout

    def results(self) -> list[Any]:
        """Wait for every thread (`timeout` seconds in all), raise the first error one
        raised, else return what each work returned, in the order of the works."""
        deadline = time.monotonic() + self.timeout
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        _raise_first(self.errors)
        running = sum(thread.is_alive() for thread in self.threads)
        assert not running, f"{running} thread(s) still running after {self.timeout} s"
        return self.outcomes


def start_at_once(
    *works: Callable[[], Any],
    stagger: float = 0.0,
    expected: type[BaseException] | tuple[type[BaseException], ...] = (),
    on_release: Callable[[], None] | None = None,
    timeout: float = 60,
) -> Started:
    """Start each work in its own thread and return at once, while they run.

    The threads open their connections, then wait for each other and start together; the
    later ones `stagger` seconds apart (the second after `stagger`, the third after twice
    that). An `expected` exception is the work's result rather than an error. `on_release`
    runs once, as the barrier lets the threads go.
    """
    barrier = threading.Barrier(len(works), action=on_release, timeout=timeout)
    outcomes: list[Any] = [None] * len(works)
    errors: list[BaseException] = []

    def run(index: int, work: Callable[[], Any]) -> None:
        try:
            try:
                connection.ensure_connection()
                barrier.wait()
            except BaseException as error:
                errors.append(error)  # first, before the BrokenBarrierError of the others
                barrier.abort()  # else they would wait for this thread until the timeout
                return
            time.sleep(index * stagger)
            try:
                outcomes[index] = work()
            except expected as error:
                outcomes[index] = error
            except BaseException as error:  # raised again in the test by results()
                errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, work), daemon=True)
        for index, work in enumerate(works)
    ]
    for thread in threads:
        thread.start()
    return Started(threads, outcomes, errors, timeout)


def run_at_once(*works: Callable[[], Any], **options: Any) -> list[Any]:
    """Run the works as start_at_once does and wait for them: what each returned, in order."""
    return start_at_once(*works, **options).results()


def done_or_refused(*works: Callable[[], Any], **options: Any) -> list[str]:
    """Run the works as run_at_once does: "done" for each that returned, "refused" for each
    that a service turned down (DomainError), sorted. Any other error fails the test."""
    outcomes = run_at_once(*works, expected=DomainError, **options)
    return sorted(
        "refused" if isinstance(outcome, DomainError) else "done" for outcome in outcomes
    )


def serve_at_once(
    handle: Callable[[Any], Any],
    items: Iterable[Any],
    *,
    workers: int,
    on_release: Callable[[], None] | None = None,
    timeout: float = 120,
) -> list[Any]:
    """Serve the items with `workers` threads, as a server's workers with a connection each
    serve requests that all arrive at once: each thread takes the next item in order until
    none are left. What `handle` returned for each item, in the items' order; after an error
    on one item the thread goes on with the next, and the first error is raised at the end.
    """
    items = list(items)
    arrivals: queue.SimpleQueue[int] = queue.SimpleQueue()
    for index in range(len(items)):
        arrivals.put(index)
    outcomes: list[Any] = [None] * len(items)
    errors: list[BaseException] = []

    def worker() -> None:
        while True:
            try:
                index = arrivals.get_nowait()
            except queue.Empty:
                return
            try:
                outcomes[index] = handle(items[index])
            except BaseException as error:  # every failure is a finding, whatever its kind
                error.add_note(f"while serving {items[index]!r}")
                errors.append(error)

    try:
        run_at_once(*[worker] * workers, on_release=on_release, timeout=timeout)
    except AssertionError:  # workers still running: the errors so far may tell why
        _raise_first(errors)
        raise
    _raise_first(errors)
    return outcomes


def _backends_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        # Statistics are a snapshot per transaction unless cleared: the caller may be in one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_until_blocked(count: int, *, timeout: float = 10) -> None:
    """Wait until `count` backends of the test database wait for a lock (a row lock the
    test holds, say); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while (waiting := _backends_waiting_for_a_lock()) < count:
        assert time.monotonic() < deadline, (
            f"{count} transaction(s) should be waiting for a lock; after {timeout} s, "
            f"{waiting} are"
        )
        time.sleep(0.02)


def wait_until_blocked_or_done(count: int, started: Started, *, timeout: float = 10) -> None:
    """Wait until `count` backends wait for a lock or every thread of `started` has ended,
    whichever comes first (a work that may or may not have to wait, depending on the order
    in which the code takes its locks); fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while _backends_waiting_for_a_lock() < count and any(
        thread.is_alive() for thread in started.threads
    ):
        assert time.monotonic() < deadline, (
            f"after {timeout} s, {count} transaction(s) should be waiting for a lock, "
            "or the work done"
        )
        time.sleep(0.02)
