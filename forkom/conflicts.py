"""A transaction that PostgreSQL cancelled to break a deadlock is run again.

The counts that the dashboards read (cadres per kelurahan, sign-ups per month) are rows
that triggers add to from every writer, so two transactions can take two such rows in
opposite orders: attendance saved for two trainings whose cadres come from the same two
kelurahan, an import beside a verification. PostgreSQL then cancels one of them; nothing
of it was saved, and the same work run again waits behind the other and succeeds. A
service whose transaction writes counted rows is decorated with `retried_on_conflict`, so
that the person who saved sees their change saved instead of an error.
"""

import functools
import logging
import random
import time
from collections.abc import Callable

from django.db import OperationalError, connection

logger = logging.getLogger(__name__)

# SQLSTATEs of a transaction cancelled for another's sake: deadlock_detected and
# serialization_failure. Anything else (a timeout, a lost connection) is not retried.
CONFLICTS = frozenset({"40P01", "40001"})
ATTEMPTS = 3
BACKOFF_SECONDS = 0.05


def is_conflict(error: BaseException) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in CONFLICTS


def retried_on_conflict[**P, R](function: Callable[P, R]) -> Callable[P, R]:
    """Runs `function` (which opens its own transaction) up to ATTEMPTS times while the
    database cancels it for a deadlock. Inside an outer transaction it runs once: the
    whole transaction was cancelled, so only its owner can start it again."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        if connection.in_atomic_block:
            return function(*args, **kwargs)
        for attempt in range(1, ATTEMPTS):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if not is_conflict(error):
                    raise
                logger.warning(
                    "%s cancelled by the database (%s); attempt %d of %d.",
                    function.__qualname__,
                    error.__cause__.__class__.__name__,
                    attempt + 1,
                    ATTEMPTS,
                )
            # A random wait, so that two cancelled transactions do not meet again.
            time.sleep(random.uniform(0, BACKOFF_SECONDS * attempt))
        return function(*args, **kwargs)

    return run
